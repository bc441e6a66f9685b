"""The inspection pages, mounted at /kiem-tra/."""

from django.urls import URLPattern, path

from . import views

app_name = "inspections"

urlpatterns: list[URLPattern] = [
    path("", views.plan_list, name="plans"),
    path("ke-hoach/them/", views.plan_create, name="plan_create"),
    path("ke-hoach/<uuid:public_id>/", views.plan_detail, name="plan_detail"),
    path("ke-hoach/<uuid:public_id>/sua/", views.plan_update, name="plan_update"),
    path("ke-hoach/<uuid:public_id>/them-cuoc/", views.inspection_create, name="create"),
    path("kien-nghi/", views.recommendations, name="recommendations"),
    path("kien-nghi/<uuid:public_id>/tra-loi/", views.answer, name="answer"),
    path("<uuid:public_id>/", views.inspection_detail, name="detail"),
    path("<uuid:public_id>/thanh-vien/", views.team_add, name="team_add"),
    path("<uuid:public_id>/don-vi/", views.target_add, name="target_add"),
    path("<uuid:public_id>/bat-dau/", views.start, name="start"),
    path("<uuid:public_id>/phat-hien/", views.finding_add, name="finding_add"),
    path("<uuid:public_id>/kien-nghi/", views.recommendation_add, name="recommendation_add"),
    path("<uuid:public_id>/ket-luan/", views.conclude, name="conclude"),
    path("<uuid:public_id>/bao-cao/", views.report_file, name="report_file"),
]
