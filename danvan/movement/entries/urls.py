"""The entry pages: list and export, register, detail and the actions on one entry."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("mo-hinh/", views.entry_list, name="list"),
    path("mo-hinh/xuat-excel/", views.entry_export, name="export"),
    path("mo-hinh/dang-ky/", views.entry_create, name="create"),
    path("mo-hinh/kiem-tra-trung/", views.duplicates, name="duplicates"),
    path("mo-hinh/<uuid:public_id>/", views.entry_detail, name="detail"),
    path("mo-hinh/<uuid:public_id>/sua/", views.entry_edit, name="edit"),
    path("mo-hinh/<uuid:public_id>/chuyen-trang-thai/", views.entry_transition, name="transition"),
    path("mo-hinh/<uuid:public_id>/khen-thuong/", views.entry_commend, name="commend"),
    path("mo-hinh/<uuid:public_id>/nhan-rong/", views.entry_replicate, name="replicate"),
    path("mo-hinh/<uuid:public_id>/nhan-rong/tim/", views.entry_sources, name="sources"),
    path("mo-hinh/<uuid:public_id>/dinh-kem/", views.entry_attach, name="attach"),
    path("mo-hinh/<uuid:public_id>/tep/<int:pk>/", views.attachment, name="attachment"),
    path(
        "mo-hinh/<uuid:public_id>/tep/<int:pk>/cong-khai/",
        views.attachment_publish,
        name="attachment_publish",
    ),
]
