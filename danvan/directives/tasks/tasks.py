"""Background jobs of the tasks app: thin doors onto ladder.py and digests.py, in the
shape of danvan/cases/tasks.py.

The daily run and each digest are durable jobs (danvan/jobs) keyed by the day: beat
started on two nodes, a resumed run or a second run by hand the same day moves nothing
twice (the ladder is idempotent per day anyway) and sends no digest twice. Digests are
sent after the ladder's transaction committed, each as a job of its own: the e-mail (when
the person has an address) and the in-app notice.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from celery import shared_task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import User
from danvan.accounts.tasks import send_email
from danvan.jobs import kinds, runner, selectors
from danvan.jobs import services as jobs
from danvan.jobs.heartbeat import Heartbeat
from danvan.worklist.models import Notice
from danvan.worklist.services import notice_send

from . import digests, ladder

LADDER_JOB = "directive_tasks.ladder"
DIGEST_JOB = "directive_tasks.digest"

kinds.register(
    kinds.Kind(
        name=LADDER_JOB,
        task="danvan.directives.tasks.tasks.run_ladder",
        failed_message=_(
            "Lượt nhắc, đôn đốc nhiệm vụ hằng ngày chưa xong; lượt chạy ngày mai sẽ làm tiếp."
        ),
    )
)
kinds.register(
    kinds.Kind(
        name=DIGEST_JOB,
        task="danvan.directives.tasks.tasks.send_digest",
        failed_message=_("Thư tổng hợp nhiệm vụ của ngày chưa gửi được."),
    )
)


@shared_task(acks_late=True)
def run_ladder(day: str | None = None) -> dict[str, Any]:
    """Daily (CELERY_BEAT_SCHEDULE): climb the ladder, then send the digests, once for
    *day* (ISO date; today by default, the reaper passes the day it resumes)."""
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    key = jobs.key_for(LADDER_JOB, today.isoformat())
    job = runner.run_keyed(
        kind=LADDER_JOB, key=key, args=[today.isoformat()], work=lambda beat: _run(today)
    )
    job = job or selectors.job_by_key(key)
    return job.result if job is not None else {}


def _run(today: dt.date) -> dict[str, Any] | runner.Failed:
    result = ladder.ladder_run(today=today)
    counts = result.as_dict()
    if result.skipped:
        return counts  # a day off: nothing climbed, nothing to tell
    sent = failed = 0
    for digest in [*digests.assignee_digests(today=today), *digests.leader_digests(today=today)]:
        subject, body = digest.render()
        args = [today.isoformat(), digest.key, subject, body, digest.to, digest.user_id]
        job = runner.run_keyed(
            kind=DIGEST_JOB,
            key=jobs.key_for(DIGEST_JOB, today.isoformat(), digest.key),
            args=args,
            work=functools.partial(
                _send_digest_work, subject=subject, body=body, to=digest.to, user_id=digest.user_id
            ),
        )
        sent += job is not None and job.state == job.State.SUCCEEDED
        failed += job is not None and job.state == job.State.FAILED
    counts["digests"] = sent
    if failed:
        return runner.Failed(
            _(
                "%(n)s thư tổng hợp nhiệm vụ chưa gửi được (máy chủ thư không nhận?); chạy lại"
                " lượt nhắc, đôn đốc trong ngày để gửi các thư còn thiếu."
            )
            % {"n": failed},
            retryable=True,
            result=counts,
        )
    return counts


def _send_digest_work(beat: Heartbeat, *, subject: str, body: str, to: str, user_id: int) -> None:
    # Sent here rather than queued: the job's record must say sent.
    if to:
        send_email(subject=subject, body=body, to=[to])
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        notice_send(
            users=[user],
            kind=Notice.Kind.OTHER,
            title=subject.removeprefix("[danvan] "),
            url=reverse("directive_tasks:list"),
        )


@shared_task(acks_late=True)
def send_digest(day: str, key: str, subject: str, body: str, to: str, user_id: int) -> None:
    """One person's digest of *day* (sent again by the reaper when its worker died)."""
    runner.run(
        key=jobs.key_for(DIGEST_JOB, day, key),
        work=functools.partial(
            _send_digest_work, subject=subject, body=body, to=to, user_id=user_id
        ),
    )
