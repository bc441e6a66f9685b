"""Benchmark: importing 10^5 entries from Excel (issue 3, "Measured: import").

Goals, judged in one run:
- speed: our validation + import of a 10^5-row file reaches at least 40% of the rows
  per second of openpyxl's read-only mode merely iterating the same file
  (``iter_rows(values_only=True)``, nothing else);
- memory: the import process's peak memory at 10^5 rows is at most 1.3x the peak at
  10^4 rows.

Run ``make bench`` (or ``.venv/bin/python bench/movement_import.py``). Steps, each in its
own subprocess so that peak memory (``ru_maxrss``) belongs to one measurement only:

1. ``prepare``: a throwaway SQLite database in a temporary directory is migrated, the
   real unit tree is loaded (``load_units``) and a system administrator is created; the
   file is copied for every import run, so each starts from the same database.
2. The parent writes two files with openpyxl's write-only mode: 10^4 and 10^5 rows over
   the communes of Thái Nguyên plus historical rows of Bắc Kạn ("06"), 70% registered,
   20% recognized with a decision, 10% exemplary with two decisions.
3. ``iterate``: openpyxl read-only iteration of the 10^5 file (``load_workbook`` then
   ``iter_rows(values_only=True)``), timed before and after step 4; the faster run counts.
4. ``import`` (10^4, then 10^5): the services exactly as the pages call them (Celery
   eager, as in tests): ``job_create`` (store, SHA-256, header check, then the
   validation task: one streaming pass, staged rows) and ``job_start`` in mode "all"
   (the import task: one transaction, batched bulk writes and audit rows), timed from
   the upload to the job done; the script checks every row became an entry.

Prints both rates, their ratio, peak memory (with the process's memory before the import,
for reading the growth), PASS/FAIL per goal; exit status 1 when a goal fails. The speed
goal is judged on CPU time (the benchmark machine may be shared, and wall time then
measures the neighbours too); the wall-time ratio is printed beside it, and, for
reference, the ratio to openpyxl's iteration without its opening pass.
Options: ``--rows N`` (default 100,000), ``--small N`` (default 10,000).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEED_GOAL = 0.40
MEMORY_GOAL = 1.3
RESULT_MARK = "BENCH-RESULT "


def _peak_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- parent


def _child(step: str, env: dict[str, str], *args: str) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", step, *args]
    proc = subprocess.run(  # noqa: S603
        cmd, env={**os.environ, **env}, cwd=ROOT, capture_output=True, text=True, check=False
    )
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK) :])
    sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
    raise SystemExit(f"step {step} failed (exit {proc.returncode})")


def write_file(path: Path, rows: int, prepared: dict[str, Any]) -> None:
    """A filled-in template of *rows* rows, written in openpyxl's write-only mode."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(prepared["sheet"])
    sheet.append(prepared["headers"])
    keys = prepared["keys"]
    codes = prepared["codes"]
    fields = ["Kinh tế", "Văn hóa – xã hội", "Quốc phòng – an ninh", "Xây dựng hệ thống chính trị"]
    kinds = ["Mô hình", "Mô hình", "Điển hình tập thể", "Điển hình cá nhân"]
    for i in range(rows):
        historical = i % 10 == 0
        code = "06" if historical else codes[i % len(codes)]
        year = 2016 + (i % 4) if historical else 2016 + (i % 10)
        values: dict[str, Any] = {
            "unit_code": code,
            "name": f"Mô hình “Dân vận khéo” số {i}: vận động nhân dân xây dựng nông thôn mới",
            "kind": kinds[i % 4],
            "field": fields[i % 4],
            "registration_year": year,
            "start_date": dt.date(year, 1 + i % 12, 1 + i % 28),
            "target_group": "Hộ gia đình, hội viên các đoàn thể",
            "goals": f"Nâng cao thu nhập cho {i % 500} hộ dân, giảm nghèo bền vững",
            "content_method": f"Họp thôn, vận động hiến đất, góp ngày công; tổ chức lần {i}",
            "achieved_results": f"{i % 1000} mét đường bê tông, {i % 50} hộ thoát nghèo",
            "money_mobilized": 150_000_000 + i,
            "working_days": i % 300,
            "land_donated_m2": (i % 500) * 1.5,
            "contact_name": f"Nguyễn Văn {i}",
            "contact_phone": f"09{i:08d}",
        }
        decided = i % 10
        if decided >= 7:
            values.update(
                status="Được công nhận",
                recognition_number=f"{i % 900 + 1}/QĐ-UBND",
                recognition_date=dt.date(year, 11, 20),
                recognition_issuer="UBND tỉnh",
                recognition_level="Cấp tỉnh",
            )
        if decided == 9:
            values.update(
                status="Điển hình tiêu biểu",
                exemplary_number=f"{i % 90 + 1}-QĐ/TU",
                exemplary_date=f"15/12/{year}",
            )
        sheet.append([values.get(k) for k in keys])
    book.save(path)


def main_parent(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="danvan-bench-import-") as tmp_name:
        tmp = Path(tmp_name)
        base_db = tmp / "base.sqlite3"
        env = {
            "DJANGO_SETTINGS_MODULE": "danvan.settings.test",
            "DATABASE_URL": f"sqlite:///{base_db}",
            "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        }
        print("Chuẩn bị cơ sở dữ liệu SQLite tạm (migrate, load_units)…", flush=True)
        prepared = _child("prepare", env)
        files = {}
        for n in (args.small, args.rows):
            path = tmp / f"dan-van-kheo-{n}.xlsx"
            t0 = time.perf_counter()
            write_file(path, n, prepared)
            files[n] = path
            size = path.stat().st_size / 1024 / 1024
            print(f"Tệp {n:,} dòng: {size:.1f} MB ({time.perf_counter() - t0:.1f} s)", flush=True)

        # (a) runs before and after (b); the faster run counts (the stricter goal).
        print("(a) openpyxl read-only, chỉ duyệt các dòng…", flush=True)
        iterations = [_child("iterate", env, str(files[args.rows]))]
        runs = {}
        for n in (args.small, args.rows):
            db = tmp / f"import-{n}.sqlite3"
            shutil.copyfile(base_db, db)
            print(f"(b) kiểm tra + nhập {n:,} dòng…", flush=True)
            runs[n] = _child(
                "import", {**env, "DATABASE_URL": f"sqlite:///{db}"}, str(files[n]), str(n)
            )
        print("(a) lần 2…", flush=True)
        iterations.append(_child("iterate", env, str(files[args.rows])))

    big, small = runs[args.rows], runs[args.small]
    wall_a = min(r["seconds"] for r in iterations)
    cpu_a = min(r["cpu"] for r in iterations)
    rows = big["rows"]
    speed_wall = wall_a / big["seconds"]
    speed_cpu = cpu_a / big["cpu"]
    memory = big["peak_mb"] / small["peak_mb"]
    print(f"\n=== Nhập Excel / Excel import (SQLite, {rows:,} rows) ===")
    print(
        f"(a) openpyxl read-only iterate : wall {wall_a:6.1f} s ({rows / wall_a:,.0f} rows/s),"
        f" CPU {cpu_a:6.1f} s ({rows / cpu_a:,.0f} rows/s); opening"
        f" {min(r['open_s'] for r in iterations):.1f} s of it; peak"
        f" {iterations[0]['peak_mb']:.0f} MB"
    )
    print(
        f"(b) validate + import          : wall {big['seconds']:6.1f} s"
        f" ({rows / big['seconds']:,.0f} rows/s), CPU {big['cpu']:6.1f} s"
        f" ({rows / big['cpu']:,.0f} rows/s); validate {big['validate_s']:.1f} s,"
        f" write {big['write_s']:.1f} s; {big['entries']:,} entries,"
        f" {big['decisions']:,} decisions"
    )
    print(
        f"    {args.small:,} rows: wall {small['seconds']:.1f} s, CPU {small['cpu']:.1f} s"
        f" ({small['rows'] / small['cpu']:,.0f} rows/s)"
    )
    print(
        f"peak memory (ru_maxrss): {args.small:,} rows {small['peak_mb']:.0f} MB, "
        f"{rows:,} rows {big['peak_mb']:.0f} MB "
        f"(process before the import: {small['before_mb']:.0f} / {big['before_mb']:.0f} MB)"
    )
    # Judged on CPU time: the benchmark machine may be shared, and wall time then
    # measures the neighbours too. On an idle machine both ratios agree.
    speed_ok = speed_cpu >= SPEED_GOAL
    memory_ok = memory <= MEMORY_GOAL
    verdict = "PASS" if speed_ok else "FAIL"
    print(
        f"speed ratio (b)/(a), CPU time = {speed_cpu:.2f}  (goal ≥ {SPEED_GOAL:.2f})  {verdict}"
        f"   [wall time: {speed_wall:.2f}]"
    )
    # openpyxl's opening of a file without a <dimension> element (write-only files) is a
    # whole pass over the sheet, which our reader avoids; the ratio to the iteration
    # alone, for reference (not judged: the goal names openpyxl's read-only mode as is).
    iterate_only = min(r["cpu"] - r["open_cpu"] for r in iterations)
    print(f"    for reference: (b) against (a)'s iteration alone = {iterate_only / big['cpu']:.2f}")
    verdict = "PASS" if memory_ok else "FAIL"
    print(
        f"memory ratio {rows:,}/{args.small:,} rows = {memory:.2f}"
        f"  (goal ≤ {MEMORY_GOAL:.2f})  {verdict}"
    )
    print(f"(total {time.perf_counter() - started:.0f} s)")
    return 0 if speed_ok and memory_ok else 1


# --------------------------------------------------------------------------- children


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def child_prepare() -> dict[str, Any]:
    _setup()
    from django.core.management import call_command

    from danvan.accounts.testing import make_user
    from danvan.units.models import Unit

    call_command("migrate", verbosity=0)
    call_command("load_units", verbosity=0)
    make_user("bench-admin", "system_admin", None)
    codes = list(
        Unit.objects.filter(parent__code="19", valid_to__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    from danvan.movement.imports import excel

    return {
        "codes": codes,
        "sheet": excel.DATA_SHEET,
        "headers": [c.header for c in excel.COLUMNS],
        "keys": [c.key for c in excel.COLUMNS],
    }


def child_iterate(path: str) -> dict[str, Any]:
    from openpyxl import load_workbook

    t0, c0 = time.perf_counter(), time.process_time()
    book = load_workbook(path, read_only=True)
    opened, opened_cpu = time.perf_counter() - t0, time.process_time() - c0
    rows = -1  # the header
    for _values in book.worksheets[0].iter_rows(values_only=True):
        rows += 1
    book.close()
    return {
        "rows": rows,
        "seconds": time.perf_counter() - t0,
        "cpu": time.process_time() - c0,
        "open_s": opened,
        "open_cpu": opened_cpu,
        "peak_mb": _peak_mb(),
    }


def child_import(path: str, expected: int) -> dict[str, Any]:
    _setup()
    from django.core.files.uploadedfile import UploadedFile

    from danvan.accounts.models import User
    from danvan.movement.imports import services as imports
    from danvan.movement.models import Decision, Entry, ImportJob

    actor = User.objects.get(username="bench-admin")
    before = _peak_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    with open(path, "rb") as handle:
        upload = UploadedFile(handle, name=Path(path).name, size=os.path.getsize(path))
        # Celery is eager here: the validation runs when the upload commits.
        job = imports.job_create(actor=actor, upload=upload, unit=None)
    t1, c1 = time.perf_counter(), time.process_time()
    job.refresh_from_db()
    if job.state != ImportJob.State.VALIDATED or job.error_count:
        raise SystemExit(f"validation: {job.state} {job.failure} {job.errors[:3]}")
    imports.job_start(actor=actor, job=job, mode=ImportJob.Mode.ALL_OR_NOTHING)
    t2, c2 = time.perf_counter(), time.process_time()
    job.refresh_from_db()
    if job.state != ImportJob.State.DONE or job.created_count != expected:
        raise SystemExit(f"import: {job.state} {job.failure} created {job.created_count}")
    entries = Entry.objects.count()
    if entries != expected:
        raise SystemExit(f"{entries} entries, expected {expected}")
    return {
        "rows": expected,
        "seconds": t2 - t0,
        "cpu": c2 - c0,
        "validate_s": t1 - t0,
        "validate_cpu": c1 - c0,
        "write_s": t2 - t1,
        "write_cpu": c2 - c1,
        "entries": entries,
        "decisions": Decision.objects.count(),
        "before_mb": before,
        "peak_mb": _peak_mb(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--child", choices=["prepare", "iterate", "import"])
    parser.add_argument("args", nargs="*")
    args = parser.parse_args()
    if args.child is None:
        return main_parent(args)
    if args.child == "prepare":
        result = child_prepare()
    elif args.child == "iterate":
        result = child_iterate(args.args[0])
    else:
        result = child_import(args.args[0], int(args.args[1]))
    print(RESULT_MARK + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
