from django.urls import path

from . import views, views_consultations, views_disclosures, views_votes

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("gui-phan-anh/", views.submit, name="submit"),
    path("da-gui/", views.submitted, name="submitted"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("lich-tiep-cong-dan/", views.schedules, name="schedules"),
    path("doi-thoai/", views.dialogues, name="dialogues"),
    path("bieu-quyet/", views_votes.votes, name="votes"),
    path("cong-khai/", views_disclosures.disclosures, name="disclosures"),
    path("bieu-quyet/<uuid:public_id>/", views_votes.vote, name="vote"),
    path("lay-y-kien/", views_consultations.consultations, name="consultations"),
    path("lay-y-kien/<uuid:public_id>/", views_consultations.consultation, name="consultation"),
    path(
        "lay-y-kien/<uuid:public_id>/tep-du-thao/",
        views_consultations.consultation_document,
        name="consultation_document",
    ),
]
