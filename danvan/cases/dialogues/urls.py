"""Dialogue conference pages, mounted at /doi-thoai/."""

from django.urls import URLPattern, path

from . import views

app_name = "dialogues"

urlpatterns: list[URLPattern] = [
    path("", views.dialogue_list, name="list"),
    path("them/", views.dialogue_create, name="create"),
    path("cam-ket/", views.commitment_list, name="commitments"),
    path("cam-ket/<int:pk>/hoan-thanh/", views.commitment_done, name="commitment_done"),
    path("<uuid:public_id>/", views.dialogue_detail, name="detail"),
    path("<uuid:public_id>/thong-bao/", views.dialogue_announce, name="announce"),
    path("<uuid:public_id>/to-chuc/", views.dialogue_hold, name="hold"),
    path("<uuid:public_id>/cong-khai/", views.dialogue_publish, name="publish"),
    path("<uuid:public_id>/y-kien/", views.question_add, name="question_add"),
    path(
        "<uuid:public_id>/y-kien/<int:pk>/tra-loi/", views.question_answer, name="question_answer"
    ),
    path("<uuid:public_id>/cam-ket/", views.commitment_add, name="commitment_add"),
]
