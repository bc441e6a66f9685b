"""The proposals pages, mounted at /nhiem-vu/de-xuat/ (before the tasks' own URLs)."""

from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.start, name="start"),
    path("xac-nhan/", views.confirm, name="confirm"),
]
