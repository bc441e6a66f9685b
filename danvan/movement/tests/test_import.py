"""Importing entries from Excel: template, upload checks, row report, the two modes,
re-import without duplicates, all-or-nothing writing, who may see a job, and the
background phases as durable jobs (a dead worker, resume, retry, duplicate deliveries)."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from danvan.accounts.models import User
from danvan.accounts.testing import READ_SCOPED, build_cast, login_verified, make_user, walk
from danvan.audit import services as audit
from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError
from danvan.jobs import heartbeat as jobs_heartbeat
from danvan.jobs import services as jobs
from danvan.jobs.models import Job
from danvan.movement import tasks
from danvan.movement.imports import excel
from danvan.movement.imports import services as imports
from danvan.movement.models import Decision, Entry, EntryEvent, ImportJob, Status
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [excel.header_label(c) for c in excel.COLUMNS]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def run_tasks(
    django_capture_on_commit_callbacks: Any,
) -> Callable[[Callable[[], Any]], Any]:
    """Run *call* and then the tasks it queued after commit (Celery is eager in tests)."""

    def run(call: Callable[[], Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def row(**values: Any) -> list[Any]:
    """A data row in template column order."""
    unknown = set(values) - set(excel.COLUMN_BY_KEY)
    assert not unknown, unknown
    return [values.get(c.key) for c in excel.COLUMNS]


def workbook_bytes(
    rows: list[list[Any]],
    *,
    headers: list[str] | None = None,
    title_rows: int = 0,
    base: bytes | None = None,
) -> bytes:
    if base is not None:
        book = load_workbook(io.BytesIO(base))
        sheet = book[excel.DATA_SHEET]
    else:
        book = Workbook()
        sheet = book.active
        for _ in range(title_rows):
            sheet.append(["BẢNG TỔNG HỢP MÔ HÌNH “DÂN VẬN KHÉO”"])
        sheet.append(headers if headers is not None else HEADERS)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload_file(content: bytes, name: str = "mo-hinh.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def commune_codes(province: Unit, n: int = 3) -> list[str]:
    return list(
        Unit.objects.filter(parent=province, valid_to__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)[:n]
    )


@pytest.fixture
def officer(thai_nguyen: Unit) -> User:
    return make_user("tinh-nhap", "officer", thai_nguyen)


@pytest.fixture
def create_job(
    run_tasks: Callable[[Callable[[], Any]], Any],
) -> Callable[..., ImportJob]:
    def create(actor: Any, unit: Unit | None, content: bytes, name: str = "a.xlsx") -> ImportJob:
        job = run_tasks(
            lambda: imports.job_create(actor=actor, upload=upload_file(content, name), unit=unit)
        )
        job.refresh_from_db()
        return job

    return create


@pytest.fixture
def import_job(
    run_tasks: Callable[[Callable[[], Any]], Any],
) -> Callable[..., ImportJob]:
    def start(actor: Any, job: ImportJob, mode: str = "all") -> ImportJob:
        run_tasks(lambda: imports.job_start(actor=actor, job=job, mode=mode))
        job.refresh_from_db()
        return job

    return start


def good_rows(codes: list[str]) -> list[list[Any]]:
    return [
        row(
            unit_code=codes[0],
            name="Mô hình “Dân vận khéo” hiến đất làm đường",
            kind="Mô hình",
            field="Kinh tế",
            registration_year=2024,
            start_date=dt.date(2024, 3, 1),
            goals="Bê tông hóa đường liên thôn",
            money_mobilized="1.500.000.000",
            working_days=1200,
            land_donated_m2="3500,5",
            contact_phone=912345678,
        ),
        row(
            unit_code=codes[1],
            name="Điển hình tập thể Hội Phụ nữ xã",
            kind="dien hinh tap the",
            field="van-hoa-xa-hoi",
            registration_year="2022",
            status="Được công nhận",
            recognition_number="125/QĐ-UBND",
            recognition_date="20/11/2022",
            recognition_issuer="UBND tỉnh Thái Nguyên",
            recognition_level="Cấp tỉnh",
        ),
        row(
            unit_code=codes[2],
            name="Điển hình cá nhân ông Hoàng Văn B",
            kind="Điển hình cá nhân",
            field="Xây dựng hệ thống chính trị",
            registration_year=2021,
            status="dien hinh tieu bieu",
            recognition_number="15-QĐ/TU",
            recognition_date=dt.date(2021, 9, 5),
            recognition_issuer="Tỉnh ủy Thái Nguyên",
            recognition_level="province",
            exemplary_number="20-QĐ/TƯ",
            exemplary_date="15/12/2021",
            exemplary_level="Trung ương",
            commendation_number="301/QĐ-UBND",
            commendation_date="2021-12-20",
            commendation_form="Bằng khen",
        ),
    ]


# -- the template and a full round trip ------------------------------------------------


def test_template_lists_allowed_values_and_examples(officer: User) -> None:
    client = Client()
    login_verified(client, officer)
    response = client.get(reverse("movement:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Danh sách", "Danh mục", "Hướng dẫn", "Ví dụ"]
    header = [c.value for c in book["Danh sách"][1]]
    assert header[:22] == [
        "Mã đơn vị",
        "Tên mô hình/điển hình",
        "Loại",
        "Lĩnh vực",
        "Năm đăng ký",
        "Ngày bắt đầu",
        "Đối tượng",
        "Mục tiêu",
        "Nội dung cách làm",
        "Kết quả đạt được",
        "Kinh phí huy động (đồng)",
        "Ngày công",
        "Đất hiến (m²)",
        "Người liên hệ",
        "Điện thoại",
        "Trạng thái",
        "Số QĐ công nhận",
        "Ngày QĐ công nhận",
        "Cơ quan công nhận",
        "Cấp công nhận",
        "Số QĐ tiêu biểu",
        "Ngày QĐ tiêu biểu",
    ]
    assert book["Danh sách"].max_row == 1  # the data sheet is empty: examples live apart
    guide = " ".join(str(c.value) for r in book["Hướng dẫn"].iter_rows() for c in r if c.value)
    for text in (
        "Mô hình (initiative)",
        "Văn hóa – xã hội (van-hoa-xa-hoi)",
        "Điển hình tiêu biểu (exemplary)",
        "Cấp tỉnh (province)",
        "Bằng khen (merit)",
    ):
        assert text in guide
    lists = [c.value for c in book["Danh mục"]["B"]]
    assert "Kinh tế" in lists
    assert book["Ví dụ"].max_row == 4


def test_round_trip_template_upload_validate_import(
    officer: User,
    thai_nguyen: Unit,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = Client()
    login_verified(client, officer)
    template = client.get(reverse("movement:import_template")).content
    codes = commune_codes(thai_nguyen)
    content = workbook_bytes(good_rows(codes), base=template)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("movement:imports"),
            {"target": thai_nguyen.code, "file": upload_file(content, "Thai Nguyen 2024.xlsx")},
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("movement:import_detail", args=[job.public_id])
    assert job.state == ImportJob.State.VALIDATED, job.failure
    assert (job.total_rows, job.valid_rows, job.error_count) == (3, 3, 0)
    assert job.errors == []
    assert job.original_name == "Thai Nguyen 2024.xlsx"
    assert len(job.sha256) == 64
    assert Entry.objects.count() == 0  # nothing is written before the user chooses

    page = client.get(reverse("movement:import_detail", args=[job.public_id]))
    assert "Tất cả các dòng đều hợp lệ" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("movement:import_start", args=[job.public_id]), {"mode": "all"}
        )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE, job.failure
    assert (job.created_count, job.updated_count, job.unchanged_count) == (3, 0, 0)
    assert job.started_by == officer
    assert not job.staged  # the normalized rows are removed once written

    first = Entry.objects.get(unit__code=codes[0])
    assert first.status == Status.REGISTERED
    assert first.registered_on == dt.date(2024, 1, 1)
    assert first.start_date == dt.date(2024, 3, 1)
    assert first.money_mobilized == 1_500_000_000
    assert str(first.land_donated_m2) == "3500.5"
    assert first.working_days == 1200
    assert first.contact_phone == "0912345678"
    assert first.period.name == "2021–2025"
    assert first.created_by == officer

    second = Entry.objects.get(unit__code=codes[1])
    assert second.kind == "collective"
    assert second.field.code == "van-hoa-xa-hoi"
    assert second.status == Status.RECOGNIZED
    assert (second.recognized_on, second.recognized_level) == (dt.date(2022, 11, 20), "province")
    decision = Decision.objects.get(entry=second)
    assert (decision.kind, decision.number, decision.issuer) == (
        "recognition",
        "125/QĐ-UBND",
        "UBND tỉnh Thái Nguyên",
    )

    third = Entry.objects.get(unit__code=codes[2])
    assert third.status == Status.EXEMPLARY
    assert third.exemplary_on == dt.date(2021, 12, 15)
    assert third.exemplary_level == "central"
    assert third.commended_on == dt.date(2021, 12, 20)
    kinds = dict(Decision.objects.filter(entry=third).values_list("kind", "form"))
    assert kinds == {"recognition": "decision", "exemplary": "decision", "commendation": "merit"}
    exemplary = Decision.objects.get(entry=third, kind="exemplary")
    assert exemplary.number_key == "20-QĐ/TW"
    assert exemplary.issuer == "Tỉnh ủy Thái Nguyên"  # the recognition's, by default

    # One "import" event per created entry, carrying its latest decision.
    event = EntryEvent.objects.get(entry=third)
    assert (event.from_status, event.to_status, event.actor) == ("draft", "exemplary", officer)
    assert event.decision == exemplary
    assert "dòng 4" in event.reason
    assert EntryEvent.objects.count() == 3
    assert AuditEvent.objects.filter(model_label="movement.entry", actor=officer).count() == 3
    created = AuditEvent.objects.get(model_label="movement.entry", object_pk=str(third.pk))
    assert created.changes == audit.diff({}, audit.snapshot(third))  # the bulk path's record
    assert (created.action, created.unit_path) == ("create", third.unit.path)
    assert AuditEvent.objects.filter(model_label="movement.decision", actor=officer).count() == 4


def test_national_import_loads_history_of_a_merged_province(
    system_admin: User,
    create_job: Callable[..., ImportJob],
    import_job: Callable[..., ImportJob],
) -> None:
    content = workbook_bytes(
        [
            row(
                unit_code=6,  # typed as a number: Excel drops the leading zero of "06"
                name="Mô hình Bắc Kạn 2018",
                kind="Mô hình",
                field="Kinh tế",
                registration_year=2018,
                status="Được công nhận",
                recognition_number="88/QĐ-UBND",
                recognition_date="10/12/2018",
                recognition_issuer="UBND tỉnh Bắc Kạn",
                recognition_level="Cấp tỉnh",
            ),
            row(
                unit_code="06",
                name="Mô hình Bắc Kạn 2026",
                kind="Mô hình",
                field="Kinh tế",
                registration_year=2026,
            ),
        ]
    )
    job = create_job(system_admin, None, content)
    assert job.state == ImportJob.State.VALIDATED
    assert job.valid_rows == 1
    assert job.errors[0]["row"] == 3
    assert job.errors[0]["column"] == "A"
    assert "đã hết hiệu lực" in job.errors[0]["message"]
    job = import_job(system_admin, job, "valid")
    assert job.state == ImportJob.State.DONE
    entry = Entry.objects.get()
    assert entry.unit.code == "06"
    assert entry.period.name == "2016–2020"
    assert entry.recognized_on == dt.date(2018, 12, 10)


# -- refused at once -------------------------------------------------------------------


def _post(client: Client, target: str, upload: Any) -> Any:
    return client.post(reverse("movement:imports"), {"target": target, "file": upload})


def test_wrong_and_missing_header_columns_are_listed(officer: User, thai_nguyen: Unit) -> None:
    client = Client()
    login_verified(client, officer)
    headers = [h for h in HEADERS if h not in ("Loại", "Năm đăng ký")] + ["Kinh phi"]
    response = _post(client, thai_nguyen.code, upload_file(workbook_bytes([], headers=headers)))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Thiếu cột: Loại, Năm đăng ký." in text
    assert "Cột không nhận ra: “Kinh phi”" in text
    assert ImportJob.objects.count() == 0


def test_header_matches_without_diacritics_in_any_order_below_a_title(
    officer: User, thai_nguyen: Unit, create_job: Callable[..., ImportJob]
) -> None:
    from danvan.core.text import fold

    headers = [fold(h) for h in reversed(HEADERS)] + ["STT"]
    values = [*reversed(good_rows(commune_codes(thai_nguyen))[0]), 1]
    job = create_job(officer, thai_nguyen, workbook_bytes([values], headers=headers))
    assert job.state == ImportJob.State.VALIDATED
    assert job.valid_rows == 1, job.errors


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ghi-chu.xlsx", "Đây là tệp văn bản, không phải bảng tính.".encode()),
        ("bang.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
        ("nen.xlsx", b"zip"),  # replaced below by a zip that is not a spreadsheet
    ],
)
def test_not_a_spreadsheet_is_refused(
    officer: User, thai_nguyen: Unit, name: str, content: bytes
) -> None:
    if content == b"zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as package:
            package.writestr("readme.txt", "xin chào")
        content = buffer.getvalue()
    client = Client()
    login_verified(client, officer)
    response = _post(client, thai_nguyen.code, upload_file(content, name))
    assert response.status_code == 400
    assert "Tệp không phải bảng tính Excel (.xlsx)" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_a_50_mb_upload_is_refused_without_being_read(
    officer: User, thai_nguyen: Unit, media: Path
) -> None:
    client = Client()
    login_verified(client, officer)
    big = SimpleUploadedFile("lon.xlsx", b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024), XLSX)
    response = _post(client, thai_nguyen.code, big)
    assert response.status_code == 413
    assert "Tệp quá lớn (tối đa 20 MB)" in response.content.decode()
    assert ImportJob.objects.count() == 0
    assert not any(media.rglob("*"))


def test_upload_limit_is_a_setting_and_cuts_the_stream(
    officer: User, thai_nguyen: Unit, settings: Any
) -> None:
    from danvan.movement.imports.views import ImportSizeLimitHandler

    settings.MOVEMENT_IMPORT_MAX_BYTES = 4096
    handler = ImportSizeLimitHandler(limit=4096)
    assert handler.receive_data_chunk(b"x" * 4000, 0) == b"x" * 4000
    with pytest.raises(Exception, match="StopUpload"):
        handler.receive_data_chunk(b"x" * 200, 4000)
    assert handler.too_large

    # Through the service too (another door than the page): the declared size is enough.
    fake = UploadedFile(io.BytesIO(b"PK\x03\x04"), name="a.xlsx", size=50 * 1024 * 1024)
    with pytest.raises(DomainError, match="Tệp quá lớn"):
        imports.job_create(actor=officer, upload=fake, unit=thai_nguyen)


def test_target_must_be_one_of_the_users_units(
    officer: User, thai_nguyen: Unit, system_admin: User
) -> None:
    client = Client()
    login_verified(client, officer)
    content = workbook_bytes(good_rows(commune_codes(thai_nguyen)))
    response = _post(client, "01", upload_file(content))
    assert response.status_code == 400  # not among the choices
    with pytest.raises(DomainError):
        imports.job_create(actor=officer, upload=upload_file(content), unit=None)
    assert ImportJob.objects.count() == 0


# -- the row report --------------------------------------------------------------------


def _errors(job: ImportJob) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["message"]) for e in job.errors]


def test_errors_name_the_exact_row_and_column(
    officer: User, thai_nguyen: Unit, create_job: Callable[..., ImportJob]
) -> None:
    codes = commune_codes(thai_nguyen)
    base = {"kind": "Mô hình", "field": "Kinh tế", "registration_year": 2024}
    rows = [
        row(unit_code=codes[0], name="Hợp lệ", **base),  # sheet row 4 (two title rows)
        row(unit_code=codes[0], name="Ngày sai", start_date="31/02/2024", **base),
        [None] * len(HEADERS),  # a blank row is skipped but still counted in numbering
        row(unit_code=codes[0], name="Ngày chữ", start_date="tháng ba", **base),
        row(unit_code="99999", name="Mã lạ", **base),
        row(unit_code="01", name="Hà Nội", **base),  # another province: outside the subtree
        row(unit_code=codes[1], name="Số âm", money_mobilized=-5, working_days="abc", **base),
        row(unit_code=codes[1], name="Loại lạ", kind="Phong trào", field="Nông nghiệp",
            registration_year=2012),
        row(unit_code=codes[1], name="", kind="Mô hình", field="Kinh tế"),
        row(unit_code=codes[2], name="Công nhận thiếu QĐ", status="Được công nhận", **base),
        row(unit_code=codes[2], name="Số QĐ sai", recognition_number="QĐ số 5",
            recognition_date="01/01/2024", recognition_issuer="UBND", recognition_level="tỉnh",
            **base),
        row(unit_code=codes[0], name="HỢP LỆ", **base),  # same as row 4 after folding
    ]  # fmt: skip
    content = workbook_bytes(rows, title_rows=2)
    job = create_job(officer, thai_nguyen, content)
    assert job.state == ImportJob.State.VALIDATED
    assert job.total_rows == 11
    assert job.valid_rows == 1
    errors = _errors(job)
    assert (5, "F", "Ngày “31/02/2024” không có thật.") in errors
    assert (
        7,
        "F",
        "“tháng ba” không phải ngày hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 15/03/2021.",
    ) in errors
    assert (8, "A", "Không có đơn vị mã “99999”.") in errors
    assert (9, "A", "Đơn vị “Thành phố Hà Nội” (mã 01) không thuộc phạm vi của “Thái Nguyên”.") in (
        errors
    )
    assert (10, "K", "Giá trị không được âm.") in errors
    assert (10, "L", "“abc” không phải là số.") in errors
    by_row: dict[int, list[tuple[str, str]]] = {}
    for r, col, message in errors:
        by_row.setdefault(r, []).append((col, message))
    assert [c for c, _m in by_row[11]] == ["C", "D", "E"]
    assert "Loại “Phong trào” không có" in by_row[11][0][1]
    assert by_row[11][2][1] == "Năm 2012 không thuộc giai đoạn nào của phong trào."
    assert ("B", "Không được để trống.") in by_row[12]
    assert ("E", "Không được để trống.") in by_row[12]
    assert by_row[13] == [("Q", "Trạng thái “Được công nhận” cần số và ngày quyết định công nhận.")]
    assert by_row[14][0][0] == "Q"
    assert "không phải số, ký hiệu văn bản hợp lệ" in by_row[14][0][1]
    assert by_row[15] == [("B", "Trùng với dòng 4 (cùng đơn vị, giai đoạn và tên).")]
    assert all(e["field"] for e in job.errors)

    client = Client()
    login_verified(client, officer)
    page = client.get(reverse("movement:import_detail", args=[job.public_id])).content.decode()
    assert "Không có đơn vị mã “99999”." in page
    assert 'id="import-errors"' in page


def test_errors_beyond_the_cap_are_counted(
    officer: User,
    thai_nguyen: Unit,
    create_job: Callable[..., ImportJob],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(imports, "MAX_ERRORS", 2)
    rows = [row(unit_code="99999", name=f"Dòng {i}", kind="x") for i in range(3)]
    job = create_job(officer, thai_nguyen, workbook_bytes(rows))
    assert len(job.errors) == 2
    assert job.error_count > 2
    assert job.invalid_rows == 3


def test_too_many_rows_fails_the_job(
    officer: User, thai_nguyen: Unit, create_job: Callable[..., ImportJob], settings: Any
) -> None:
    settings.MOVEMENT_IMPORT_MAX_ROWS = 2
    rows = good_rows(commune_codes(thai_nguyen))
    job = create_job(officer, thai_nguyen, workbook_bytes(rows))
    assert job.state == ImportJob.State.FAILED
    assert "quá 2 dòng" in job.failure


# -- the two modes, re-import, and all-or-nothing writing ------------------------------


def _mixed(thai_nguyen: Unit) -> bytes:
    rows = good_rows(commune_codes(thai_nguyen))
    rows.insert(1, row(unit_code="99999", name="Sai", kind="Mô hình", field="Kinh tế",
                       registration_year=2024))  # fmt: skip
    return workbook_bytes(rows)


def test_all_mode_with_one_bad_row_writes_nothing(
    officer: User,
    thai_nguyen: Unit,
    create_job: Callable[..., ImportJob],
    django_capture_on_commit_callbacks: Any,
) -> None:
    job = create_job(officer, thai_nguyen, _mixed(thai_nguyen))
    assert (job.valid_rows, job.invalid_rows) == (3, 1)
    client = Client()
    login_verified(client, officer)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(
            reverse("movement:import_start", args=[job.public_id]), {"mode": "all"}
        )
    assert response.status_code == 400
    assert "Bảng tính còn 1 dòng lỗi nên không dòng nào được ghi" in response.content.decode()
    assert queued == []
    job.refresh_from_db()
    assert job.state == ImportJob.State.VALIDATED  # the user may still choose "valid"
    assert Entry.objects.count() == Decision.objects.count() == 0


def test_valid_mode_writes_only_the_valid_rows(
    officer: User,
    thai_nguyen: Unit,
    create_job: Callable[..., ImportJob],
    import_job: Callable[..., ImportJob],
) -> None:
    job = create_job(officer, thai_nguyen, _mixed(thai_nguyen))
    job = import_job(officer, job, "valid")
    assert job.state == ImportJob.State.DONE
    assert job.created_count == 3
    assert sorted(Entry.objects.values_list("name", flat=True)) == sorted(
        r[1] for r in good_rows(commune_codes(thai_nguyen))
    )
    with pytest.raises(DomainError, match="không ghi được nữa"):
        imports.job_start(actor=officer, job=job, mode="valid")
    imports.job_run(job_id=job.pk)  # a task delivered twice writes once
    assert Entry.objects.count() == 3


def test_reimport_creates_no_duplicates_and_updates_changed_rows(
    officer: User,
    thai_nguyen: Unit,
    create_job: Callable[..., ImportJob],
    import_job: Callable[..., ImportJob],
) -> None:
    codes = commune_codes(thai_nguyen)
    content = workbook_bytes(good_rows(codes))
    import_job(officer, create_job(officer, thai_nguyen, content))
    counts = (Entry.objects.count(), Decision.objects.count(), EntryEvent.objects.count())
    assert counts == (3, 4, 3)

    again = import_job(officer, create_job(officer, thai_nguyen, content))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert (Entry.objects.count(), Decision.objects.count(), EntryEvent.objects.count()) == counts

    client = Client()
    login_verified(client, officer)
    third = create_job(officer, thai_nguyen, content)
    page = client.get(reverse("movement:import_detail", args=[third.public_id])).content.decode()
    assert "Tệp có cùng nội dung đã được nhập" in page

    # The same rows, one renamed only in case and accents, one with a new goal and a
    # recognition, one with empty cells (which erase nothing).
    rows = good_rows(codes)
    rows[0][1] = "MÔ HÌNH “DÂN VẬN KHÉO” HIẾN ĐẤT LÀM ĐƯỜNG"
    rows[0][7] = "Mục tiêu mới"
    rows[2] = row(
        unit_code=codes[2],
        name="Điển hình cá nhân ông Hoàng Văn B",
        kind="Điển hình cá nhân",
        field="Xây dựng hệ thống chính trị",
        registration_year=2021,
    )
    changed = import_job(officer, create_job(officer, thai_nguyen, workbook_bytes(rows)))
    assert (changed.created_count, changed.updated_count, changed.unchanged_count) == (0, 1, 2)
    assert Entry.objects.count() == 3
    first = Entry.objects.get(unit__code=codes[0])
    assert first.goals == "Mục tiêu mới"
    assert first.name == "MÔ HÌNH “DÂN VẬN KHÉO” HIẾN ĐẤT LÀM ĐƯỜNG"
    kept = Entry.objects.get(unit__code=codes[2])
    assert kept.status == Status.EXEMPLARY  # a row never moves an entry back
    assert kept.commended_on == dt.date(2021, 12, 20)
    update = AuditEvent.objects.filter(model_label="movement.entry", action="update").get()
    assert update.changes["goals"] == ["Bê tông hóa đường liên thôn", "Mục tiêu mới"]


def test_reimport_adds_a_recognition_to_a_registered_entry(
    officer: User,
    thai_nguyen: Unit,
    create_job: Callable[..., ImportJob],
    import_job: Callable[..., ImportJob],
) -> None:
    code = commune_codes(thai_nguyen)[0]
    base = {"unit_code": code, "name": "Mô hình A", "kind": "Mô hình", "field": "Kinh tế"}
    import_job(
        officer,
        create_job(officer, thai_nguyen, workbook_bytes([row(registration_year=2023, **base)])),
    )
    recognized = row(
        registration_year=2023,
        recognition_number="5/QĐ-UBND",
        recognition_date="02/02/2024",
        recognition_issuer="UBND xã",
        recognition_level="Cấp xã",
        **base,
    )
    job = import_job(officer, create_job(officer, thai_nguyen, workbook_bytes([recognized])))
    assert job.updated_count == 1
    entry = Entry.objects.get()
    assert entry.status == Status.RECOGNIZED  # inferred from the decision
    assert entry.recognized_on == dt.date(2024, 2, 2)
    assert list(entry.events.values_list("from_status", "to_status")) == [
        ("draft", "registered"),
        ("registered", "recognized"),
    ]


def test_a_failure_mid_way_leaves_the_database_as_it_was(
    officer: User,
    thai_nguyen: Unit,
    create_job: Callable[..., ImportJob],
    import_job: Callable[..., ImportJob],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    job = create_job(officer, thai_nguyen, workbook_bytes(good_rows(commune_codes(thai_nguyen))))
    before = {model: model.objects.count() for model in (Entry, Decision, EntryEvent, AuditEvent)}
    calls: list[int] = []
    real = imports.write_batch

    def failing(run: Any, rows: list[dict[str, Any]]) -> None:
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("disk full")  # after the first batch was written
        real(run, rows)

    monkeypatch.setattr(imports, "BATCH", 2)
    monkeypatch.setattr(imports, "write_batch", failing)
    job = import_job(officer, job, "all")
    assert calls == [2, 1]
    assert job.state == ImportJob.State.FAILED
    assert "không dòng nào được ghi" in job.failure
    # Only the job's own audit row (mode chosen) was added, before the writing began.
    after = {model: model.objects.count() for model in (Entry, Decision, EntryEvent, AuditEvent)}
    assert after == {**before, AuditEvent: before[AuditEvent] + 1}

    client = Client()
    login_verified(client, officer)
    page = client.get(reverse("movement:import_detail", args=[job.public_id])).content.decode()
    assert "không dòng nào được ghi" in page


# -- pages and who sees what -----------------------------------------------------------


def test_import_pages_access_walk(
    commune: Unit,
    create_job: Callable[..., ImportJob],
    django_capture_on_commit_callbacks: Any,
) -> None:
    cast = build_cast(commune)
    same = cast.users["same"]
    content = workbook_bytes(
        [
            row(
                unit_code="99999",
                name="Sai",
                kind="Mô hình",
                field="Kinh tế",
                registration_year=2024,
            )
        ]
    )
    job = create_job(same, commune, content)
    assert job.state == ImportJob.State.VALIDATED
    everyone = {"anonymous": 302, "same": 200, "sibling": 200, "parent": 200, "admin": 200}
    walk(cast, reverse("movement:imports"), expect=everyone)
    walk(cast, reverse("movement:import_template"), expect=everyone)
    walk(cast, reverse("movement:import_detail", args=[job.public_id]), expect=READ_SCOPED)
    walk(cast, reverse("movement:import_progress", args=[job.public_id]), expect=READ_SCOPED)
    # Starting: refused for those who see the job ("all" with a bad row), 404 for the rest.
    walk(
        cast,
        reverse("movement:import_start", args=[job.public_id]),
        method="post",
        data={"mode": "all"},
        expect={"anonymous": 302, "same": 400, "sibling": 404, "parent": 400, "admin": 400},
    )
    # The sibling's list does not show another unit's job; the owner's does.
    sibling_page = cast.client("sibling").get(reverse("movement:imports")).content.decode()
    assert str(job.public_id) not in sibling_page
    own_page = cast.client("same").get(reverse("movement:imports")).content.decode()
    assert str(job.public_id) in own_page
    # A national job is seen by national grants only.
    national = create_job(cast.users["admin"], None, content)
    walk(
        cast,
        reverse("movement:import_detail", args=[national.public_id]),
        expect={"anonymous": 302, "same": 404, "sibling": 404, "parent": 404, "admin": 200},
    )


def test_reader_without_edit_rights_cannot_import(commune: Unit) -> None:
    reviewer = make_user("nguoi-doc", "reviewer", commune)
    client = Client()
    login_verified(client, reviewer)
    assert client.get(reverse("movement:imports")).status_code == 403
    assert client.get(reverse("movement:import_template")).status_code == 200


def test_progress_partial_polls_while_running_and_reloads_when_done(
    officer: User, thai_nguyen: Unit, create_job: Callable[..., ImportJob]
) -> None:
    job = create_job(officer, thai_nguyen, workbook_bytes(good_rows(commune_codes(thai_nguyen))))
    client = Client()
    login_verified(client, officer)
    url = reverse("movement:import_progress", args=[job.public_id])
    ImportJob.objects.filter(pk=job.pk).update(
        state="validating", processed_rows=500, total_rows=2000
    )
    partial = client.get(url, headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert 'hx-trigger="every 1s"' in text
    assert 'value="500" max="2000"' in text
    assert "(25%)" in text
    assert "style=" not in text
    detail = client.get(reverse("movement:import_detail", args=[job.public_id])).content.decode()
    assert 'id="import-progress"' in detail
    ImportJob.objects.filter(pk=job.pk).update(state="validated")
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_job_list_runs_a_constant_number_of_queries(
    officer: User,
    thai_nguyen: Unit,
    create_job: Callable[..., ImportJob],
    django_assert_max_num_queries: Any,
) -> None:
    content = workbook_bytes(good_rows(commune_codes(thai_nguyen)))
    client = Client()
    login_verified(client, officer)
    create_job(officer, thai_nguyen, content)
    url = reverse("movement:imports")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(5):
        create_job(officer, thai_nguyen, content)
    with django_assert_max_num_queries(len(one)):
        response = client.get(url)
    assert response.content.decode().count("/nhap-excel/") >= 6


def test_progress_is_saved_while_checking(
    officer: User,
    thai_nguyen: Unit,
    create_job: Callable[..., ImportJob],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc

    seen: list[dict[str, Any]] = []
    real = imports._save_progress

    def spy(job: ImportJob, **values: Any) -> None:
        seen.append(values)
        real(job, **values)

    monkeypatch.setattr(imports, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(imports, "_save_progress", spy)
    codes = commune_codes(thai_nguyen)
    rows = [row(unit_code=codes[0], name=f"Mô hình {i}", kind="Mô hình", field="Kinh tế",
                registration_year=2024) for i in range(5)]  # fmt: skip
    job = create_job(officer, thai_nguyen, workbook_bytes(rows))
    assert job.state == ImportJob.State.VALIDATED
    progress = [v["processed_rows"] for v in seen if "processed_rows" in v]
    assert progress == [0, 2, 4]
    # openpyxl's normal (not write-only) mode declares the sheet's size: the bar knows it.
    assert next(v["total_rows"] for v in seen if "total_rows" in v) == 5
    assert gc.isenabled()  # the collector paused for the job is running again


def test_declared_size_is_read_without_a_pass_over_the_rows(tmp_path: Path) -> None:
    from openpyxl import Workbook as PlainWorkbook

    sized = io.BytesIO(workbook_bytes([row(name=f"m{i}") for i in range(7)]))
    with excel.Spreadsheet(sized, max_uncompressed=10**9) as sheet:
        assert sheet.estimated_rows == 7
        assert sum(1 for _ in sheet.rows()) == 7
    book = PlainWorkbook(write_only=True)  # writes no <dimension> element
    data = book.create_sheet("Danh sách")
    data.append(HEADERS)
    for i in range(3):
        data.append(row(name=f"m{i}"))
    unsized = io.BytesIO()
    book.save(unsized)
    with excel.Spreadsheet(unsized, max_uncompressed=10**9) as sheet:
        assert sheet.estimated_rows is None
        assert [n for n, _cells in sheet.rows()] == [2, 3, 4]


def test_a_zip_bomb_is_refused_before_parsing(
    settings: Any, officer: User, thai_nguyen: Unit
) -> None:
    settings.MOVEMENT_IMPORT_MAX_UNCOMPRESSED = 10_000
    content = workbook_bytes([row(name="x" * 200, goals="y" * 5000) for _ in range(5)])
    with pytest.raises(DomainError, match="quá lớn khi giải nén"):
        imports.job_create(actor=officer, upload=upload_file(content), unit=thai_nguyen)


def test_valid_mode_with_no_valid_row_is_refused(
    officer: User, thai_nguyen: Unit, create_job: Callable[..., ImportJob]
) -> None:
    job = create_job(officer, thai_nguyen, workbook_bytes([row(unit_code="99999", name="x")]))
    with pytest.raises(DomainError, match="Không có dòng hợp lệ"):
        imports.job_start(actor=officer, job=job, mode="valid")


def test_a_stored_file_that_cannot_be_read_fails_the_job(
    officer: User, thai_nguyen: Unit, create_job: Callable[..., ImportJob]
) -> None:
    content = workbook_bytes(good_rows(commune_codes(thai_nguyen)))
    job = create_job(officer, thai_nguyen, content)
    job.file.storage.delete(job.file.name)
    ImportJob.objects.filter(pk=job.pk).update(state="pending")
    imports.job_validate(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert job.failure == "Không kiểm tra được tệp do lỗi hệ thống. Hãy thử lại sau."


# -- values ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # openpyxl reads a date cell as a naive datetime (Excel has no time zones).
        (dt.datetime(2021, 3, 15, 0, 0), dt.date(2021, 3, 15)),  # noqa: DTZ001
        ("15/03/2021", dt.date(2021, 3, 15)),
        ("5/3/2021", dt.date(2021, 3, 5)),
        ("15-03-2021", dt.date(2021, 3, 15)),
        ("2021-03-15", dt.date(2021, 3, 15)),
        (None, None),
        ("  ", None),
    ],
)
def test_dates(value: Any, expected: dt.date | None) -> None:
    assert excel.parse_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2021", "03/15/2021", "15.03.21", 44270, "1/1/1900"])
def test_bad_dates(value: Any) -> None:
    with pytest.raises(excel.BadValue):
        excel.parse_date(value)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("150.000.000", 0, "150000000"),
        ("150,000,000", 0, "150000000"),
        ("1,5", 1, "1.5"),
        (2.25, 1, "2.3"),
        (1200, 0, "1200"),
        ("", 0, None),
    ],
)
def test_numbers(value: Any, places: int, expected: str | None) -> None:
    number = excel.parse_number(value, places=places, limit=excel.MONEY_LIMIT)
    assert (str(number) if number is not None else None) == expected


def test_choice_keys_fold_case_diacritics_and_punctuation() -> None:
    assert excel.choice_key("Văn hóa – xã hội") == excel.choice_key("van-hoa-xa-hoi")
    assert excel.choice_key("Đất hiến (m²)") == excel.choice_key("dat hien m2")
    assert excel.kind_choices()[excel.choice_key("ĐIỂN HÌNH TẬP THỂ")] == "collective"
    assert excel.status_choices()[excel.choice_key("recognized")] == "recognized"
    assert excel.choice_key("Trả lại để bổ sung") not in excel.status_choices()


# -- durable jobs: a dead worker, resume, retry, duplicates (danvan/jobs) -----------------


@pytest.fixture(autouse=True)
def beats(settings: Any, tmp_path: Path) -> None:
    # The heartbeat files of the jobs, apart from the repository's var/.
    settings.JOBS_HEARTBEAT_DIR = str(tmp_path / "beats")


@pytest.fixture
def validated(officer: User, thai_nguyen: Unit, create_job: Callable[..., ImportJob]) -> ImportJob:
    job = create_job(officer, thai_nguyen, workbook_bytes(good_rows(commune_codes(thai_nguyen))))
    assert job.state == ImportJob.State.VALIDATED
    return job


def run_key(job: ImportJob) -> str:
    return imports.job_key(imports.RUN_JOB, job.pk)


def start_on_a_worker_that_dies(
    officer: User, job: ImportJob, django_capture_on_commit_callbacks: Any
) -> dt.datetime:
    """job_start, then a worker claims the writing and is never heard of again."""
    with django_capture_on_commit_callbacks(execute=False) as sent:
        imports.job_start(actor=officer, job=job, mode="all")
    assert len(sent) == 1  # the message the dead worker took
    claimed_at = timezone.now() - dt.timedelta(hours=1)
    assert jobs.job_claim(key=run_key(job), worker="dead:1", now=claimed_at) is not None
    return claimed_at


def test_a_dead_writer_is_resumed_and_the_rows_are_written_once(
    officer: User,
    validated: ImportJob,
    django_capture_on_commit_callbacks: Any,
) -> None:
    start_on_a_worker_that_dies(officer, validated, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        reaped = jobs.jobs_reap()
    assert reaped.resumed == [run_key(validated)]
    validated.refresh_from_db()
    assert validated.state == ImportJob.State.DONE
    assert validated.created_count == Entry.objects.count() == 3
    task_job = Job.objects.get(key=run_key(validated))
    assert (task_job.state, task_job.attempts) == (Job.State.SUCCEEDED, 2)
    # The dead worker's message delivered late (Redis after its visibility timeout).
    tasks.run_import.apply(args=(validated.pk,))
    assert Entry.objects.count() == 3
    assert EntryEvent.objects.count() == 3


def test_a_dead_writer_with_no_attempt_left_fails_with_a_message_and_the_retry_writes_once(
    officer: User,
    validated: ImportJob,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.JOBS_MAX_ATTEMPTS = 1
    start_on_a_worker_that_dies(officer, validated, django_capture_on_commit_callbacks)
    client = Client()
    login_verified(client, officer)
    # The page's poll finds the dead worker: no "đang ghi dữ liệu…" for ever.
    progress = client.get(
        reverse("movement:import_progress", args=[validated.public_id]), HTTP_HX_REQUEST="true"
    )
    assert progress.status_code == 200
    assert progress.headers["HX-Refresh"] == "true"
    validated.refresh_from_db()
    assert (validated.state, validated.retryable) == (ImportJob.State.FAILED, True)
    assert validated.failure.startswith("Tiến trình xử lý nền đã dừng đột ngột")
    assert "Không dòng nào được ghi; dữ liệu giữ nguyên" in validated.failure
    assert Entry.objects.count() == 0
    page = client.get(reverse("movement:import_detail", args=[validated.public_id]))
    assert "dừng đột ngột" in page.content.decode()
    assert 'id="import-retry"' in page.content.decode()
    # A leader of the unit reads the import but may not write it: no button leading to 403.
    reader = Client()
    login_verified(reader, make_user("leader-import", "leader", validated.unit))
    seen = reader.get(reverse("movement:import_detail", args=[validated.public_id]))
    assert seen.status_code == 200
    assert "dừng đột ngột" in seen.content.decode()
    assert 'id="import-retry"' not in seen.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("movement:import_retry", args=[validated.public_id]))
    assert response.status_code == 302
    validated.refresh_from_db()
    assert (validated.state, validated.failure) == (ImportJob.State.DONE, "")
    assert Entry.objects.count() == 3
    task_job = Job.objects.get(key=run_key(validated))
    assert (task_job.pk, task_job.state, task_job.attempts) == (
        task_job.pk,
        Job.State.SUCCEEDED,
        1,
    )
    # A second retry is refused: the job is done.
    again = client.post(reverse("movement:import_retry", args=[validated.public_id]))
    assert again.status_code == 400
    assert "Chỉ thử lại được lượt nhập thất bại do lỗi hệ thống" in again.content.decode()
    assert Entry.objects.count() == 3


def test_a_duplicate_delivery_while_the_writer_runs_writes_nothing(
    officer: User, validated: ImportJob, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        imports.job_start(actor=officer, job=validated, mode="all")
    assert jobs.job_claim(key=run_key(validated), worker="alive:1") is not None
    tasks.run_import.apply(args=(validated.pk,))  # the same message, delivered again
    validated.refresh_from_db()
    assert validated.state == ImportJob.State.IMPORTING
    assert Entry.objects.count() == 0
    assert Job.objects.get(key=run_key(validated)).worker == "alive:1"


def test_a_system_error_while_writing_is_retryable(
    officer: User,
    validated: ImportJob,
    import_job: Callable[..., ImportJob],
    run_tasks: Callable[[Callable[[], Any]], Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = imports.write_batch

    def failing(run: Any, rows: list[dict[str, Any]]) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(imports, "write_batch", failing)
    job = import_job(officer, validated, "all")
    assert (job.state, job.retryable) == (ImportJob.State.FAILED, True)
    task_job = Job.objects.get(key=run_key(job))
    assert (task_job.state, task_job.retryable) == (Job.State.FAILED, True)
    monkeypatch.setattr(imports, "write_batch", real)
    run_tasks(lambda: imports.job_retry(actor=officer, job=job))
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert Entry.objects.count() == 3


def test_a_failure_of_the_file_is_not_retried(
    officer: User,
    thai_nguyen: Unit,
    create_job: Callable[..., ImportJob],
    settings: Any,
) -> None:
    settings.MOVEMENT_IMPORT_MAX_ROWS = 2
    job = create_job(officer, thai_nguyen, workbook_bytes(good_rows(commune_codes(thai_nguyen))))
    assert (job.state, job.retryable) == (ImportJob.State.FAILED, False)
    validate = Job.objects.get(key=imports.job_key(imports.VALIDATE_JOB, job.pk))
    assert (validate.state, validate.retryable) == (Job.State.FAILED, False)
    with pytest.raises(DomainError, match="Chỉ thử lại được lượt nhập thất bại do lỗi hệ thống"):
        imports.job_retry(actor=officer, job=job)
    client = Client()
    login_verified(client, officer)
    page = client.get(reverse("movement:import_detail", args=[job.public_id])).content.decode()
    assert "quá 2 dòng" in page
    assert 'id="import-retry"' not in page


def test_an_import_left_writing_before_the_upgrade_is_found_and_finished(
    validated: ImportJob, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    # As a version without job records left it: writing, its worker gone, no record.
    ImportJob.objects.filter(pk=validated.pk).update(state=ImportJob.State.IMPORTING, mode="all")
    Job.objects.all().delete()
    migration = importlib.import_module("danvan.movement.migrations.0008_import_job_records")
    migration.record_running_imports(django_apps, None)
    assert jobs.jobs_reap().resumed == []  # no beat since the upgrade, but not for long
    later = timezone.now() + dt.timedelta(seconds=settings.JOBS_STALE_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        reaped = jobs.jobs_reap(now=later)
    assert reaped.resumed == [run_key(validated)]
    validated.refresh_from_db()
    assert validated.state == ImportJob.State.DONE
    assert Entry.objects.count() == 3


def test_the_progress_of_the_writing_comes_from_its_heartbeat(
    officer: User, validated: ImportJob, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        imports.job_start(actor=officer, job=validated, mode="all")
    task_job = jobs.job_claim(key=run_key(validated), worker="alive:1")
    assert task_job is not None
    client = Client()
    login_verified(client, officer)
    url = reverse("movement:import_progress", args=[validated.public_id])
    assert 'id="import-written"' not in client.get(url).content.decode()
    jobs_heartbeat.record(task_job.pk, at=timezone.now(), progress=2)
    page = client.get(url).content.decode()
    assert "Đã xử lý 2 / 3 dòng." in page
    assert 'value="2" max="3"' in page
