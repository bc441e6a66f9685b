"""People's supervision pages, mounted at /giam-sat/."""

from django.urls import URLPattern, path

from . import views

app_name = "supervision"

urlpatterns: list[URLPattern] = [
    path("", views.board_list, name="boards"),
    path("ban/them/", views.board_create, name="board_create"),
    path("ban/<uuid:public_id>/", views.board_detail, name="board_detail"),
    path("ban/<uuid:public_id>/thanh-vien/", views.member_add, name="member_add"),
    path("ban/<uuid:public_id>/ke-hoach/", views.plan_add, name="plan_add"),
    path("ke-hoach/<uuid:public_id>/", views.plan_detail, name="plan_detail"),
    path("ke-hoach/<uuid:public_id>/hoat-dong/", views.activity_add, name="activity_add"),
    path("ke-hoach/<uuid:public_id>/phat-hien/", views.finding_add, name="finding_add"),
    path(
        "ke-hoach/<uuid:public_id>/kien-nghi/",
        views.recommendation_add,
        name="recommendation_add",
    ),
    path("kien-nghi/", views.recommendation_list, name="recommendations"),
    path("kien-nghi/<int:pk>/tra-loi/", views.recommendation_answer, name="recommendation_answer"),
    path("kien-nghi/<int:pk>/ket-thuc/", views.recommendation_close, name="recommendation_close"),
    path("hoi-nghi/", views.conference_list, name="conferences"),
    path("hoi-nghi/them/", views.conference_create, name="conference_create"),
    path("hoi-nghi/len-lich/", views.conference_plan_create, name="conference_plan_create"),
]
