"""The comparison page, included under the campaign pages (report_campaigns:compare)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("bao-cao/<uuid:public_id>/so-sanh/", views.report_compare, name="compare"),
]
