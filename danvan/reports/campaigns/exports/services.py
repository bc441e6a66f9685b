"""Writes of the report exports: ask for one (queue the job), make the zip (the job's
work), ask again after a failure.

The zip is written to ``<token>.zip.part`` beside its final place and renamed at the end
(``os.replace``: atomic on one file system), so a reader never sees half a zip and a
failure, caught here or a worker killed mid-way, leaves no ``<token>.zip``; the part file
of a killed worker is overwritten by the next attempt, and removed on any error raised.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.models import User
from danvan.audit import services as audit
from danvan.core.errors import DomainError
from danvan.core.text import fold
from danvan.jobs import services as jobs
from danvan.jobs.models import Job
from danvan.jobs.runner import Failed

from .. import export, policies
from ..models import Report
from . import selectors
from .selectors import EXPORT_DIR, KIND

TASK = "danvan.reports.campaigns.exports.tasks.run_export"


def export_start(*, actor: Any, report: Report, subtree: bool) -> Job:
    """Queue the export of *report* (with every report below it when *subtree*) for
    *actor*, who may read it (selectors.report_get); their export of the same reports
    still running is returned instead of a second one."""
    with transaction.atomic():
        running = selectors.active_export(actor=actor, report=report, subtree=subtree)
        if running is not None:
            return running
        token = uuid.uuid4().hex
        job, _created = jobs.job_enqueue(
            kind=KIND,
            key=selectors.job_key(report, token),
            args=[report.pk, subtree, actor.pk, token],
        )
        # Reading a report is not logged; taking every report of a subtree away in one
        # file is, so the unit can tell who carried what off.
        audit.record_view(
            actor=actor,
            instance=report,
            what=_("xuất tệp .zip (cả cấp dưới)") if subtree else _("xuất tệp .zip"),
        )
    return job


def export_retry(*, actor: Any, report: Report, job: Job) -> Job:
    """Queue again *actor*'s failed export (the failure's "Thử lại" button)."""
    if selectors.job_actor_id(job) != actor.pk:  # export_get refused others already
        raise DomainError("export_not_yours", _("Chỉ người tạo lượt xuất được chạy lại."))
    return jobs.job_retry(key=job.key)


def download_name(report: Report, *, subtree: bool) -> str:
    name = export.file_name(report, "zip")
    return name.removesuffix(".zip") + "-ca-cap-duoi.zip" if subtree else name


def member_name(report: Report, extension: str) -> str:
    """The name of *report*'s file in the zip: the unit's code and name (19-thai-nguyen.docx).
    Not export.file_name: it leads with the campaign's title, cut at 80 letters, so the
    units of one campaign would all get the same name; the code keeps them apart."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(report.unit.name)).strip("-")[:60]
    return f"{report.unit.code}-{slug or 'don-vi'}.{extension}"


def _readme(report: Report, *, subtree: bool, made: list[str], skipped: list[str]) -> str:
    lines = [
        _("Báo cáo: %(title)s — %(unit)s")
        % {"title": report.campaign.title, "unit": report.unit.name},
        _("Phạm vi: báo cáo của đơn vị và mọi đơn vị cấp dưới trong đợt báo cáo.")
        if subtree
        else _("Phạm vi: báo cáo của đơn vị."),
        "",
        _("Các tệp trong gói (%(n)s):") % {"n": len(made)},
        *(f"- {name}" for name in made),
        "",
    ]
    if skipped:
        lines += [
            _(
                "Báo cáo chưa có tệp Word vì chưa nhập đủ thông tin ở mục “Văn bản báo cáo”"
                " (tệp Excel số liệu vẫn có trong gói):"
            ),
            *skipped,
        ]
    else:
        lines.append(_("Mọi báo cáo đều có tệp Word."))
    # CRLF and a byte-order mark: Notepad on the offices' Windows machines shows the
    # Vietnamese letters right.
    return "\r\n".join(lines) + "\r\n"


def export_run(
    *, report_id: int, subtree: bool, actor_id: int, token: str, progress: Callable[[int], None]
) -> dict[str, Any] | Failed:
    """Make the zip of export *token* (the job's work): reports *progress* (files made)
    after each file; returns the job's result (the file, its download name, done/total,
    the reports left without a Word document)."""
    report = (
        Report.objects.select_related("unit", "campaign", "campaign__regime", "campaign__template")
        .filter(pk=report_id)
        .first()
    )
    actor = User.objects.filter(pk=actor_id, is_active=True).first()
    if report is None or actor is None or not policies.can_view(actor, report):
        return Failed(
            _(
                "Không tạo được tệp: báo cáo không còn, hoặc tài khoản đã yêu cầu không còn"
                " quyền xem báo cáo này."
            )
        )
    reports = selectors.export_reports(actor=actor, report=report, subtree=subtree)
    total = 2 * len(reports)
    final = selectors.zip_path(token)
    part = final.with_name(final.name + ".part")
    part.parent.mkdir(parents=True, exist_ok=True)
    done = 0
    made: list[str] = []
    skipped: list[str] = []
    progress(done)
    try:
        with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            for one in reports:
                missing = export.missing_for_word(one)
                if missing:
                    skipped.append(f"- {one.unit.name}: {_('thiếu')} {', '.join(missing)}")
                else:
                    name = member_name(one, "docx")
                    bundle.writestr(name, export.word(one))
                    made.append(name)
                done += 1
                progress(done)
                name = member_name(one, "xlsx")
                with bundle.open(name, "w", force_zip64=True) as out:
                    for chunk in export.workbook(one):  # streamed: a big subtree's sheet
                        out.write(chunk)
                made.append(name)
                done += 1
                progress(done)
            text = _readme(report, subtree=subtree, made=made, skipped=skipped)
            bundle.writestr("README.txt", text.encode("utf-8-sig"))
        os.replace(part, final)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return {
        "file": f"{EXPORT_DIR}/{final.name}",
        "name": download_name(report, subtree=subtree),
        "done": done,
        "total": total,
        "files": len(made),
        "skipped": len(skipped),
    }


def export_cleanup(*, now: dt.datetime | None = None) -> int:
    """Remove the zips older than REPORT_EXPORT_KEEP_DAYS, and part files a killed worker
    left more than a day ago; return how many files were removed.

    A zip holds a copy of reports (figures, narratives, signers) taken away from their
    access checks once downloaded; kept on the server, it only grows the disk and the
    backups. Its author asks for a new one when needed: the download of a removed zip
    says so (selectors.finished_zip). Daily, from CELERY_BEAT_SCHEDULE.
    """
    now = now or timezone.now()
    folder = Path(settings.MEDIA_ROOT) / EXPORT_DIR
    if not folder.is_dir():
        return 0
    keep = dt.timedelta(days=settings.REPORT_EXPORT_KEEP_DAYS)
    limits = {".zip": now - keep, ".part": now - dt.timedelta(days=1)}
    removed = 0
    for path in folder.iterdir():
        limit = limits.get(path.suffix)
        if limit is None or not path.is_file():
            continue
        modified = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
        if modified < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
