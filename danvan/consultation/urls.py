"""Consultation pages for officers, mounted at /lay-y-kien/."""

from django.urls import URLPattern, path

from . import views

app_name = "consultation"

urlpatterns: list[URLPattern] = [
    path("", views.consultation_list, name="list"),
    path("them/", views.consultation_create, name="create"),
    path("<uuid:public_id>/", views.consultation_detail, name="detail"),
    path("<uuid:public_id>/tep-du-thao/", views.consultation_document, name="document"),
    path("<uuid:public_id>/mo/", views.consultation_open, name="open"),
    path("<uuid:public_id>/ket-thuc/", views.consultation_close, name="close"),
    path("<uuid:public_id>/cong-khai/", views.consultation_report, name="report"),
    path("y-kien/<int:pk>/kiem-duyet/", views.comment_moderate, name="comment_moderate"),
    path("y-kien/<int:pk>/tra-loi/", views.comment_answer, name="comment_answer"),
]
