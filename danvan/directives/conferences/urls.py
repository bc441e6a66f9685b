"""The conferences' pages, mounted at /hoi-nghi/."""

from django.urls import URLPattern, path

from . import views

app_name = "conferences"

urlpatterns: list[URLPattern] = [
    path("", views.conference_list, name="list"),
    path("ghi/", views.conference_create, name="create"),
    path("<uuid:public_id>/", views.conference_detail, name="detail"),
    path("<uuid:public_id>/sua/", views.conference_edit, name="edit"),
    path("<uuid:public_id>/dai-bieu/", views.delegates, name="delegates"),
    path("dai-bieu/<int:pk>/bo/", views.delegate_remove, name="delegate_remove"),
    path("<uuid:public_id>/phat-bieu/", views.speeches, name="speeches"),
    path("phat-bieu/<int:pk>/bo/", views.speech_remove, name="speech_remove"),
    path("<uuid:public_id>/diem-cau/", views.points, name="points"),
    path("<uuid:public_id>/diem-cau/them-xa/", views.points_add, name="points_add"),
    path("<uuid:public_id>/ket-luan/", views.conclusion, name="conclusion"),
    path("<uuid:public_id>/thong-bao/", views.notice_edit, name="notice"),
    path("<uuid:public_id>/thong-bao.docx", views.notice_download, name="notice_docx"),
]
