from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("che-do/", views.regime_list, name="regime_list"),
    path("che-do/<slug:code>/", views.regime_detail, name="regime_detail"),
]
