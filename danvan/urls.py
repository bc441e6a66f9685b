from django.urls import include, path

from danvan.api.api import api
from danvan.core.views import healthz

urlpatterns = [
    path("", include("danvan.dashboard.urls")),
    path("tai-khoan/", include("danvan.accounts.urls")),
    path("don-vi/", include("danvan.units.urls")),
    path("nhat-ky/", include("danvan.audit.urls")),
    path("viec-can-lam/", include("danvan.worklist.urls")),
    path("dan-van-kheo/", include("danvan.movement.urls")),
    path("quy-dinh/", include("danvan.legal.urls")),
    path("vu-viec/", include("danvan.cases.urls")),
    path("tiep-cong-dan/", include("danvan.cases.reception.urls")),
    path("doi-thoai/", include("danvan.cases.dialogues.urls")),
    path("dan-chu/", include("danvan.democracy.urls")),
    path("cong-khai/", include("danvan.disclosure.urls")),
    path("lay-y-kien/", include("danvan.consultation.urls")),
    path("tin-tuc/", include("danvan.news.urls")),
    path("giam-sat/", include("danvan.supervision.urls")),
    path("van-ban/", include("danvan.directives.urls")),
    path("nhiem-vu/de-xuat/", include("danvan.directives.proposals.urls")),
    path("nhiem-vu/", include("danvan.directives.tasks.urls")),
    path("kiem-tra/", include("danvan.directives.inspections.urls")),
    path("hoi-nghi/", include("danvan.directives.conferences.urls")),
    path("bao-cao/dot/", include("danvan.reports.campaigns.urls")),
    path("bao-cao/", include("danvan.reports.urls")),
    path("cong-dan/", include("danvan.portal.urls")),
    path("open311/v2/", include("danvan.portal.open311.urls")),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
]

# Vietnamese error pages in the site's layout; problem+json under /api/v1/ (core.views).
handler400 = "danvan.core.views.bad_request"
handler403 = "danvan.core.views.permission_denied"
handler404 = "danvan.core.views.page_not_found"
handler500 = "danvan.core.views.server_error"
