"""The export pages, added to the campaign pages' namespace (report_campaigns:export_*)
by campaigns/urls.py."""

from django.urls import URLPattern, path

from . import views

_BASE = "bao-cao/<uuid:public_id>/xuat/"

urlpatterns: list[URLPattern] = [
    path(_BASE, views.export_start, name="export_start"),
    path(f"{_BASE}<uuid:token>/", views.export_status, name="export_status"),
    path(f"{_BASE}<uuid:token>/tien-do/", views.export_progress, name="export_progress"),
    path(f"{_BASE}<uuid:token>/thu-lai/", views.export_retry, name="export_retry"),
    path(f"{_BASE}<uuid:token>/tai/", views.export_download, name="export_download"),
]
