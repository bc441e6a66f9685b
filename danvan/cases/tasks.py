"""Background jobs of the cases app: thin doors onto alerts.py.

The sweep and each digest are durable jobs (danvan/jobs) keyed by the day: beat started
on two nodes, a resumed sweep or a second run by hand the same day marks nothing twice
and sends no digest twice. (A worker killed between sending a digest and recording it
would send that one digest again when resumed: mail cannot be taken back, so a digest
is sent at least once, and once in every other case.)
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.accounts.tasks import send_email
from danvan.jobs import kinds, runner, selectors
from danvan.jobs import services as jobs
from danvan.jobs.heartbeat import Heartbeat

from . import alerts

SWEEP_JOB = "cases.sweep"
DIGEST_JOB = "cases.digest"

kinds.register(
    kinds.Kind(
        name=SWEEP_JOB,
        task="danvan.cases.tasks.sweep_deadlines",
        failed_message=_(
            "Lượt rà soát hạn giải quyết hằng ngày chưa xong; lượt chạy ngày mai sẽ rà soát lại."
        ),
    )
)
kinds.register(
    kinds.Kind(
        name=DIGEST_JOB,
        task="danvan.cases.tasks.send_digest",
        failed_message=_("Thư tổng hợp vụ việc của ngày chưa gửi được."),
    )
)


@shared_task(acks_late=True)
def sweep_deadlines(day: str | None = None) -> dict[str, Any]:
    """Daily (CELERY_BEAT_SCHEDULE): mark due-soon and overdue cases, then send digests,
    once for *day* (ISO date; today by default, the reaper passes the day it resumes)."""
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    key = jobs.key_for(SWEEP_JOB, today.isoformat())
    job = runner.run_keyed(
        kind=SWEEP_JOB, key=key, args=[today.isoformat()], work=lambda beat: _sweep(today)
    )
    # A second run the same day did nothing: it answers with the day's result.
    job = job or selectors.job_by_key(key)
    return job.result if job is not None else {}


def _sweep(today: dt.date) -> dict[str, int] | runner.Failed:
    result = alerts.sweep_deadlines(today=today)
    sent = failed = 0
    for digest in alerts.leader_digests():
        subject, body = digest.render()
        job = runner.run_keyed(
            kind=DIGEST_JOB,
            key=jobs.key_for(DIGEST_JOB, today.isoformat(), digest.grant_id),
            args=[today.isoformat(), digest.grant_id, subject, body, digest.to],
            work=functools.partial(_send_digest_work, subject=subject, body=body, to=digest.to),
        )
        sent += job is not None and job.state == job.State.SUCCEEDED
        failed += job is not None and job.state == job.State.FAILED
    counts = {
        "overdue": result.overdue,
        "due_soon": result.due_soon,
        "cleared": result.cleared,
        "digests": sent,
    }
    if failed:
        # The day's sweep stays failed, so running it again the same day (the
        # sweep_deadlines command) sends the digests that did not go, and only those.
        return runner.Failed(
            _(
                "%(n)s thư tổng hợp chưa gửi được (máy chủ thư không nhận?); chạy lại lệnh"
                " sweep_deadlines trong ngày để gửi các thư còn thiếu."
            )
            % {"n": failed},
            retryable=True,
            result=counts,
        )
    return counts


def _send_digest_work(beat: Heartbeat, *, subject: str, body: str, to: str) -> None:
    # Sent here rather than queued (send_email.delay): the job's record must say sent.
    send_email(subject=subject, body=body, to=[to])


@shared_task(acks_late=True)
def send_digest(day: str, grant_id: int, subject: str, body: str, to: str) -> None:
    """One leader's digest of *day* (sent again by the reaper when its worker died)."""
    runner.run(
        key=jobs.key_for(DIGEST_JOB, day, grant_id),
        work=functools.partial(_send_digest_work, subject=subject, body=body, to=to),
    )
