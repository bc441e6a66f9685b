from django.urls import path

from . import views, views_votes

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("gui-phan-anh/", views.submit, name="submit"),
    path("da-gui/", views.submitted, name="submitted"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("lich-tiep-cong-dan/", views.schedules, name="schedules"),
    path("doi-thoai/", views.dialogues, name="dialogues"),
    path("bieu-quyet/", views_votes.votes, name="votes"),
    path("bieu-quyet/<uuid:public_id>/", views_votes.vote, name="vote"),
]
