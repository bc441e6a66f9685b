"""The portal's disclosures, in the "portal" namespace (included by danvan.portal.urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("cong-khai/", views.disclosures, name="disclosures"),
    path("cong-khai/<uuid:public_id>/", views.disclosure, name="disclosure"),
    path(
        "cong-khai/<uuid:public_id>/tai-lieu/<int:pk>/",
        views.disclosure_document,
        name="disclosure_document",
    ),
]
