"""Reads of the job records."""

from __future__ import annotations

from . import heartbeat
from .models import Job


def job_by_key(key: str) -> Job | None:
    return Job.objects.filter(key=key).first()


def job_progress(key: str) -> int | None:
    """The progress the running job of *key* last reported with its heartbeat (None: not
    running, or nothing reported yet)."""
    job = Job.objects.filter(key=key, state=Job.State.RUNNING).first()
    return heartbeat.last_beat(job)[1] if job is not None else None
