from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("che-do/", views.regime_list, name="regime_list"),
    # Before <slug:code>/: "them" reads as the action, not a regime's code.
    path("che-do/them/", views.regime_create, name="regime_create"),
    path("che-do/<slug:code>/", views.regime_detail, name="regime_detail"),
    path("che-do/<slug:code>/sua/", views.regime_edit, name="regime_edit"),
    path("che-do/<slug:code>/han-gui/", views.regime_deadlines, name="regime_deadlines"),
    path("che-do/<slug:code>/mau/them/", views.template_create, name="template_create"),
    path("mau/<int:pk>/sua/", views.template_edit, name="template_edit"),
    path("mau/<int:pk>/ngung/", views.template_deactivate, name="template_deactivate"),
    path("mau/<int:pk>/phien-ban-moi/", views.template_new_version, name="template_new_version"),
    path("mau/<int:pk>/phan/them/", views.section_edit, name="section_create"),
    path("mau/<int:pk>/phan/<int:section_pk>/", views.section_edit, name="section_edit"),
    path("mau/<int:pk>/chi-tieu/them/", views.indicator_edit, name="indicator_create"),
    path("mau/<int:pk>/chi-tieu/<int:indicator_pk>/", views.indicator_edit, name="indicator_edit"),
    path("mau/<int:pk>/quy-tac/them/", views.rule_edit, name="rule_create"),
    path("mau/<int:pk>/quy-tac/<int:rule_pk>/", views.rule_edit, name="rule_edit"),
    path(
        "mau/<int:pk>/<str:what>/<int:row_pk>/xoa/",
        views.row_delete,
        name="row_delete",
    ),
]
