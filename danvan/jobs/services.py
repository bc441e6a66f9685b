"""Writes of the job records: queue, claim, beat, finish, reap, retry.

The transitions (drawn in docs/operations.md, "Background jobs"):

    queued ──claim──▶ running ──succeed──▶ succeeded
      ▲                 │ │
      │ reap (attempt   │ └──fail / reap (no attempt left)──▶ failed
      │ left) ◀─────────┘                                      │
      └──────────────────────────── retry (a user) ◀───────────┘

Each transition locks the job's row first. A claim is refused for a job that is done,
failed, or running with a live heartbeat: a message delivered twice (Redis gives an
unacknowledged message back after its visibility timeout; the reaper sends a job again)
never runs the work twice at once, and the work itself checks it is not already done.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from dataclasses import dataclass, field
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.errors import DomainError

from . import heartbeat, kinds
from .errors import JobError
from .models import Job

logger = logging.getLogger(__name__)


def key_for(kind: str, *parts: object) -> str:
    """The idempotency key of the job of *kind* that has the effect named by *parts*."""
    return ":".join([kind, *(str(p) for p in parts)])


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _max_attempts(kind: kinds.Kind) -> int:
    return max(1, kind.max_attempts or int(settings.JOBS_MAX_ATTEMPTS))


def _dispatch(task: str, args: list[Any]) -> None:
    try:
        registered = current_app.tasks.get(task)
        if registered is not None:
            registered.apply_async(args=tuple(args))  # eager in tests, like .delay()
        else:
            current_app.send_task(task, args=args)
    except Exception:
        # The broker is down: the job stays queued and the reaper sends it again.
        logger.exception("job %s%r: not sent to the broker", task, args)


def _send(job: Job) -> None:
    """Send *job* to the workers once the current transaction commits."""
    task, args = job.task, list(job.args)
    transaction.on_commit(lambda: _dispatch(task, args))


def job_enqueue(
    *, kind: str, key: str, args: list[Any] | None = None, send: bool = True
) -> tuple[Job, bool]:
    """The job of *key*, queued (and sent after commit) if it did not exist yet.

    Queuing the same key again changes nothing: a job is one effect, whatever asks for
    it twice (beat started on two nodes, a double click, a resumed sweep). *send* False
    queues without sending, for a task that runs the job itself at once (``run_keyed``).
    """
    declared = kinds.get(kind)
    with transaction.atomic():
        # Two processes queuing one key: the unique key lets one insert and get_or_create
        # gives the other the row it inserted.
        job, created = Job.objects.get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "task": declared.task,
                "args": args or [],
                "max_attempts": _max_attempts(declared),
            },
        )
        if created and send:
            _send(job)
    return job, created


def job_claim(*, key: str, worker: str, now: dt.datetime | None = None) -> Job | None:
    """Start an attempt of the job of *key*: the job, running; None when this delivery
    must do nothing (done, failed, running elsewhere, or unknown)."""
    now = now or timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(key=key).first()
        if job is None:
            logger.warning("job %s: unknown, nothing to run", key)
            return None
        if job.state == Job.State.RUNNING:
            if not heartbeat.is_stale(job, now=now):
                logger.info("job %s: already running on %s, duplicate refused", key, job.worker)
                return None
            # Its worker died and the message came back (a redelivery): an attempt lost.
            if job.attempts >= job.max_attempts:
                _fail_dead(job, now=now)
                return None
        elif job.state != Job.State.QUEUED:
            logger.info("job %s: already %s, nothing to do", key, job.state)
            return None
        job.state = Job.State.RUNNING
        job.attempts += 1
        job.heartbeat_at = job.started_at = now
        job.progress = None
        job.finished_at = None
        job.worker = worker[:200]
        job.save()
    heartbeat.forget(job.pk)
    return job


def job_succeed(*, job: Job, result: dict[str, Any] | None = None) -> Job:
    """End *job*'s attempt as succeeded (nothing if another attempt took it over)."""
    with transaction.atomic():
        locked = _attempt(job)
        if locked is not None:
            locked.state = Job.State.SUCCEEDED
            locked.finished_at = timezone.now()
            locked.error = ""
            locked.retryable = False
            locked.result = result or {}
            locked.save()
            job = locked
    heartbeat.forget(job.pk)
    return job


def job_fail(
    *, job: Job, message: str, retryable: bool, result: dict[str, Any] | None = None
) -> Job:
    """End *job*'s attempt as failed with *message* (Vietnamese, for the user)."""
    with transaction.atomic():
        locked = _attempt(job)
        if locked is not None:
            locked.result = result or {}
            _set_failed(locked, message=message, retryable=retryable, now=timezone.now())
            job = locked
    heartbeat.forget(job.pk)
    return job


def _attempt(job: Job) -> Job | None:
    """*job*'s row, locked, if it is still the attempt this worker claimed."""
    return (
        Job.objects.select_for_update()
        .filter(pk=job.pk, state=Job.State.RUNNING, attempts=job.attempts)
        .first()
    )


def _set_failed(job: Job, *, message: str, retryable: bool, now: dt.datetime) -> None:
    job.state = Job.State.FAILED
    job.finished_at = now
    job.error = message
    job.retryable = retryable
    job.save()
    on_failed = kinds.get(job.kind).on_failed
    if on_failed is not None:
        on_failed(job)


def died_message(job: Job) -> str:
    return " ".join(
        [
            _(
                "Tiến trình xử lý nền đã dừng đột ngột khi đang chạy (máy chủ khởi động lại,"
                " hết bộ nhớ hoặc bị tắt), sau %(n)s lần thử."
            )
            % {"n": job.attempts},
            str(kinds.get(job.kind).failed_message),
        ]
    )


def error_message(job: Job) -> str:
    return " ".join([_("Tác vụ gặp lỗi hệ thống."), str(kinds.get(job.kind).failed_message)])


def _fail_dead(job: Job, *, now: dt.datetime) -> None:
    logger.warning("job %s: worker %s died, no attempt left: failed", job.key, job.worker)
    _set_failed(job, message=died_message(job), retryable=True, now=now)


@dataclass
class Reaped:
    resumed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    resent: list[str] = field(default_factory=list)


def _reap_one(job_id: int, *, now: dt.datetime, reaped: Reaped) -> None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or not heartbeat.is_stale(job, now=now):
            return
        if job.attempts < job.max_attempts:
            # Nothing of a dead attempt survives that the work does not check for: the
            # database rolled its transaction back when the connection dropped.
            logger.warning("job %s: worker %s died, resumed", job.key, job.worker)
            job.state = Job.State.QUEUED
            job.error = _(
                "Tiến trình xử lý nền đã dừng đột ngột ở lần thử %(n)s; tác vụ được chạy lại."
            ) % {"n": job.attempts}
            job.save()
            _send(job)
            reaped.resumed.append(job.key)
        else:
            _fail_dead(job, now=now)
            reaped.failed.append(job.key)


def jobs_reap(*, now: dt.datetime | None = None) -> Reaped:
    """Find the running jobs whose worker died (no heartbeat for JOBS_STALE_SECONDS) and
    resume them (an attempt is left) or fail them; send again the jobs queued for longer
    than JOBS_RESEND_SECONDS (a message lost with its worker: kombu's filesystem broker
    drops a message once delivered). Runs every JOBS_REAP_SECONDS in the beat schedule."""
    now = now or timezone.now()
    reaped = Reaped()
    stale_before = now - dt.timedelta(seconds=settings.JOBS_STALE_SECONDS)
    # On SQLite the beats of a running job are in a file (heartbeat.py): the database's
    # heartbeat_at only narrows the candidates, is_stale decides.
    candidates = Job.objects.filter(state=Job.State.RUNNING).filter(
        Q(heartbeat_at__lt=stale_before) | Q(heartbeat_at__isnull=True)
    )
    for job_id in candidates.values_list("pk", flat=True):
        _reap_one(job_id, now=now, reaped=reaped)
    resend_before = now - dt.timedelta(seconds=settings.JOBS_RESEND_SECONDS)
    for job in Job.objects.filter(state=Job.State.QUEUED, updated_at__lt=resend_before):
        # A duplicate is harmless (the claim refuses it); a lost message is not.
        with transaction.atomic():
            if Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(updated_at=now):
                _send(job)
                reaped.resent.append(job.key)
    return reaped


def job_check(*, key: str, now: dt.datetime | None = None) -> Job | None:
    """The job of *key*, reaped first if its worker died: a page reading the job's state
    learns the truth now rather than at the next round of the reaper."""
    job = Job.objects.filter(key=key).first()
    now = now or timezone.now()
    if job is not None and heartbeat.is_stale(job, now=now):
        _reap_one(job.pk, now=now, reaped=Reaped())
        job.refresh_from_db()
    return job


def job_retry(*, key: str, send: bool = True) -> Job:
    """Queue a failed job again, with its attempts renewed (the owning app checks who may
    retry and records it; see movement.imports.services.job_retry). *send* False: the
    caller runs it at once (runner.run_keyed)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(key=key).first()
        if job is None or job.state != Job.State.FAILED:
            raise DomainError(
                JobError.NOT_RETRYABLE.value,
                _("Chỉ thử lại được một tác vụ đã thất bại; tác vụ này đang chạy hoặc đã xong."),
            )
        job.state = Job.State.QUEUED
        job.attempts = 0
        job.error = ""
        job.retryable = False
        job.heartbeat_at = job.finished_at = job.started_at = None
        job.progress = None
        job.save()
        if send:
            _send(job)
    return job
