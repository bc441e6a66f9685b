"""The portal's votes, in the "portal" namespace (included by danvan.portal.urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("bieu-quyet/", views.votes, name="votes"),
    path("bieu-quyet/<uuid:public_id>/", views.vote, name="vote"),
    # The short address printed on vote-code slips (and in their QR code).
    path("bq/<str:short>/", views.vote_short, name="vote_short"),
]
