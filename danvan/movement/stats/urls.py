"""The statistics page and its Excel export."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("thong-ke/", views.stats_page, name="stats"),
    path("thong-ke/xuat-excel/", views.stats_export, name="stats_export"),
]
