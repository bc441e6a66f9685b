"""The campaign pages, mounted at /bao-cao/dot/."""

from django.urls import URLPattern, path

from . import views
from .compare import urls as compare_urls
from .exports import urls as export_urls

app_name = "report_campaigns"

urlpatterns: list[URLPattern] = [
    path("", views.campaign_list, name="list"),
    path("mo/", views.campaign_open, name="open"),
    path("quy-doi/", views.report_restated, name="restated"),
    path("<uuid:public_id>/", views.campaign_detail, name="detail"),
    path("<uuid:public_id>/dong/", views.campaign_close, name="close"),
    path("bao-cao/<uuid:public_id>/", views.report_detail, name="report"),
    path("bao-cao/<uuid:public_id>/cap-nhat-so-lieu/", views.report_refresh, name="refresh"),
    path("bao-cao/<uuid:public_id>/gui/", views.report_submit, name="submit"),
    path("bao-cao/<uuid:public_id>/tong-hop/", views.report_fill, name="fill"),
    path("bao-cao/<uuid:public_id>/van-ban/", views.report_document, name="document"),
    path("bao-cao/<uuid:public_id>/tai-word/", views.report_word, name="word"),
    path("bao-cao/<uuid:public_id>/tai-excel/", views.report_excel, name="excel"),
    path("bao-cao/<uuid:public_id>/duyet/", views.report_approve, name="approve"),
    path("bao-cao/<uuid:public_id>/tra-lai/", views.report_return, name="return"),
    path(
        "bao-cao/<uuid:public_id>/de-nghi-mo-lai/",
        views.report_reopen_request,
        name="reopen_request",
    ),
    path("bao-cao/<uuid:public_id>/mo-lai/", views.report_reopen_decide, name="reopen_decide"),
    *compare_urls.urlpatterns,  # bao-cao/<uuid>/so-sanh/: the comparison page
    *export_urls.urlpatterns,  # bao-cao/<uuid>/xuat/: the zip made in the background
]
