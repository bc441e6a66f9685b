"""The export pages: thin doors onto exports.services and exports.selectors.

Whoever may read the report (selectors.report_get; out of sight: 404) may ask for its
zip; the export's status and file are its author's (another reader: 403, told why).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from danvan.core.errors import DomainError, NotFound
from danvan.core.http import domain_http
from danvan.jobs import services as jobs
from danvan.jobs.models import Job

from .. import selectors as report_selectors
from ..models import Report
from ..views import _report_page
from . import selectors, services

SCOPES = {"unit": False, "subtree": True}


def _status_url(report: Report, job: Job) -> str:
    return reverse(
        "report_campaigns:export_status",
        kwargs={"public_id": report.public_id, "token": _token(job)},
    )


def _token(job: Job) -> uuid.UUID:
    return selectors.job_token(job)


def _context(request: HttpRequest, report: Report, job: Job) -> dict[str, object]:
    done, total = selectors.export_counts(actor=request.user, report=report, job=job)
    return {
        "report": report,
        "campaign": report.campaign,
        "job": job,
        "token": _token(job),
        "subtree": selectors.job_subtree(job),
        "done": done,
        "total": total,
        "percent": round(100 * done / total) if total else 0,
        # Made, then removed by the nightly cleanup: offer to make it again.
        "gone": job.state == Job.State.SUCCEEDED
        and not selectors.zip_path(_token(job).hex).is_file(),
        "keep_days": settings.REPORT_EXPORT_KEEP_DAYS,
    }


@login_required
@domain_http
@require_POST
def export_start(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Queue the zip (scope "unit" or "subtree") and go to its status page."""
    report = report_selectors.report_get(user=request.user, public_id=public_id)
    scope = request.POST.get("scope", "")
    if scope not in SCOPES:
        messages.error(
            request,
            _(
                "Không rõ phạm vi xuất “%(scope)s”: chỉ chọn được “unit” (báo cáo này) hoặc"
                " “subtree” (báo cáo này và mọi đơn vị cấp dưới)."
            )
            % {"scope": scope[:40]},
        )
        return _report_page(request, report, status=400)
    job = services.export_start(actor=request.user, report=report, subtree=SCOPES[scope])
    return redirect(_status_url(report, job))


@login_required
@domain_http
@require_GET
def export_status(request: HttpRequest, public_id: uuid.UUID, token: uuid.UUID) -> HttpResponse:
    """The export's progress bar (polled by htmx), then its download or its failure."""
    report = report_selectors.report_get(user=request.user, public_id=public_id)
    job = selectors.export_get(actor=request.user, report=report, token=token)
    job = jobs.job_check(key=job.key) or job  # a dead worker: resumed or failed now
    return render(
        request, "report_campaigns/exports/export_status.html", _context(request, report, job)
    )


@login_required
@domain_http
@require_GET
def export_progress(request: HttpRequest, public_id: uuid.UUID, token: uuid.UUID) -> HttpResponse:
    """The progress partial the status page polls; once the job has ended the page is
    reloaded to show the download or the failure."""
    report = report_selectors.report_get(user=request.user, public_id=public_id)
    job = selectors.export_get(actor=request.user, report=report, token=token)
    job = jobs.job_check(key=job.key) or job
    if getattr(request, "htmx", None) and not job.is_active:
        return HttpResponseClientRefresh()
    return render(
        request, "report_campaigns/exports/export_progress.html", _context(request, report, job)
    )


@login_required
@domain_http
@require_POST
def export_retry(request: HttpRequest, public_id: uuid.UUID, token: uuid.UUID) -> HttpResponse:
    """Queue the failed export again (its "Thử lại" button)."""
    report = report_selectors.report_get(user=request.user, public_id=public_id)
    job = selectors.export_get(actor=request.user, report=report, token=token)
    try:
        services.export_retry(actor=request.user, report=report, job=job)
    except DomainError as exc:
        context = _context(request, report, job)
        context["retry_error"] = exc.message
        return render(request, "report_campaigns/exports/export_status.html", context, status=400)
    return redirect(_status_url(report, job))


@login_required
@domain_http
@require_GET
def export_download(
    request: HttpRequest, public_id: uuid.UUID, token: uuid.UUID
) -> HttpResponseBase:
    """The finished zip (404 while it is being made, or when it was cleaned away)."""
    report = report_selectors.report_get(user=request.user, public_id=public_id)
    job = selectors.export_get(actor=request.user, report=report, token=token)
    try:
        path = selectors.finished_zip(job)
    except NotFound:
        if job.state != Job.State.SUCCEEDED:
            raise
        # Cleaned away: the status page says so and offers a new export.
        return redirect(_status_url(report, job))
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=str(job.result.get("name") or "bao-cao.zip"),
        content_type="application/zip",
    )
