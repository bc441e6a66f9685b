"""Reads of the report exports: the reports an export covers, and one export job."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from danvan.accounts import policies as access
from danvan.core.errors import NotFound, PermissionDenied
from danvan.jobs.models import Job
from danvan.jobs.selectors import job_progress
from danvan.jobs.services import key_for

from .. import policies
from ..models import Report

KIND = "report_export"
# Under the upload folder (DJANGO_MEDIA_ROOT, shared by every node, backed up with it).
EXPORT_DIR = "exports/reports"


def job_key(report: Report, token: str) -> str:
    """The export *token* of *report* (a fresh token per request: each export is its own
    file, made from the figures of the moment it was asked for)."""
    return key_for(KIND, report.pk, token)


def zip_path(token: str) -> Path:
    return Path(settings.MEDIA_ROOT) / EXPORT_DIR / f"{token}.zip"


def export_reports(*, actor: Any, report: Report, subtree: bool) -> list[Report]:
    """The reports an export of *report* covers, in the order of the unit tree: the report
    alone, or with every report of the campaign whose unit lies under its unit; only
    those *actor* may read (a grant covers its subtree, so normally all of them)."""
    if not subtree:
        return [report]
    below = (
        Report.objects.filter(access.subtree_q(report.unit, "unit__"), campaign=report.campaign)
        .select_related("unit", "campaign", "campaign__regime", "campaign__template")
        .order_by("unit__path")
    )
    return [r for r in below if r.pk == report.pk or policies.can_view(actor, r)]


def export_get(*, actor: Any, report: Report, token: uuid.UUID) -> Job:
    """The export *token* of *report* (a report *actor* may read: selectors.report_get).
    Only its author follows and downloads it: the zip holds what they may read."""
    job = Job.objects.filter(kind=KIND, key=job_key(report, token.hex)).first()
    if job is None:
        raise NotFound(_("Không tìm thấy lượt xuất tệp này."), code="export_not_found")
    if job_actor_id(job) != getattr(actor, "pk", None):
        raise PermissionDenied(
            _(
                "Lượt xuất này do người khác tạo, chỉ người tạo được xem và tải. Hãy bấm"
                " “Xuất cả cấp dưới (.zip)” trên trang báo cáo để tạo tệp của riêng bạn."
            )
        )
    return job


def job_actor_id(job: Job) -> int | None:
    """Who asked for the export (the task's arguments: report, subtree, actor, token)."""
    return int(job.args[2]) if len(job.args) > 2 else None


def job_subtree(job: Job) -> bool:
    return bool(job.args[1]) if len(job.args) > 1 else False


def active_export(*, actor: Any, report: Report, subtree: bool) -> Job | None:
    """*actor*'s export of *report* still queued or running, if any (a second click while
    it runs follows the first instead of making the same zip twice)."""
    running = Job.objects.filter(
        kind=KIND,
        key__startswith=key_for(KIND, report.pk, ""),
        state__in=[Job.State.QUEUED, Job.State.RUNNING],
    ).order_by("-created_at")
    for job in running:
        if job_actor_id(job) == actor.pk and job_subtree(job) == subtree:
            return job
    return None


def total_files(*, actor: Any, report: Report, subtree: bool) -> int:
    """The files the export makes (a Word document and a workbook per report): the bar's
    end while the job runs (a document left out counts as made)."""
    return 2 * len(export_reports(actor=actor, report=report, subtree=subtree))


def job_token(job: Job) -> uuid.UUID:
    """The export's token (the task's fourth argument): its file's name and its address."""
    return uuid.UUID(str(job.args[3]))


def export_counts(*, actor: Any, report: Report, job: Job) -> tuple[int, int]:
    """How many files of the export are made, and how many it makes (the progress bar of
    the page and of the API)."""
    if job.state == Job.State.SUCCEEDED:
        done = total = int(job.result.get("total", 0))
    else:
        total = total_files(actor=actor, report=report, subtree=job_subtree(job))
        done = job_progress(job.key) or 0
    return min(done, total), total


def finished_zip(job: Job) -> Path:
    """The export's finished zip; NotFound while it is being made, or once cleaned away."""
    path = zip_path(job_token(job).hex)
    if job.state != Job.State.SUCCEEDED or not path.is_file():
        raise NotFound(
            _("Tệp .zip chưa sẵn sàng hoặc không còn; hãy xem trang tiến độ hoặc xuất lại."),
            code="export_not_ready",
        )
    return path
