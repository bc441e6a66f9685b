"""Running a job from its Celery task: claim, beat, do the work, record the outcome.

A task is a thin door::

    @shared_task(acks_late=True)
    def run_import(import_id: int) -> None:
        runner.run(key=..., work=lambda beat: imports.job_run(job_id=import_id, ...))

The work returns ``Failed(message, retryable)`` for a failure the user must read (a bad
file), or anything else for success (a dict is kept as the job's result). An exception
fails the job with the kind's message, retryable; it is logged, not raised, because the
job's row, not Celery, now says what happened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from celery import current_app

from . import services
from .heartbeat import Heartbeat
from .models import Job

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Failed:
    """The work's own verdict: failed, with what to tell the user."""

    message: str
    retryable: bool = False
    result: dict[str, Any] | None = None  # kept on the job, as a success's would be


Work = Callable[[Heartbeat], Any]


def run(*, key: str, work: Work) -> Job | None:
    """Run the queued job of *key* once; None when this delivery had nothing to do."""
    job = services.job_claim(key=key, worker=services.worker_name())
    if job is None:
        return None
    # An eager run (tests) happens inside its caller's transaction: a thread with a
    # connection of its own would contend with it, and nothing can die in between.
    beats = not current_app.conf.task_always_eager
    try:
        with Heartbeat(job.pk, enabled=beats) as beat:
            outcome = work(beat)
    except Exception:
        logger.exception("job %s: failed", key)
        return services.job_fail(job=job, message=services.error_message(job), retryable=True)
    if isinstance(outcome, Failed):
        return services.job_fail(
            job=job, message=outcome.message, retryable=outcome.retryable, result=outcome.result
        )
    return services.job_succeed(job=job, result=outcome if isinstance(outcome, dict) else None)


def run_keyed(*, kind: str, key: str, args: list[Any], work: Work) -> Job | None:
    """Queue the job of *key* if new and run it here at once: for work that starts by
    itself (the beat schedule) and must happen once per key (once a day). Asked again,
    a job that succeeded does nothing and one that failed for a system reason runs again
    (the day's sweep after the mail server came back)."""
    job, _created = services.job_enqueue(kind=kind, key=key, args=args, send=False)
    if job.state == Job.State.FAILED and job.retryable:
        services.job_retry(key=key, send=False)
    return run(key=key, work=work)
