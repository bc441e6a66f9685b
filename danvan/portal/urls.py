from django.urls import path

from . import views
from .consultations import views as consultations
from .disclosures import views as disclosures
from .votes import views as votes

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("gui-phan-anh/", views.submit, name="submit"),
    path("da-gui/", views.submitted, name="submitted"),
    path("tra-cuu/", views.lookup, name="lookup"),
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
