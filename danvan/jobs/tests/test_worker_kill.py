"""A real worker killed in the middle of writing an import (issue 11, "Jobs that finish
or say why"), on the embedded filesystem broker and on Redis.

The workers are real ``celery -A danvan worker`` processes, so the database must be one
that other processes see: not pytest-django's (an in-memory SQLite database, or a test
transaction that is never committed), but a copy of it made at the start, migrated and
with the unit tree: a temporary SQLite file (SQLite's backup of the in-memory database),
or on PostgreSQL a database created from the test database as template, dropped at the
end. kill_driver.py does the Django work on it in other processes. Each phase:

1. the import (validated beforehand) is started; worker A picks up the writing;
2. once A's heartbeat reports rows written (inside the one transaction), A's whole
   process group gets SIGKILL: nothing of its transaction may be visible afterwards;
3. worker B starts (with beat, so the reaper runs): the dead job is found by its missing
   heartbeat and, on the filesystem broker, resumed (an attempt is left) and finished;
   on Redis, with one attempt allowed, failed with the Vietnamese message and retryable,
   then retried as the page's button does;
4. every row is in the database exactly once, with one event each.

No wall-clock time is asserted: the waits poll with generous limits, for progress only.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
ROWS = 5_000
REDIS_URL = os.environ.get("DANVAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
RUN_KEY = "movement.import.run:{}"
# Generous: a loaded machine is slow, but a worker that never gets there is a failure.
WAIT = 180.0

# The tests use the test database only through its copy, but the mark makes pytest-django
# create it (and load the units) when this module runs alone.
pytestmark = pytest.mark.django_db


def _redis_reachable() -> str | None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:
        return f"Redis không trả lời tại {REDIS_URL} ({exc}): bỏ qua pha Redis của kiểm thử"
    return None


class Scratch:
    """A copy of the test database that other processes can use, read with plain SQL
    while the workers run. Made inside the django_db_blocker (pytest-django's own)."""

    def __init__(self, folder: Path) -> None:
        from django.db import connection, connections

        self.pg_admin: str | None = None
        settings = connection.settings_dict
        if connection.vendor == "postgresql":
            import psycopg

            template = settings["NAME"]
            self.name = f"{template}_jobkill"[:63]
            auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
            server = (
                f"postgres://{auth}@{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}"
            )
            self.url = f"{server}/{self.name}"
            self.pg_admin = f"{server}/postgres"
            connections.close_all()  # a template database must have no other session
            with psycopg.connect(self.pg_admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                conn.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{template}"')
        else:
            self.name = str(folder / "danvan.sqlite3")
            self.url = f"sqlite:///{self.name}"
            connection.ensure_connection()
            copy = sqlite3.connect(self.name)
            connection.connection.backup(copy)
            copy.close()

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        if self.pg_admin is not None:
            import psycopg

            with psycopg.connect(self.url) as conn:
                return list(conn.execute(sql, params).fetchall())
        with sqlite3.connect(self.name, timeout=30) as conn:
            return list(conn.execute(sql.replace("%s", "?"), params).fetchall())

    def drop(self) -> None:
        if self.pg_admin is not None:
            import psycopg

            with psycopg.connect(self.pg_admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Lab:
    def __init__(self, folder: Path, scratch: Scratch) -> None:
        self.folder = folder
        self.scratch = scratch
        self.workers: list[subprocess.Popen[bytes]] = []
        queue = folder / "celery"
        for name in ("queue", "processed", "control"):
            (queue / name).mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "danvan.settings.dev",
            "DJANGO_DEBUG": "0",
            "DANVAN_VAR_DIR": str(folder),
            "DATABASE_URL": scratch.url,
            "CELERY_BROKER_URL": "filesystem://",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "JOBS_HEARTBEAT_SECONDS": "1",
            "JOBS_STALE_SECONDS": "4",
            "JOBS_REAP_SECONDS": "1",
            "LOG_LEVEL": "WARNING",
        }

    def driver(self, *args: object, **env: str) -> Any:
        proc = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "danvan.jobs.tests.kill_driver", *map(str, args)],
            env={**self.env, **env},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        return json.loads(proc.stdout.strip().splitlines()[-1])

    def worker(self, name: str, *, beat: bool, **env: str) -> subprocess.Popen[bytes]:
        """A worker as `make run` starts it (solo pool); with *beat*, beat runs in it too
        (the reaper is in the beat schedule)."""
        log = open(self.folder / f"worker-{name}.log", "wb")  # noqa: SIM115
        command = [str(Path(sys.executable).with_name("celery")), "-A", "danvan", "worker"]
        node = f"{name}-{os.getpid()}@%h"  # unique, beside another run on this machine
        command += ["--pool=solo", "--concurrency=1", "--loglevel=INFO", "-n", node]
        if beat:
            command += ["-B", "--schedule", str(self.folder / f"beat-{name}")]
        proc = subprocess.Popen(  # noqa: S603
            command,
            env={**self.env, **env},
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: beat dies with it
        )
        log.close()
        self.workers.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def stop_all(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
            for p in sorted(self.folder.glob("worker-*.log"))
        )

    def run_job(self, import_id: int) -> tuple[int, str, int, int | None]:
        """(id, state, attempts, progress) of the import's writing job."""
        rows = self.scratch.query(
            "SELECT id, state, attempts, progress FROM jobs_job WHERE key = %s",
            RUN_KEY.format(import_id),
        )
        if not rows:
            return 0, "", 0, None
        job_id, state, attempts, progress = rows[0]
        beat = self.folder / "jobs" / f"{job_id}.beat"  # SQLite: the beats are in a file
        with contextlib.suppress(OSError, ValueError, KeyError):
            progress = json.loads(beat.read_text())["progress"] or progress
        return job_id, state, attempts, progress

    def entries(self, prefix: str) -> int:
        """Entries of *prefix*'s import that another process can see (committed)."""
        return self.scratch.query(
            "SELECT COUNT(*) FROM movement_entry WHERE name LIKE %s", f"{prefix} %"
        )[0][0]

    def import_state(self, import_id: int) -> str:
        return self.scratch.query("SELECT state FROM movement_importjob WHERE id = %s", import_id)[
            0
        ][0]

    def wait(self, what: str, ready: Callable[[], bool]) -> None:
        limit = time.monotonic() + WAIT
        while not ready():
            for proc in self.workers[-1:]:
                assert proc.poll() is None, (
                    f"worker stopped while waiting for {what}\n{self.logs()}"
                )
            if time.monotonic() > limit:
                pytest.fail(f"still waiting for {what}\n{self.logs()}")
            time.sleep(0.1)


@pytest.fixture(scope="module")
def lab(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Lab, dict[str, int]]]:
    if shutil.which("celery", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("celery không có trong môi trường ảo")
    folder = tmp_path_factory.mktemp("jobkill")
    with django_db_blocker.unblock():
        scratch = Scratch(folder)
    lab = Lab(folder, scratch)
    try:
        # Both imports are validated here (Celery eager in the driver): the phases below
        # start from a job ready to write.
        ids = lab.driver("prepare", ROWS, folder, "fs", "redis", CELERY_TASK_ALWAYS_EAGER="1")
        yield lab, ids
    finally:
        lab.stop_all()
        scratch.drop()


def _kill_mid_write(lab: Lab, import_id: int, prefix: str, **env: str) -> None:
    """Start the writing on worker A and SIGKILL A while it writes."""
    lab.driver("start", import_id, **env)
    first = lab.worker(f"{prefix}-a", beat=False, **env)
    lab.wait(
        "worker A writing rows",
        lambda: (progress := lab.run_job(import_id)[3]) is not None and progress > 0,
    )
    lab.kill(first)
    _job_id, state, attempts, progress = lab.run_job(import_id)
    seen = (state, attempts, lab.import_state(import_id), lab.entries(prefix), progress)
    # Killed while writing: the job still running, and the killed transaction left
    # nothing behind (the import still says "writing", no entry is visible).
    assert seen[:4] == ("running", 1, "importing", 0), f"killed too late: {seen}"


def _check_exactly_once(lab: Lab, import_id: int, prefix: str, attempts: int) -> None:
    status = lab.driver("status", import_id, prefix)
    assert status["state"] == "done", status
    assert status["created_count"] == ROWS
    assert status["entries"] == ROWS
    assert status["events"] == ROWS
    assert status["duplicates"] == 0
    run = status["jobs"]["movement.import.run"]
    assert (run["state"], run["attempts"]) == ("succeeded", attempts)


def test_killed_worker_on_filesystem_broker_is_resumed_and_writes_once(
    lab: tuple[Lab, dict[str, int]],
) -> None:
    lab_, ids = lab
    import_id = ids["fs"]
    _kill_mid_write(lab_, import_id, "fs")
    second = lab_.worker("fs-b", beat=True)
    lab_.wait(
        "the reaper to resume the job and B to finish it",
        lambda: lab_.run_job(import_id)[1] in ("succeeded", "failed"),
    )
    _check_exactly_once(lab_, import_id, "fs", attempts=2)
    lab_.kill(second)


def test_killed_worker_on_redis_fails_with_a_message_and_the_retry_writes_once(
    lab: tuple[Lab, dict[str, int]],
) -> None:
    reason = _redis_reachable()
    if reason:
        pytest.skip(reason)
    import redis

    lab_, ids = lab
    import_id = ids["redis"]
    # One attempt: the dead worker's job fails instead of being resumed, for the retry.
    # A queue of this run's own: another checkout's suite may use the same Redis database
    # at the same time, and neither may take the other's messages.
    queue = f"jobkill-{os.getpid()}-{import_id}"
    env = {
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "JOBS_MAX_ATTEMPTS": "1",
    }
    server = redis.Redis.from_url(REDIS_URL)
    try:
        _kill_mid_write(lab_, import_id, "redis", **env)
        second = lab_.worker("redis-b", beat=True, **env)
        lab_.wait("the reaper to fail the dead job", lambda: lab_.run_job(import_id)[1] == "failed")
        status = lab_.driver("status", import_id, "redis")
        assert status["state"] == "failed"
        assert status["retryable"] is True
        assert "dừng đột ngột" in status["failure"]
        assert "Không dòng nào được ghi" in status["failure"]
        assert status["entries"] == 0
        lab_.driver("retry", import_id, **env)
        lab_.wait(
            "the retried job to finish",
            lambda: lab_.run_job(import_id)[1] in ("succeeded", "failed"),
        )
        _check_exactly_once(lab_, import_id, "redis", attempts=1)
        lab_.kill(second)
    finally:
        # The queue, and the killed worker's unacknowledged message (kombu keeps those in
        # the "unacked" hash, as [message, exchange, routing key]).
        server.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        for tag, raw in server.hgetall("unacked").items():
            if json.loads(raw)[2] == queue:
                server.hdel("unacked", tag)
                server.zrem("unacked_index", tag)
