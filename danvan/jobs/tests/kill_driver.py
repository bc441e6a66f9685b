"""The database side of test_worker_kill, run as ``python -m danvan.jobs.tests.kill_driver``.

The kill test's workers are other processes, so they cannot use pytest-django's database
itself: the test gives them, and this script, a copy of it (DATABASE_URL: a temporary
SQLite file, or a PostgreSQL database made from the test database as template), with the
embedded settings. Each command prints one JSON line:

- ``prepare ROWS DIR PREFIX...``: create the importing user; for each PREFIX write a
  filled-in template of ROWS rows to DIR (every row valid, every row a new entry named
  after PREFIX) and upload it (job_create; run with Celery eager, the validation is done
  when it returns); prints {prefix: import id};
- ``start ID``: job_start in mode "all" (the writing is queued to the broker);
- ``retry ID``: job_retry, as the page's "Thử lại" button;
- ``status ID PREFIX``: the import, its jobs, and the entries named after PREFIX.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

USER = "killtest-admin"


def _prepare(rows: int, folder: str, prefixes: list[str]) -> dict[str, Any]:
    from openpyxl import Workbook

    from danvan.accounts.testing import make_user
    from danvan.movement.imports import excel
    from danvan.units.models import Unit

    make_user(USER, "system_admin", None)
    codes = list(
        Unit.objects.filter(parent__code="19", valid_to__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    keys = [c.key for c in excel.COLUMNS]
    ids = {}
    for prefix in prefixes:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(excel.DATA_SHEET)
        sheet.append([c.header for c in excel.COLUMNS])
        for i in range(rows):
            year = 2016 + i % 10
            values = {
                "unit_code": codes[i % len(codes)],
                "name": f"{prefix} Mô hình “Dân vận khéo” số {i}: vận động nhân dân làm đường",
                "kind": "Mô hình",
                "field": "Kinh tế",
                "registration_year": year,
                "start_date": dt.date(year, 1 + i % 12, 1 + i % 28),
                "goals": f"Bê tông hóa {i % 90 + 1} km đường thôn",
                "money_mobilized": 1_000_000 + i,
            }
            sheet.append([values.get(k) for k in keys])
        path = Path(folder) / f"{prefix}.xlsx"
        book.save(path)
        ids[prefix] = _upload(str(path))
    return ids


def _upload(path: str) -> int:
    from django.core.files.uploadedfile import UploadedFile

    from danvan.accounts.models import User
    from danvan.movement.imports import services as imports

    with open(path, "rb") as handle:
        upload = UploadedFile(handle, name=Path(path).name, size=os.path.getsize(path))
        job = imports.job_create(actor=User.objects.get(username=USER), upload=upload, unit=None)
    job.refresh_from_db()
    if job.state != job.State.VALIDATED or job.error_count:
        raise SystemExit(f"validation: {job.state} {job.failure} {job.errors[:3]}")
    return job.pk


def _start(import_id: int) -> dict[str, Any]:
    from danvan.accounts.models import User
    from danvan.movement.imports import services as imports
    from danvan.movement.models import ImportJob

    job = ImportJob.objects.get(pk=import_id)
    imports.job_start(actor=User.objects.get(username=USER), job=job, mode="all")
    return {"id": import_id}


def _retry(import_id: int) -> dict[str, Any]:
    from danvan.accounts.models import User
    from danvan.movement.imports import services as imports
    from danvan.movement.models import ImportJob

    job = ImportJob.objects.get(pk=import_id)
    imports.job_retry(actor=User.objects.get(username=USER), job=job)
    return {"id": import_id}


def _status(import_id: int, prefix: str) -> dict[str, Any]:
    from django.db.models import Count

    from danvan.jobs.models import Job
    from danvan.movement.imports import services as imports
    from danvan.movement.models import Entry, EntryEvent, ImportJob

    job = ImportJob.objects.get(pk=import_id)
    jobs = {
        j.kind: {"state": j.state, "attempts": j.attempts, "error": j.error, "id": j.pk}
        for j in Job.objects.filter(
            key__in=[imports.job_key(k, job.pk) for k in (imports.VALIDATE_JOB, imports.RUN_JOB)]
        )
    }
    entries = Entry.objects.filter(name__startswith=f"{prefix} ")
    duplicates = (
        entries.values("unit_id", "period_id", "name_folded")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    return {
        "state": job.state,
        "failure": job.failure,
        "retryable": job.retryable,
        "created_count": job.created_count,
        "entries": entries.count(),
        "events": EntryEvent.objects.filter(entry__in=entries).count(),
        "duplicates": duplicates,
        "jobs": jobs,
    }


def main() -> None:
    import django

    django.setup()
    command, *args = sys.argv[1:]
    if command == "prepare":
        result = _prepare(int(args[0]), args[1], args[2:])
    elif command == "start":
        result = _start(int(args[0]))
    elif command == "retry":
        result = _retry(int(args[0]))
    elif command == "status":
        result = _status(int(args[0]), args[1])
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
