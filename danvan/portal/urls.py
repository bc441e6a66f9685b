"""The citizens' portal, under /cong-dan/. Each sub-area keeps its own urls module; every
name stays in the one "portal" namespace (portal:submit, portal:place …)."""

from django.urls import include, path

from . import views
from .consultations import views as consultations
from .disclosures import views as disclosures
from .votes import views as votes

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("danvan.portal.feedback.urls")),
    path("", include("danvan.portal.places.urls")),
    path("", include("danvan.portal.news.urls")),
    path("", include("danvan.portal.gallery.urls")),
    path("", include("danvan.portal.opendata.urls")),
    path("lich-tiep-cong-dan/", views.schedules, name="schedules"),
    path("doi-thoai/", views.dialogues, name="dialogues"),
    path("bieu-quyet/", votes.votes, name="votes"),
    path("cong-khai/", disclosures.disclosures, name="disclosures"),
    path("bieu-quyet/<uuid:public_id>/", votes.vote, name="vote"),
    path("lay-y-kien/", consultations.consultations, name="consultations"),
    path("lay-y-kien/<uuid:public_id>/", consultations.consultation, name="consultation"),
    path(
        "lay-y-kien/<uuid:public_id>/tep-du-thao/",
        consultations.consultation_document,
        name="consultation_document",
    ),
]
