"""The daily sweep and the leaders' digests are durable jobs, once per day."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from danvan.accounts.models import User
from danvan.cases import tasks
from danvan.cases.models import Case
from danvan.jobs import services as jobs
from danvan.jobs.models import Job

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
JUNE_1 = dt.datetime(2026, 6, 1, 9, 0, tzinfo=HCM)


@pytest.fixture
def pending(receive: Callable[..., Case], leader: User) -> Case:
    leader.email = "lanhdao@example.vn"
    leader.save()
    with time_machine.travel(JUNE_1, tick=False):
        return receive(received_on=dt.date(2026, 5, 4))  # overdue on 1 June


def test_a_second_sweep_the_same_day_sends_no_digest_twice(pending: Case) -> None:
    with time_machine.travel(JUNE_1, tick=False):
        first = tasks.sweep_deadlines.delay().get()
        second = tasks.sweep_deadlines.delay().get()
    assert first["overdue"] == 1
    assert first["digests"] == 1
    assert second == first  # the day's result; nothing was done again
    assert len(mail.outbox) == 1
    sweep = Job.objects.get(key="cases.sweep:2026-06-01")
    assert (sweep.state, sweep.attempts) == (Job.State.SUCCEEDED, 1)
    assert Job.objects.filter(kind="cases.digest", state=Job.State.SUCCEEDED).count() == 1
    # The next day is another job, with its own digest.
    with time_machine.travel(JUNE_1 + dt.timedelta(days=1), tick=False):
        tasks.sweep_deadlines.delay().get()
    assert len(mail.outbox) == 2


def test_a_sweep_whose_worker_died_is_resumed_without_sending_a_digest_again(
    pending: Case, django_capture_on_commit_callbacks: Any, settings: Any, tmp_path: Any
) -> None:
    settings.JOBS_HEARTBEAT_DIR = str(tmp_path)
    with time_machine.travel(JUNE_1, tick=False):
        tasks.sweep_deadlines.delay().get()
    assert len(mail.outbox) == 1
    # As if the worker had died after sending the digest, before recording the sweep.
    Job.objects.filter(key="cases.sweep:2026-06-01").update(
        state=Job.State.RUNNING, heartbeat_at=JUNE_1
    )
    later = JUNE_1 + dt.timedelta(seconds=settings.JOBS_STALE_SECONDS + 1)
    with (
        time_machine.travel(later, tick=False),
        django_capture_on_commit_callbacks(execute=True) as sent,
    ):
        reaped = jobs.jobs_reap(now=later)
    assert reaped.resumed == ["cases.sweep:2026-06-01"]
    assert len(sent) == 1
    sweep = Job.objects.get(key="cases.sweep:2026-06-01")
    assert (sweep.state, sweep.attempts) == (Job.State.SUCCEEDED, 2)
    assert sweep.result["digests"] == 0  # the day's digest was already sent
    assert len(mail.outbox) == 1


def test_a_digest_that_failed_is_sent_by_the_next_sweep_of_the_day(
    pending: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    def smtp_down(**kwargs: Any) -> None:
        raise OSError("connection refused")

    monkeypatch.setattr(tasks, "send_email", smtp_down)
    with time_machine.travel(JUNE_1, tick=False):
        first = tasks.sweep_deadlines.delay().get()
    assert first["digests"] == 0
    digest = Job.objects.get(kind="cases.digest")
    assert (digest.state, digest.retryable) == (Job.State.FAILED, True)
    assert digest.error == "Tác vụ gặp lỗi hệ thống. Thư tổng hợp vụ việc của ngày chưa gửi được."
    monkeypatch.undo()
    sweep = Job.objects.get(key="cases.sweep:2026-06-01")
    assert (sweep.state, sweep.retryable) == (Job.State.FAILED, True)
    assert sweep.error.startswith("1 thư tổng hợp chưa gửi được")
    # The sweep_deadlines command the same day sends the missing digest, once.
    with time_machine.travel(JUNE_1, tick=False):
        call_command("sweep_deadlines", stdout=io.StringIO())
        tasks.sweep_deadlines.delay().get()
    assert len(mail.outbox) == 1
    digest.refresh_from_db()
    assert (digest.state, digest.attempts) == (Job.State.SUCCEEDED, 1)
    sweep.refresh_from_db()
    assert (sweep.state, sweep.result["digests"]) == (Job.State.SUCCEEDED, 1)
