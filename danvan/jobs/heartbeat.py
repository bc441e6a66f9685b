"""A running job's worker says it is alive every JOBS_HEARTBEAT_SECONDS.

The beats come from a thread beside the work, on a database connection of its own, so
they continue while the work sits inside one long transaction (the import writes every
row in one). On PostgreSQL the thread updates ``Job.heartbeat_at``. On SQLite it cannot:
the database has one writer at a time and the work's transaction holds it until the
end, so every beat would wait for the work to finish. There the thread writes the beat
to a small file under JOBS_HEARTBEAT_DIR instead; SQLite serves one machine, so every
process that reads the job's state sees the same file. ``last_beat`` reads both.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from .models import Job

logger = logging.getLogger(__name__)


def beats_in_file() -> bool:
    return connections["default"].vendor == "sqlite"


def beat_path(job_id: int) -> Path:
    return Path(settings.JOBS_HEARTBEAT_DIR) / f"{job_id}.beat"


def record(job_id: int, *, at: dt.datetime, progress: int | None = None) -> None:
    """Record that the worker of *job_id* was alive at *at* (and how far it got)."""
    if beats_in_file():
        path = beat_path(job_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"at": at.isoformat(), "progress": progress}))
        os.replace(temporary, path)  # readers never see half a beat
        return
    Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(
        heartbeat_at=at, progress=progress
    )


def last_beat(job: Job) -> tuple[dt.datetime | None, int | None]:
    """When *job*'s worker last said it was alive, and the progress it reported."""
    at, progress = job.heartbeat_at, job.progress
    try:
        data = json.loads(beat_path(job.pk).read_text())
        in_file = dt.datetime.fromisoformat(data["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return at, progress
    if at is None or in_file > at:
        return in_file, data.get("progress")
    return at, progress


def forget(job_id: int) -> None:
    beat_path(job_id).unlink(missing_ok=True)


def is_stale(job: Job, *, now: dt.datetime) -> bool:
    """True when *job* runs but its worker has not beaten for JOBS_STALE_SECONDS: the
    worker died (killed, out of memory, machine lost) or is frozen."""
    if job.state != Job.State.RUNNING:
        return False
    at, _progress = last_beat(job)
    at = at or job.started_at or job.updated_at
    return now - at > dt.timedelta(seconds=settings.JOBS_STALE_SECONDS)


class Heartbeat:
    """The beating thread of one attempt: ``with Heartbeat(job_id) as beat: ...``.

    The work may report its progress with ``beat.progress(n)``; the next beat records it,
    and the first report is recorded at once (the page shows the writing has begun).
    """

    def __init__(self, job_id: int, *, enabled: bool = True) -> None:
        self.job_id = job_id
        self.interval = float(settings.JOBS_HEARTBEAT_SECONDS)
        self.enabled = enabled
        self._progress: int | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-{job_id}-heartbeat")
        self._thread.daemon = True  # never keeps a worker alive that is shutting down

    def progress(self, value: int) -> None:
        first = self._progress is None
        self._progress = value
        if first:
            self._wake.set()

    def __enter__(self) -> Heartbeat:
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        try:
            while True:
                self._wake.wait(self.interval)
                self._wake.clear()
                if self._stop.is_set():
                    break
                try:
                    record(self.job_id, at=timezone.now(), progress=self._progress)
                except Exception:
                    # A missed beat is not fatal; many in a row make the job look dead,
                    # which is the truth when the database cannot be reached.
                    logger.warning("job %s: heartbeat not recorded", self.job_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection
