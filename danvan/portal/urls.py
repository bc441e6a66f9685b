"""The citizens' portal, under /cong-dan/. Each sub-area keeps its own urls module; every
name stays in the one "portal" namespace (portal:submit, portal:place …)."""

from django.urls import include, path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("danvan.portal.feedback.urls")),
    path("", include("danvan.portal.places.urls")),
    path("", include("danvan.portal.news.urls")),
    path("", include("danvan.portal.gallery.urls")),
    path("", include("danvan.portal.opendata.urls")),
    path("", include("danvan.portal.disclosures.urls")),
    path("", include("danvan.portal.consultations.urls")),
    path("", include("danvan.portal.votes.urls")),
    path("lich-tiep-cong-dan/", views.schedules, name="schedules"),
    path("doi-thoai/", views.dialogues, name="dialogues"),
]
