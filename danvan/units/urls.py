from django.urls import path

from . import views

app_name = "units"

# The fixed segments ("goi-y/", "can-bo/", "ban-chi-dao/") come before "<code>/" so that a
# unit code never captures them (forms also refuse them as codes).
urlpatterns = [
    path("", views.tree, name="tree"),
    path("goi-y/", views.suggest, name="suggest"),
    path("can-bo/", views.officials, name="officials"),
    path("can-bo/<int:pk>/sua/", views.official_edit, name="official_edit"),
    path("ban-chi-dao/<int:pk>/ket-thuc/", views.steering_end, name="steering_end"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/con/", views.children, name="children"),
    path("<str:code>/them/", views.create_child, name="create_child"),
    path("<str:code>/sua/", views.edit, name="edit"),
    path("<str:code>/chuyen/", views.move, name="move"),
    path("<str:code>/sap-nhap/", views.succession, name="succession"),
    path("<str:code>/can-bo/them/", views.official_create, name="official_create"),
    path("<str:code>/ban-chi-dao/them/", views.steering_add, name="steering_add"),
]
