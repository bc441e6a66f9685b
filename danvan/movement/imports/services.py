"""Importing entries from a spreadsheet: the writes behind the import pages.

A job goes pending → validating → validated → importing → done, or failed:

1. ``job_create`` (the upload): refuses at once what is not a readable .xlsx with the
   template's columns, stores the file through the storage API with its SHA-256, and
   queues the validation after commit.
2. ``job_validate`` (Celery): one streaming pass over the rows (excel.RowChecker); errors
   go to the job as {row, column, field, message}; the valid rows are normalized into a
   gzip JSON-lines file (``ImportJob.staged``) so the writing never parses the spreadsheet
   again. Nothing is written to entries. The progress bar follows ``processed_rows``,
   saved every PROGRESS_EVERY rows.
3. ``job_start`` (the user's choice): "all" is refused when any row has an error;
   "valid" writes the valid rows only. Queues the writing after commit.
4. ``job_run`` (Celery): everything in ONE transaction. A failure anywhere rolls it all
   back and marks the job failed with a Vietnamese message: the database stays as it was.
   Inside that transaction another connection cannot report progress (on SQLite it could
   not even write), so the page shows "đang ghi…" during this phase instead of a bar.

Both background phases are durable jobs (danvan/jobs, keys ``movement.import.validate:<id>``
and ``movement.import.run:<id>``): their worker beats, and a worker that dies is found by
the reaper or by the next poll of the progress (``job_check``); the phase is then run
again (the database rolled the dead attempt's transaction back) or, with no attempt
left, the job fails with a message that says so, and ``job_retry`` (the page's "Thử
lại" button) queues the same phase again. A phase run twice writes once: the run locks
the job's row and finds it no longer importing.

Writing is batched (BATCH rows: one query for the existing entries, bulk inserts and
updates, bulk audit rows), never one entry_create per row. The natural key is
(unit, period, folded name): a row whose key exists updates that entry, so importing the
same file twice creates nothing the second time. Merging never erases: empty cells keep
stored values, a status only moves forward in the life cycle, a milestone date already
set is kept, and a decision already recorded (same kind and number) is not added again.
Each created entry gets one event (draft → its status, "Nhập từ Excel: <file>, dòng N",
with its latest decision), so its history says where it came from; an updated entry gets
an event only when its status moved. Audit rows are written for every created entry and
decision and every changed entry (audit.record_bulk_create / record_bulk_update).

Speed (bench/movement_import.py, 10^5 rows): rows are inserted with one prepared
statement each (core.bulk_insert, not bulk_create's per-value ORM work), the cyclic
garbage collector is paused during a job (millions of short-lived objects, no cycles),
and on SQLite the page cache is enlarged while writing. Memory stays flat: one row (or
one batch) at a time, and the duplicate check keeps a 64-bit hash per row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import gzip
import hashlib
import json
import logging
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.audit import services as audit
from danvan.core.bulk_insert import insert_many, insert_rows
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.jobs import services as jobs
from danvan.jobs.models import Job
from danvan.jobs.runner import Failed
from danvan.units.models import Unit

from ..errors import MovementError
from ..models import Decision, Entry, EntryEvent, Field, ImportJob, Period, Status
from . import excel, selectors

logger = logging.getLogger(__name__)

# Errors kept on the job for the report (all are counted in error_count).
MAX_ERRORS = 1000
# The validation saves its progress every this many rows.
PROGRESS_EVERY = 500
# Rows written per batch (one lookup query, a few bulk statements).
BATCH = 1000


def max_upload_bytes() -> int:
    return int(getattr(settings, "MOVEMENT_IMPORT_MAX_BYTES", 20 * 1024 * 1024))


def max_uncompressed_bytes() -> int:
    return int(getattr(settings, "MOVEMENT_IMPORT_MAX_UNCOMPRESSED", 1024 * 1024 * 1024))


def max_rows() -> int:
    return int(getattr(settings, "MOVEMENT_IMPORT_MAX_ROWS", 200_000))


def _error(message: str, *, field: str | None = None) -> DomainError:
    return DomainError(MovementError.BAD_FILE.value, message, field=field)


def too_large_message() -> str:
    return _("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": max_upload_bytes() // (1024 * 1024)}


def _require_target(actor: Any, unit: Unit | None) -> None:
    if actor is None:
        return
    if unit is None:
        if not policies.has_perm(actor, Perm.MOVEMENT_EDIT, None):
            raise PermissionDenied(_("Chỉ tài khoản cấp trung ương được nhập dữ liệu toàn quốc."))
        return
    policies.require(actor, Perm.MOVEMENT_EDIT, unit)


# -- 1. upload -------------------------------------------------------------------


def check_upload(upload: UploadedFile) -> None:
    """Refuse at once what cannot be imported: too big, not an .xlsx, wrong columns."""
    if upload.size is None or upload.size > max_upload_bytes():
        raise _error(too_large_message(), field="file")
    if not (upload.name or "").lower().endswith(".xlsx"):
        raise excel.not_a_spreadsheet()
    upload.seek(0)
    try:
        with excel.Spreadsheet(upload, max_uncompressed=max_uncompressed_bytes()):
            pass  # opening finds and checks the header
    finally:
        upload.seek(0)


def job_create(*, actor: Any, upload: UploadedFile, unit: Unit | None) -> ImportJob:
    """Store an uploaded spreadsheet as a pending job and queue its validation."""
    _require_target(actor, unit)
    check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    job = ImportJob(
        unit=unit,
        original_name=(upload.name or "bang-tinh.xlsx")[-255:],
        sha256=digest.hexdigest(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # The stored name is ours; the user's file name is kept in original_name only.
    job.file.save(f"{uuid.uuid4().hex}.xlsx", upload, save=False)
    try:
        with transaction.atomic():
            job.save()
            audit.record_create(actor=actor, instance=job)
            # In the same transaction: the job's record exists exactly when the import does.
            jobs.job_enqueue(kind=VALIDATE_JOB, key=job_key(VALIDATE_JOB, job.pk), args=[job.pk])
    except Exception:
        job.file.delete(save=False)
        raise
    return job


# The durable jobs of the two background phases (declared in movement/tasks.py).
VALIDATE_JOB = "movement.import.validate"
RUN_JOB = "movement.import.run"


def job_key(kind: str, import_id: int) -> str:
    return jobs.key_for(kind, import_id)


# -- 2. validation ---------------------------------------------------------------


def _lookups(unit: Unit | None) -> excel.Lookups:
    columns = ("id", "code", "name", "path", "valid_to")
    units = Unit.objects.all() if unit is None else Unit.objects.filter(policies.subtree_q(unit))
    known = {row[1]: excel.UnitRef(*row) for row in units.values_list(*columns)}

    def unit_by_code(code: str) -> excel.UnitRef | None:
        found = known.get(code)
        if found is None and unit is not None:
            # Outside the subtree: looked up only to say "not in scope" rather than
            # "unknown" (the checker caches the answer per code).
            row = Unit.objects.filter(code=code).values_list(*columns).first()
            found = excel.UnitRef(*row) if row else None
        return found

    fields: dict[str, int] = {}
    for pk, code, name in Field.objects.values_list("id", "code", "name"):
        fields[excel.choice_key(code)] = pk
        fields[excel.choice_key(name)] = pk
    scope = None
    if unit is not None:
        scope = excel.UnitRef(unit.pk, unit.code, unit.name, unit.path, unit.valid_to)
    return excel.Lookups(
        unit_by_code=unit_by_code,
        scope=scope,
        fields=fields,
        periods=list(Period.objects.values_list("start_year", "end_year", "id")),
        today=timezone.localdate(),
    )


# The staged row: a JSON list in this order (dates as ISO text, decimals as text).
STAGED_KEYS = (
    "row",
    "unit_id",
    "period_id",
    "name",
    "name_folded",
    "kind",
    "field_id",
    "registration_year",
    "start_date",
    "target_group",
    "goals",
    "content_method",
    "expected_results",
    "achieved_results",
    "money_mobilized",
    "working_days",
    "land_donated_m2",
    "contact_name",
    "contact_phone",
    "status",
    "decisions",
)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot stage {type(value).__name__}")


_STAGE_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_json_default)


def stage_line(row: dict[str, Any]) -> bytes:
    line = _STAGE_ENCODER.encode([row.get(key) for key in STAGED_KEYS])
    return line.encode() + b"\n"


def _unstage(line: bytes) -> dict[str, Any]:
    row = dict(zip(STAGED_KEYS, json.loads(line), strict=True))
    if row["start_date"]:
        row["start_date"] = dt.date.fromisoformat(row["start_date"])
    for key in ("money_mobilized", "land_donated_m2"):
        if row[key] is not None:
            row[key] = Decimal(row[key])
    for d in row["decisions"]:
        d[3] = dt.date.fromisoformat(d[3])
    return row


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during a job.

    A job creates and drops millions of short-lived objects (cells, rows, instances)
    that form no reference cycles and are freed as soon as they are dropped; the cyclic
    collector would still run thousands of times over the whole heap for nothing, about
    a fifth of the job's time (bench/movement_import.py). Reference counting still frees
    everything; the few cycles left are collected when the collector resumes.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _save_progress(job: ImportJob, **values: Any) -> None:
    # An update of these columns only (autocommit), so the page polling sees it at once.
    ImportJob.objects.filter(pk=job.pk).update(**values, updated_at=timezone.now())


def _fail(job: ImportJob, message: str, *, retryable: bool = False) -> Failed:
    _save_progress(job, state=ImportJob.State.FAILED, failure=message, retryable=retryable)
    return Failed(message, retryable=retryable)


def job_validate(*, job_id: int) -> Failed | None:
    """Check every row of a pending job's file; nothing is written to entries. Returns
    the failure (for the job's record) when the job failed."""
    job = ImportJob.objects.select_related("unit").filter(pk=job_id).first()
    if job is None or job.state not in (ImportJob.State.PENDING, ImportJob.State.VALIDATING):
        return None  # already done (a redelivered task)
    _save_progress(job, state=ImportJob.State.VALIDATING, processed_rows=0)
    try:
        with _cyclic_gc_paused():
            _validate(job)
    except DomainError as exc:
        return _fail(job, exc.message)
    except Exception:
        logger.exception("import job %s: validation failed", job.pk)
        return _fail(
            job, _("Không kiểm tra được tệp do lỗi hệ thống. Hãy thử lại sau."), retryable=True
        )
    return None


def _validate(job: ImportJob) -> None:
    limit = max_rows()
    total = valid = error_count = 0
    errors: list[dict[str, Any]] = []
    with tempfile.TemporaryFile() as staged:
        with (
            gzip.GzipFile(fileobj=staged, mode="wb", compresslevel=1) as out,
            job.file.open("rb") as source,
            excel.Spreadsheet(source, max_uncompressed=max_uncompressed_bytes()) as sheet,
        ):
            checker = excel.RowChecker(sheet.header, _lookups(job.unit))
            estimate = min(sheet.estimated_rows or 0, limit)
            _save_progress(job, total_rows=estimate)
            for number, cells in sheet.rows():
                total += 1
                if total > limit:
                    raise _error(
                        _("Bảng tính có quá %(n)s dòng; hãy chia thành nhiều tệp.")
                        % {"n": f"{limit:,}".replace(",", ".")}
                    )
                row, row_errors = checker.check(number, cells)
                if row is not None:
                    valid += 1
                    out.write(stage_line(row))
                else:
                    error_count += len(row_errors)
                    errors.extend(row_errors[: max(0, MAX_ERRORS - len(errors))])
                if total % PROGRESS_EVERY == 0:
                    _save_progress(job, processed_rows=total, total_rows=max(estimate, total))
        if total == 0:
            raise _error(_("Bảng tính không có dòng dữ liệu nào dưới dòng tiêu đề."))
        staged.seek(0)
        job.staged.save(f"{job.public_id.hex}.jsonl.gz", File(staged), save=False)
    job.state = ImportJob.State.VALIDATED
    job.total_rows = job.processed_rows = total
    job.valid_rows = valid
    job.errors = errors
    job.error_count = error_count
    job.save(
        update_fields=[
            "staged",
            "state",
            "total_rows",
            "processed_rows",
            "valid_rows",
            "errors",
            "error_count",
            "updated_at",
        ]
    )


# -- 3. the user's choice ------------------------------------------------------------


def job_start(*, actor: Any, job: ImportJob, mode: str) -> ImportJob:
    """Write a validated job's rows: "all" only when no row has an error, "valid" the
    valid rows. Queues the writing after commit."""
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(of=("self",)).select_related("unit").get(pk=job.pk)
        )
        if actor is not None:
            if not selectors.may_see_job(actor, job):
                raise NotFound()
            _require_target(actor, job.unit)
        if job.state != ImportJob.State.VALIDATED:
            raise _error(
                _("Lượt nhập đang ở trạng thái “%(s)s”, không ghi được nữa.")
                % {"s": job.get_state_display()}
            )
        if mode not in ImportJob.Mode.values:
            raise _error(_("Chọn cách ghi dữ liệu."), field="mode")
        if mode == ImportJob.Mode.ALL_OR_NOTHING and job.error_count:
            raise _error(
                _(
                    "Bảng tính còn %(n)s dòng lỗi nên không dòng nào được ghi. Sửa tệp rồi tải"
                    " lên lại, hoặc chọn “Ghi các dòng hợp lệ, bỏ qua dòng lỗi”."
                )
                % {"n": job.invalid_rows},
                field="mode",
            )
        if not job.valid_rows:
            raise _error(_("Không có dòng hợp lệ nào để ghi."), field="mode")
        before = audit.snapshot(job)
        job.mode = mode
        job.state = ImportJob.State.IMPORTING
        job.started_by = actor if getattr(actor, "is_authenticated", False) else None
        job.save(update_fields=["mode", "state", "started_by", "updated_at"])
        audit.record_update(actor=actor, instance=job, before=before)
        jobs.job_enqueue(kind=RUN_JOB, key=job_key(RUN_JOB, job.pk), args=[job.pk])
    return job


def job_retry(*, actor: Any, job: ImportJob) -> ImportJob:
    """Run again the phase of a job that failed for a reason of the system (the worker
    died, an unexpected error): the same job, with the same file and choice. A failure
    of the file itself is not retried: the message says what to fix."""
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(of=("self",)).select_related("unit").get(pk=job.pk)
        )
        if actor is not None:
            if not selectors.may_see_job(actor, job):
                raise NotFound()
            _require_target(actor, job.unit)
        if job.state != ImportJob.State.FAILED or not job.retryable:
            raise _error(
                _(
                    "Chỉ thử lại được lượt nhập thất bại do lỗi hệ thống; lượt nhập này đang"
                    " ở trạng thái “%(s)s”."
                )
                % {"s": job.get_state_display()}
            )
        # The writing failed when the validation had staged the rows and the user had
        # chosen; otherwise the validation failed.
        writing = bool(job.mode and job.staged)
        kind = RUN_JOB if writing else VALIDATE_JOB
        before = audit.snapshot(job)
        job.state = ImportJob.State.IMPORTING if writing else ImportJob.State.PENDING
        job.failure = ""
        job.retryable = False
        job.save(update_fields=["state", "failure", "retryable", "updated_at"])
        audit.record_update(actor=actor, instance=job, before=before)
        key = job_key(kind, job.pk)
        task_job = Job.objects.filter(key=key).first()
        if task_job is None or task_job.state != Job.State.FAILED:
            # A job of the phase that is not failed (a system error was recorded on the
            # import only): queue it afresh under its key.
            Job.objects.filter(key=key).delete()
            jobs.job_enqueue(kind=kind, key=key, args=[job.pk])
        else:
            jobs.job_retry(key=key)
    return job


def job_check(*, job: ImportJob) -> ImportJob:
    """Read on a poll of the progress: if the worker of the running phase died, the
    phase is resumed or failed now (jobs.job_check), and *job* is read again."""
    if not job.is_running:
        return job
    kind = RUN_JOB if job.state == ImportJob.State.IMPORTING else VALIDATE_JOB
    task_job = jobs.job_check(key=job_key(kind, job.pk))
    if task_job is not None and task_job.state == Job.State.FAILED:
        job.refresh_from_db()
    return job


def job_mark_failed(task_job: Job) -> None:
    """The import's side of a phase that failed for good (jobs.kinds on_failed): the
    import shows the job's message, and may be retried when the job may."""
    ImportJob.objects.filter(pk=task_job.args[0]).exclude(state=ImportJob.State.DONE).update(
        state=ImportJob.State.FAILED,
        failure=task_job.error,
        retryable=task_job.retryable,
        updated_at=timezone.now(),
    )


# -- 4. writing ------------------------------------------------------------------------

# How far along the life cycle a status is: an import never moves an entry back.
_RANK = {
    Status.DRAFT: 0,
    Status.RETURNED: 1,
    Status.REGISTERED: 1,
    Status.ACCEPTED: 2,
    Status.IN_PROGRESS: 3,
    Status.SUBMITTED: 4,
    Status.NOT_RECOGNIZED: 5,
    Status.RECOGNIZED: 5,
    Status.EXEMPLARY: 6,
    Status.REPLICATED: 7,
    Status.WITHDRAWN: 8,
    Status.STOPPED: 8,
}
# Columns an import may fill or change on an existing entry.
DETAIL_FIELDS = (
    "kind",
    "name",
    "field_id",
    "registration_year",
    "start_date",
    "target_group",
    "goals",
    "content_method",
    "expected_results",
    "achieved_results",
    "money_mobilized",
    "working_days",
    "land_donated_m2",
    "contact_name",
    "contact_phone",
)
NEW_ENTRY_KEYS = (*DETAIL_FIELDS, "name_folded", "period_id", "status")
MILESTONE_FIELDS = (
    "status",
    "registered_on",
    "recognized_on",
    "recognized_level",
    "exemplary_on",
    "exemplary_level",
    "commended_on",
)
UPDATE_FIELDS = [f.removesuffix("_id") for f in DETAIL_FIELDS] + [*MILESTONE_FIELDS, "updated_at"]


@dataclass
class _Run:
    job: ImportJob
    actor: Any
    now: dt.datetime
    reason: str
    units: dict[int, Unit] = field(default_factory=dict)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    progress: Callable[[int], None] | None = None


def job_run(*, job_id: int, progress: Callable[[int], None] | None = None) -> Failed | None:
    """Write an importing job's staged rows in one transaction; on any failure nothing
    is written and the job is marked failed (returned, for the job's record).
    *progress* hears the number of rows written so far after each batch (the heartbeat
    reports it: no other connection sees the rows before the commit)."""
    job = ImportJob.objects.select_related("unit", "started_by").filter(pk=job_id).first()
    if job is None or job.state != ImportJob.State.IMPORTING:
        return None  # done already: a second run of the same job does nothing
    run = _Run(
        job=job,
        actor=job.started_by,
        now=timezone.now(),
        reason=_("Nhập từ Excel: %(name)s") % {"name": job.original_name},
        progress=progress,
    )
    staged = job.staged.name
    try:
        with _cyclic_gc_paused(), transaction.atomic(), _sqlite_page_cache():
            # The job's row is locked and marked done in the same transaction as the
            # rows: a task delivered twice writes once.
            locked = ImportJob.objects.select_for_update(of=("self",)).filter(
                pk=job.pk, state=ImportJob.State.IMPORTING
            )
            if not locked.exists():
                return None
            _write(run)
            _save_progress(
                job,
                state=ImportJob.State.DONE,
                processed_rows=job.total_rows,
                created_count=run.created,
                updated_count=run.updated,
                unchanged_count=run.unchanged,
                staged="",
            )
    except DomainError as exc:
        return _fail(job, exc.message)
    except Exception:
        logger.exception("import job %s: writing failed", job.pk)
        return _fail(
            job,
            _(
                "Ghi dữ liệu thất bại nên không dòng nào được ghi; dữ liệu giữ nguyên như"
                " trước khi nhập. Hãy thử lại hoặc báo quản trị hệ thống."
            ),
            retryable=True,
        )
    # The normalized rows are not needed any more (the spreadsheet itself is kept).
    if staged:
        job.staged.storage.delete(staged)
    return None


# SQLite's page cache during the writing (KiB). The default (2 MB) is far smaller than
# the indexes a large import adds to, and pages read back from the file cost most of the
# time; the cache is full after 10^4 rows already, so it does not grow with the file.
SQLITE_IMPORT_CACHE_KIB = 32 * 1024


@contextlib.contextmanager
def _sqlite_page_cache() -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(SQLITE_IMPORT_CACHE_KIB)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _write(run: _Run) -> None:
    job = run.job
    if job.mode == ImportJob.Mode.ALL_OR_NOTHING and job.error_count:
        raise _error(_("Bảng tính còn dòng lỗi nên không dòng nào được ghi."))
    # Imports run one at a time: two at once could each create the same new entry.
    # Every import locks the (few) period rows; an import waits for the one before it.
    list(Period.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    batch: list[dict[str, Any]] = []
    with job.staged.open("rb") as source, gzip.GzipFile(fileobj=source, mode="rb") as rows:
        for line in rows:
            batch.append(_unstage(line))
            if len(batch) >= BATCH:
                write_batch(run, batch)
                batch = []
    if batch:
        write_batch(run, batch)


def _units(run: _Run, ids: set[int]) -> None:
    missing = ids - run.units.keys()
    if missing:
        run.units.update(Unit.objects.in_bulk(missing))


def write_batch(run: _Run, rows: list[dict[str, Any]]) -> None:
    """Create or update the entries of *rows*, with their decisions, events and audit."""
    _units(run, {r["unit_id"] for r in rows})
    existing: dict[tuple[int, int, str], Entry] = {}
    keys = {(r["unit_id"], r["period_id"], r["name_folded"]) for r in rows}
    # By folded name only: a filter on the units too lets SQLite pick the unit index and
    # read every entry of those units, a cost that grows with the table.
    for entry in Entry.objects.filter(name_folded__in={k[2] for k in keys}).order_by("id"):
        key = (entry.unit_id, entry.period_id, entry.name_folded)
        if key in keys:
            # Several entries may share a key (the app only warns); the oldest is updated.
            existing.setdefault(key, entry)
    known_decisions: set[tuple[int, str, str]] = set()
    if existing:
        known_decisions = set(
            Decision.objects.filter(entry__in=[e.pk for e in existing.values()]).values_list(
                "entry_id", "kind", "number_key"
            )
        )

    created: list[tuple[Entry, dict[str, Any]]] = []
    changed: list[tuple[Entry, dict[str, Any]]] = []  # (entry, snapshot before)
    moved: list[tuple[Entry, str, dict[str, Any]]] = []  # (entry, status before, row)
    decisions: list[Decision] = []
    latest: dict[int, Decision] = {}  # id(entry) → the row's latest decision
    seen: set[int] = set()
    for row in rows:
        unit = run.units[row["unit_id"]]
        key = (row["unit_id"], row["period_id"], row["name_folded"])
        found = existing.get(key)
        if found is None:
            entry = _new_entry(run, unit, row)
            created.append((entry, row))
            new_decisions = list(row["decisions"])
        else:
            entry = found
            if entry.pk in seen:  # cannot happen (the check refuses duplicates); be safe
                continue
            seen.add(entry.pk)
            entry.unit = unit
            before = audit.snapshot(entry)
            old_status = entry.status
            new_decisions = [
                d for d in row["decisions"] if (entry.pk, d[0], d[2]) not in known_decisions
            ]
            if _merge(entry, row) or new_decisions:
                entry.updated_at = run.now
                changed.append((entry, before))
                if entry.status != old_status:
                    moved.append((entry, old_status, row))
            else:
                run.unchanged += 1
        for kind, number, number_key, issued_on, issuer, level, form in new_decisions:
            decision = Decision(
                entry=entry,
                kind=kind,
                number=number,
                number_key=number_key,
                issued_on=issued_on,
                issuer=issuer,
                level=level,
                form=form,
            )
            decisions.append(decision)
            if kind != Decision.Kind.COMMENDATION:
                latest[id(entry)] = decision

    new_entries = [e for e, _row in created]
    insert_many(Entry, new_entries)
    if new_entries:
        ids = dict(
            Entry.objects.filter(public_id__in=[e.public_id for e in new_entries]).values_list(
                "public_id", "id"
            )
        )
        for entry in new_entries:
            entry.pk = ids[entry.public_id]
            entry._state.adding = False
    if changed:
        Entry.objects.bulk_update([e for e, _before in changed], UPDATE_FIELDS, batch_size=500)
    if decisions:
        for decision in decisions:
            # Assigning the (cached) entry again sets entry_id, known only now for new
            # entries, and keeps the cache the audit rows read the unit through.
            decision.entry = decision.entry
        insert_many(Decision, decisions)
        _set_decision_ids(decisions)
    actor_id = run.actor.pk if getattr(run.actor, "is_authenticated", False) else None
    reason = _("%(reason)s, dòng %(row)s")

    def event(entry: Entry, source: str, row: dict[str, Any]) -> dict[str, Any]:
        decision = latest.get(id(entry))
        return {
            "entry_id": entry.pk,
            "actor_id": actor_id,
            "from_status": source,
            "to_status": entry.status,
            "reason": reason % {"reason": run.reason, "row": row["row"]},
            "decision_id": decision.pk if decision is not None else None,
        }

    insert_rows(
        EntryEvent,
        [event(entry, Status.DRAFT, row) for entry, row in created]
        + [event(entry, source, row) for entry, source, row in moved],
    )
    audit.record_bulk_create(actor=run.actor, instances=[e for e, _row in created])
    audit.record_bulk_create(actor=run.actor, instances=decisions)
    audit.record_bulk_update(actor=run.actor, changes=changed)
    run.created += len(created)
    run.updated += len(changed)
    if run.progress is not None:
        run.progress(run.created + run.updated + run.unchanged)


def _set_decision_ids(decisions: list[Decision]) -> None:
    """Give the just-inserted decisions their ids (the audit rows name them): for each
    (entry, kind, number) the newest row, since the batch adds no decision twice."""
    newest: dict[tuple[int, str, str], int] = {}
    for pk, entry_id, kind, key in Decision.objects.filter(
        entry_id__in={d.entry_id for d in decisions}
    ).values_list("id", "entry_id", "kind", "number_key"):
        newest[(entry_id, kind, key)] = max(pk, newest.get((entry_id, kind, key), 0))
    for decision in decisions:
        decision.pk = newest[(decision.entry_id, decision.kind, decision.number_key)]
        decision._state.adding = False


def _milestones(row: dict[str, Any]) -> dict[str, Any]:
    """Milestone dates and levels a row's status and decisions establish."""
    values: dict[str, Any] = {}
    if row["status"] != Status.DRAFT:
        # The registration day is rarely in old files: 1 January of the registration year.
        values["registered_on"] = dt.date(row["registration_year"], 1, 1)
    for kind, _number, _key, issued_on, _issuer, level, _form in row["decisions"]:
        if kind == Decision.Kind.RECOGNITION:
            values["recognized_on"], values["recognized_level"] = issued_on, level
        elif kind == Decision.Kind.EXEMPLARY:
            values["exemplary_on"], values["exemplary_level"] = issued_on, level
        else:
            values["commended_on"] = issued_on
    return values


@functools.cache
def _entry_columns() -> list[tuple[str, Any]]:
    """(attribute name, default) of Entry's columns, in the model's order."""
    return [
        # The id is the database's and the public id (uuid4 default) is set per entry.
        (f.attname, None if f.primary_key or f.attname == "public_id" else f.get_default())
        for f in Entry._meta.concrete_fields
    ]


def _new_entry(run: _Run, unit: Unit, row: dict[str, Any]) -> Entry:
    data = {key: row[key] for key in NEW_ENTRY_KEYS if row.get(key) is not None}
    data.update(_milestones(row))
    data["public_id"] = uuid.uuid4()
    data["unit_id"] = unit.pk
    data["created_by_id"] = run.actor.pk if getattr(run.actor, "is_authenticated", False) else None
    # Built positionally: three times faster than by keywords, and a file has 10^5 rows.
    # The stubs type Entry's constructor by keyword: called through Any (the positional
    # order is the model's, _entry_columns).
    make: Any = Entry
    entry = make(*[data.get(name, default) for name, default in _entry_columns()])
    Entry._meta.get_field("unit").set_cached_value(entry, unit)  # the audit rows read it
    return entry


def _merge(entry: Entry, row: dict[str, Any]) -> bool:
    """Apply a row to an existing entry without erasing anything; True if it changed."""
    changed = False
    for key in DETAIL_FIELDS:
        value = row.get(key)
        if value is None or value == "":
            continue
        if getattr(entry, key) != value:
            setattr(entry, key, value)
            changed = True
    status = row["status"]
    if status != entry.status and _RANK[Status(status)] > _RANK[Status(entry.status)]:
        entry.status = status
        changed = True
    for key, value in _milestones(row).items():
        if getattr(entry, key) in (None, ""):
            setattr(entry, key, value)
            changed = True
    return changed
