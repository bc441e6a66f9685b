"""The officer's pages of grassroots democracy, mounted at /dan-chu/."""

from django.urls import URLPattern, path

from . import views
from .board import views as board

app_name = "democracy"

urlpatterns: list[URLPattern] = [
    path("", views.matters, name="matters"),
    path("them/", views.matter_create, name="matter_create"),
    path("bang-theo-doi/", board.board, name="board"),
    path("bang-theo-doi/excel/", board.board_excel, name="board_excel"),
    path("<uuid:public_id>/", views.matter_detail, name="matter"),
    path("bieu-quyet/<uuid:public_id>/", views.vote_detail, name="vote"),
    path("bieu-quyet/<uuid:public_id>/kiem-phieu/", views.vote_tally, name="vote_tally"),
    path("bieu-quyet/<uuid:public_id>/ghi-kiem-phieu/", views.vote_record, name="vote_record"),
    path("bieu-quyet/<uuid:public_id>/phat-ma/", views.vote_codes, name="vote_codes"),
    path("bieu-quyet/<uuid:public_id>/ket-thuc/", views.vote_close, name="vote_close"),
    path("bieu-quyet/<uuid:public_id>/cong-khai/", views.vote_publish, name="vote_publish"),
    path("bieu-quyet/<uuid:public_id>/bien-ban.docx", views.minutes, name="minutes"),
]
