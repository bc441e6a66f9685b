"""The zip of a report and its subtree, made by the durable job (run eagerly here, as
the tests of the other jobs do): its contents, its progress, a failure that leaves
nothing behind and is retried, and the pages (200/302/400/403/404, the download)."""

from __future__ import annotations

import datetime as dt
import io
import os
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.jobs import heartbeat
from danvan.jobs.models import Job
from danvan.reports.campaigns import export
from danvan.reports.campaigns.exports import selectors, services
from danvan.reports.campaigns.models import Report
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        login_verified(client, user)
    return client


def _token(job: Job) -> uuid.UUID:
    return uuid.UUID(job.args[3])


def _url(name: str, report: Report, job: Job | None = None) -> str:
    kwargs: dict[str, Any] = {"public_id": report.public_id}
    if job is not None:
        kwargs["token"] = _token(job)
    return reverse(f"report_campaigns:{name}", kwargs=kwargs)


def _start(report: Report, actor: User, capture: Any, *, subtree: bool = True) -> Job:
    with capture(execute=True):
        job = services.export_start(actor=actor, report=report, subtree=subtree)
    job.refresh_from_db()
    return job


def _files(media: Path) -> list[str]:
    return sorted(p.name for p in media.rglob("*") if p.is_file())


def _others(report: Report) -> tuple[Report, Report]:
    below = Report.objects.filter(campaign=report.campaign).exclude(pk=report.pk)
    with_doc = below.exclude(doc_number="").get()
    return with_doc, below.filter(doc_number="").get()


def test_the_subtree_zip(
    province_report: Report,
    province_officer: User,
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    job = _start(province_report, province_officer, django_capture_on_commit_callbacks)
    assert job.state == Job.State.SUCCEEDED
    assert job.result["done"] == job.result["total"] == 6  # 3 reports × (Word, Excel)
    assert job.result["skipped"] == 1
    commune_report, bare = _others(province_report)
    path = selectors.zip_path(job.args[3])
    assert _files(media) == [path.name]  # nothing else left (no part file)
    with zipfile.ZipFile(path) as bundle:
        names = bundle.namelist()
        expected = {
            services.member_name(province_report, "docx"),
            services.member_name(province_report, "xlsx"),
            services.member_name(commune_report, "docx"),
            services.member_name(commune_report, "xlsx"),
            services.member_name(bare, "xlsx"),
            "README.txt",
        }
        assert set(names) == expected
        assert services.member_name(bare, "docx") not in names
        docx = io.BytesIO(bundle.read(services.member_name(province_report, "docx")))
        Document(docx)  # a Word file that opens
        with zipfile.ZipFile(docx) as word:
            assert "125/BC-UBND" in word.read("word/document.xml").decode()
        book = load_workbook(io.BytesIO(bundle.read(services.member_name(province_report, "xlsx"))))
        assert book.sheetnames == ["Tỉnh", "Xã"]
        readme = bundle.read("README.txt").decode("utf-8-sig")
    assert bare.unit.name in readme
    assert "số, ký hiệu văn bản" in readme  # what it lacks
    assert commune_report.unit.name not in readme.split("Văn bản báo cáo")[-1]


def test_one_unit_only(
    province_report: Report,
    province_officer: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    job = _start(
        province_report, province_officer, django_capture_on_commit_callbacks, subtree=False
    )
    assert job.result["total"] == 2
    with zipfile.ZipFile(selectors.zip_path(job.args[3])) as bundle:
        assert sorted(bundle.namelist()) == sorted(
            [
                "README.txt",
                services.member_name(province_report, "docx"),
                services.member_name(province_report, "xlsx"),
            ]
        )
        assert "Mọi báo cáo đều có tệp Word." in bundle.read("README.txt").decode("utf-8-sig")
    assert job.result["name"] == export.file_name(province_report, "zip")


def test_progress_counts_every_file_up_to_the_total(
    province_report: Report, province_officer: User
) -> None:
    seen: list[int] = []
    result = services.export_run(
        report_id=province_report.pk,
        subtree=True,
        actor_id=province_officer.pk,
        token=uuid.uuid4().hex,
        progress=seen.append,
    )
    assert isinstance(result, dict)
    assert seen == list(range(7))  # 0 before the first file, then one per file
    assert selectors.total_files(actor=province_officer, report=province_report, subtree=True) == 6


def test_a_failure_midway_leaves_no_file_and_can_be_retried(
    province_report: Report,
    province_officer: User,
    media: Path,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    real = export.word
    calls: list[int] = []

    def breaks_second(report: Report) -> bytes:
        calls.append(report.pk)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(report)

    monkeypatch.setattr(export, "word", breaks_second)
    job = _start(province_report, province_officer, django_capture_on_commit_callbacks)
    assert len(calls) == 2  # it failed in the middle, after a file was written
    assert job.state == Job.State.FAILED
    assert job.retryable
    assert "Thử lại" in job.error
    assert "không có tệp dở dang" in job.error
    assert _files(media) == []  # neither the zip nor its part file
    page = _client(province_officer).get(_url("export_status", province_report, job))
    assert page.status_code == 200
    assert 'id="export-retry"' in page.content.decode()
    assert 'id="export-download"' not in page.content.decode()

    monkeypatch.setattr(export, "word", real)
    client = _client(province_officer)
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(_url("export_retry", province_report, job))
    assert retried.status_code == 302
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert _files(media) == [f"{job.args[3]}.zip"]
    again = client.post(_url("export_retry", province_report, job))  # not failed any more
    assert again.status_code == 400
    assert "đã thất bại" in again.content.decode()


def test_a_second_click_follows_the_running_export(
    province_report: Report, province_officer: User
) -> None:
    first = services.export_start(actor=province_officer, report=province_report, subtree=True)
    again = services.export_start(actor=province_officer, report=province_report, subtree=True)
    alone = services.export_start(actor=province_officer, report=province_report, subtree=False)
    assert again.pk == first.pk
    assert alone.pk != first.pk


def test_start_status_progress_and_download(
    province_report: Report,
    province_officer: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = _client(province_officer)
    detail = client.get(province_report.get_absolute_url()).content.decode()
    assert 'id="export-zip"' in detail  # the province has communes below it
    assert 'id="export-unit"' in detail
    assert _url("export_start", province_report) in detail
    commune = Report.objects.filter(campaign=province_report.campaign, unit__kind="commune").first()
    assert commune is not None
    own = _client(province_officer).get(commune.get_absolute_url()).content.decode()
    assert 'id="export-unit"' in own
    assert 'id="export-zip"' not in own  # nothing below a commune
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(_url("export_start", province_report), {"scope": "subtree"})
    assert started.status_code == 302
    job = Job.objects.get(kind=selectors.KIND)
    assert started["Location"] == _url("export_status", province_report, job)
    status = client.get(started["Location"])
    assert status.status_code == 200
    body = status.content.decode()
    assert 'value="6" max="6"' in body
    assert 'id="export-download"' in body
    assert "every 2s" not in body  # done: nothing to poll
    refresh = client.get(_url("export_progress", province_report, job), HTTP_HX_REQUEST="true")
    assert refresh.status_code == 200
    assert refresh["HX-Refresh"] == "true"
    download = client.get(_url("export_download", province_report, job))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "-ca-cap-duoi.zip" in download["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(download.getvalue())) as bundle:
        assert "README.txt" in bundle.namelist()


def test_the_bar_while_it_runs(province_report: Report, province_officer: User) -> None:
    job = services.export_start(actor=province_officer, report=province_report, subtree=True)
    client = _client(province_officer)
    queued = client.get(_url("export_progress", province_report, job))
    assert 'hx-trigger="every 2s"' in queued.content.decode()
    assert client.get(_url("export_download", province_report, job)).status_code == 404
    now = timezone.now()
    before = now - dt.timedelta(seconds=5)
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, attempts=1, started_at=before, heartbeat_at=before
    )
    heartbeat.record(job.pk, at=now, progress=3)  # the worker's beat, with its progress
    running = client.get(_url("export_progress", province_report, job), HTTP_HX_REQUEST="true")
    body = running.content.decode()
    assert running.status_code == 200
    assert 'value="3" max="6"' in body
    assert "3 / 6" in body
    assert "(50%)" in body
    assert 'hx-trigger="every 2s"' in body


def test_who_may(
    province_report: Report,
    province_officer: User,
    commune_officer: User,
    thai_nguyen: Unit,
    django_capture_on_commit_callbacks: Any,
) -> None:
    job = _start(province_report, province_officer, django_capture_on_commit_callbacks)
    start = _url("export_start", province_report)
    pages = [_url(n, province_report, job) for n in ("export_status", "export_download")]
    # Anonymous: to the login page.
    assert _client(None).post(start, {"scope": "subtree"}).status_code == 302
    # A commune's officer does not read the province's report: as if it did not exist.
    below = _client(commune_officer)
    assert below.post(start, {"scope": "subtree"}).status_code == 404
    assert [below.get(p).status_code for p in pages] == [404, 404]
    # Another reader of the report: may start their own, not follow or take this one.
    colleague = _client(make_user("cb-tinh-2", Role.OFFICER, thai_nguyen))
    assert [colleague.get(p).status_code for p in pages] == [403, 403]
    assert "chỉ người tạo" in colleague.get(pages[0]).content.decode()
    assert colleague.post(start, {"scope": "unit"}).status_code == 302
    # A token that is no export of this report.
    other = reverse(
        "report_campaigns:export_status",
        kwargs={"public_id": province_report.public_id, "token": uuid.uuid4()},
    )
    assert _client(province_officer).get(other).status_code == 404
    # The commune's officer exports their own report.
    commune_report = Report.objects.get(
        campaign=province_report.campaign, unit__in=commune_officer.grants.values("unit")
    )
    assert below.post(_url("export_start", commune_report), {"scope": "unit"}).status_code == 302


def test_a_bad_scope_is_refused_with_why(province_report: Report, province_officer: User) -> None:
    response = _client(province_officer).post(
        _url("export_start", province_report), {"scope": "ca-nuoc"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Không rõ phạm vi xuất" in body
    assert "ca-nuoc" in body
    assert not Job.objects.filter(kind=selectors.KIND).exists()


def test_nothing_is_made_for_a_reader_who_lost_access(
    province_report: Report, province_officer: User, media: Path
) -> None:
    User.objects.filter(pk=province_officer.pk).update(is_active=False)
    result = services.export_run(
        report_id=province_report.pk,
        subtree=True,
        actor_id=province_officer.pk,
        token=uuid.uuid4().hex,
        progress=lambda n: None,
    )
    assert not isinstance(result, dict)
    assert "không còn" in result.message
    assert not result.retryable
    assert _files(media) == []


def test_the_nightly_cleanup_removes_old_zips_and_stale_parts(
    province_report: Report,
    province_officer: User,
    media: Path,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.REPORT_EXPORT_KEEP_DAYS = 7
    job = _start(province_report, province_officer, django_capture_on_commit_callbacks)
    path = selectors.zip_path(job.args[3])
    folder = path.parent
    stale_part = folder / "dead.zip.part"
    fresh_part = folder / "running.zip.part"
    other = folder / "notes.txt"
    for extra in (stale_part, fresh_part, other):
        extra.write_bytes(b"x")
    now = timezone.now()

    def age(file: Path, days: float) -> None:
        stamp = (now - dt.timedelta(days=days)).timestamp()
        os.utime(file, (stamp, stamp))

    age(path, 6)
    age(stale_part, 2)
    age(other, 30)
    assert services.export_cleanup(now=now) == 1  # the part file a killed worker left
    assert path.is_file()
    assert fresh_part.is_file()
    assert other.is_file()  # not ours to remove
    age(path, 8)
    assert services.export_cleanup(now=now) == 1
    assert not path.exists()
    # The author is told the file is gone and how to get it again.
    client = _client(province_officer)
    response = client.get(_url("export_download", province_report, job))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'id="export-gone"' in page
    assert "Xuất lại" in page
    assert 'id="export-download"' not in page


def test_the_cleanup_without_a_folder_does_nothing(media: Path) -> None:
    assert services.export_cleanup() == 0
