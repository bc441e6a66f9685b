"""What every database benchmark needs: run the measuring child once per backend, each
in a throwaway database (a temp-file SQLite, a fresh PostgreSQL database dropped
afterwards), and collect the one result line the child prints.

A child process per backend, because Django's settings (DATABASE_URL) are fixed once
django.setup() has run.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULT_MARK = "BENCH-RESULT "
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def emit(result: dict[str, Any]) -> None:
    """In the child: hand the result to the parent."""
    print(RESULT_MARK + json.dumps(result), flush=True)


def run_child(
    script: Path, backend: str, database_url: str, child_args: list[str]
) -> dict[str, Any]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "danvan.settings.test",
    }
    cmd = [sys.executable, str(script), "--child", backend, *child_args]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True, cwd=ROOT)  # noqa: S603
    result: dict[str, Any] = {"backend": backend, "status": "error"}
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(RESULT_MARK):
            result = json.loads(line[len(RESULT_MARK) :])
        else:
            print(line, end="", flush=True)
    if proc.wait() != 0 and result.get("status") != "done":
        result = {"backend": backend, "status": "error", "detail": f"exit {proc.returncode}"}
    return result


def on_sqlite(script: Path, child_args: list[str]) -> dict[str, Any]:
    if os.environ.get("BENCH_KEEP_DB"):  # to study it afterwards (sqlite3)
        kept = Path(tempfile.mkdtemp(prefix="danvan-bench-kept-")) / "bench.sqlite3"
        print(f"kept database {kept}", flush=True)
        return run_child(script, "sqlite", f"sqlite:///{kept}", child_args)
    with tempfile.TemporaryDirectory(prefix="danvan-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        return run_child(script, "sqlite", url, child_args)


def on_postgresql(script: Path, child_args: list[str], *, db_prefix: str) -> dict[str, Any]:
    """Run in a fresh database; a "skipped" result when no server answers."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    cfg = dj_database_url.parse(os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG_URL))
    conninfo: dict[str, Any] = {
        "host": cfg.get("HOST") or "127.0.0.1",
        "port": cfg.get("PORT") or 5432,
        "user": cfg.get("USER") or "postgres",
        "password": cfg.get("PASSWORD") or None,
        "dbname": cfg.get("NAME") or "postgres",
        "connect_timeout": 5,
    }
    try:
        admin = psycopg.connect(**conninfo, autocommit=True)
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return {"backend": "postgresql", "status": "skipped", "detail": reason}
    name = f"{db_prefix}_{os.getpid()}"
    try:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        auth = conninfo["user"] + (f":{conninfo['password']}" if conninfo["password"] else "")
        url = f"postgres://{auth}@{conninfo['host']}:{conninfo['port']}/{name}"
        return run_child(script, "postgresql", url, child_args)
    finally:
        if os.environ.get("BENCH_KEEP_DB"):  # to study its plans afterwards (psql)
            print(f"kept database {name}", flush=True)
        else:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        admin.close()


def on_each_backend(
    script: Path, child_args: list[str], *, only: str | None, db_prefix: str
) -> list[dict[str, Any]]:
    results = []
    for name in ("sqlite", "postgresql"):
        if only and only != name:
            continue
        print(f"\n=== {name} ===", flush=True)
        if name == "sqlite":
            results.append(on_sqlite(script, child_args))
        else:
            results.append(on_postgresql(script, child_args, db_prefix=db_prefix))
    return results


def start_child() -> Callable[[str], None]:
    """In the child: set Django up on the throwaway database, migrate, load the unit tree.

    Returns a logger that prints each step with the seconds elapsed since the start.
    """
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()

    def step(msg: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {msg}", flush=True)

    step(f"{connection.vendor}: migrate")
    call_command("migrate", verbosity=0, interactive=False)
    step("load_units")
    call_command("load_units", verbosity=0)
    return step


def medians(fns: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """Each function's median time in ms over *repeat* rounds, all of them run in turn in
    every round: a noisy neighbour or a warming cache hurts them alike."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - t0) * 1000)
    return {name: statistics.median(t) for name, t in times.items()}


def summary(results: list[dict[str, Any]], heading: str, report: Callable[[dict], bool]) -> int:
    """Print the summary of a run and return its exit code: a line per backend that ran,
    printed by *report* (which says whether the goals were met), the reason for any that
    was skipped or failed before measuring."""
    print(f"\n=== Summary ({heading}) ===")
    failed = False
    for r in results:
        if r["status"] != "done":
            failed |= r["status"] != "skipped"
            print(f"{r['backend']:<11} {r['status']}: {r.get('detail', '')}")
            continue
        failed |= not report(r)
    print("PASS" if not failed else "FAIL")
    return 1 if failed else 0
