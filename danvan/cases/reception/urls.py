"""Citizen reception pages, mounted at /tiep-cong-dan/."""

from django.urls import URLPattern, path

from . import views

app_name = "reception"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("lich/them/", views.schedule_create, name="schedule_create"),
    path("lich/<int:pk>/ket-thuc/", views.schedule_end, name="schedule_end"),
    path("buoi-tiep/", views.sessions, name="sessions"),
    path("buoi-tiep/them/", views.session_create, name="session_create"),
    path("buoi-tiep/<int:pk>/", views.session_detail, name="session"),
    path("buoi-tiep/<int:pk>/sua/", views.session_edit, name="session_edit"),
]
