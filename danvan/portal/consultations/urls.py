"""The portal's consultations, in the "portal" namespace (included by danvan.portal.urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("lay-y-kien/", views.consultations, name="consultations"),
    path("lay-y-kien/<uuid:public_id>/", views.consultation, name="consultation"),
    path(
        "lay-y-kien/<uuid:public_id>/tep-du-thao/",
        views.consultation_document,
        name="consultation_document",
    ),
]
