"""The officer's case pages, mounted at /vu-viec/."""

from django.urls import URLPattern, path

from . import views

app_name = "cases"

# Each action on a case is a POST to /vu-viec/<uuid>/<slug>/ (name "cases:<action>").
ACTION_SLUGS = {
    "classify": "phan-loai",
    "assign": "phan-cong",
    "accept": "thu-ly",
    "refuse": "khong-thu-ly",
    "transfer": "chuyen-don-vi",
    "add_step": "buoc-xu-ly",
    "add_document": "tai-lieu",
    "extend": "gia-han",
    "pause": "tam-dinh-chi",
    "resume": "tiep-tuc",
    "resolve": "ket-qua",
    "withdraw": "rut-don",
    "moderate": "kiem-duyet-cong-khai",
}

urlpatterns: list[URLPattern] = [
    path("", views.queue, name="queue"),
    path("danh-sach/", views.case_list, name="list"),
    path("tiep-nhan/", views.receive, name="receive"),
    path("qua-han/", views.overdue, name="overdue"),
    path("thong-ke/", views.stats, name="stats"),
    path("thong-ke/excel/", views.stats_excel, name="stats_excel"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/bien-nhan/", views.receipt, name="receipt"),
    path("<uuid:public_id>/danh-tinh/", views.identity, name="identity"),
    path(
        "<uuid:public_id>/danh-tinh/ban-quet/<int:scan_id>/",
        views.identity_scan,
        name="identity_scan",
    ),
    path("<uuid:public_id>/tai-lieu/<int:pk>/", views.document, name="document"),
    *[
        path(f"<uuid:public_id>/{slug}/", views.case_action, {"action": action}, name=action)
        for action, slug in ACTION_SLUGS.items()
    ],
]
