"""The job record's state machine, the reaper, retry and idempotency (danvan/jobs)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest
from celery import shared_task
from django.utils import timezone

from danvan.core.errors import DomainError
from danvan.jobs import heartbeat, kinds, runner, services
from danvan.jobs.models import Job

KIND = "test.echo"
CALLS: list[str] = []
FAILED: list[str] = []


@shared_task(name="danvan.jobs.tests.echo")
def echo(value: str) -> None:
    runner.run(key=services.key_for(KIND, value), work=lambda beat: _echo(value))


def _echo(value: str) -> dict[str, str]:
    CALLS.append(value)
    return {"echo": value}


kinds.register(
    kinds.Kind(
        name=KIND,
        task="danvan.jobs.tests.echo",
        failed_message="Chưa gửi được; bấm “Thử lại”.",
        on_failed=lambda job: FAILED.append(job.key),
    )
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean(settings: Any, tmp_path: Path) -> None:
    settings.JOBS_HEARTBEAT_DIR = str(tmp_path / "beats")
    settings.JOBS_STALE_SECONDS = 60
    settings.JOBS_MAX_ATTEMPTS = 2
    CALLS.clear()
    FAILED.clear()


def queued(value: str = "a", **fields: Any) -> Job:
    job, created = services.job_enqueue(
        kind=KIND, key=services.key_for(KIND, value), args=[value], send=False
    )
    assert created
    if fields:
        Job.objects.filter(pk=job.pk).update(**fields)
        job.refresh_from_db()
    return job


def claimed(value: str = "a", *, at: dt.datetime | None = None) -> Job:
    queued(value)
    job = services.job_claim(key=services.key_for(KIND, value), worker="w:1", now=at)
    assert job is not None
    return job


def test_a_queued_job_is_sent_once_after_commit_and_runs_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as sent:
        job, created = services.job_enqueue(kind=KIND, key="test.echo:x", args=["x"])
    assert created
    assert len(sent) == 1
    job.refresh_from_db()
    assert (job.state, job.attempts, job.result) == (Job.State.SUCCEEDED, 1, {"echo": "x"})
    # The same effect asked for again: nothing queued, nothing sent, nothing run.
    with django_capture_on_commit_callbacks(execute=True) as sent:
        again, created = services.job_enqueue(kind=KIND, key="test.echo:x", args=["x"])
    assert (again.pk, created, len(sent)) == (job.pk, False, 0)
    # A late duplicate delivery of the message finds the job done.
    echo.apply(args=("x",))
    assert CALLS == ["x"]


def test_an_undeclared_kind_is_refused() -> None:
    with pytest.raises(LookupError, match="unknown job kind"):
        services.job_enqueue(kind="nobody.declared", key="k", args=[])


def test_a_claim_is_refused_while_running_and_once_done_or_failed() -> None:
    job = claimed("a")
    assert (job.state, job.attempts, job.worker) == (Job.State.RUNNING, 1, "w:1")
    # A concurrent duplicate delivery: the first worker beats, so it is alive.
    assert services.job_claim(key=job.key, worker="w:2") is None
    services.job_succeed(job=job)
    assert services.job_claim(key=job.key, worker="w:2") is None
    failed = claimed("b")
    services.job_fail(job=failed, message="Hỏng.", retryable=True)
    assert services.job_claim(key=failed.key, worker="w:2") is None
    assert services.job_claim(key="test.echo:missing", worker="w:2") is None


def test_a_redelivered_message_of_a_dead_worker_starts_the_next_attempt() -> None:
    t0 = timezone.now()
    job = claimed("a", at=t0)
    later = t0 + dt.timedelta(seconds=61)
    again = services.job_claim(key=job.key, worker="w:2", now=later)
    assert again is not None
    assert (again.attempts, again.worker) == (2, "w:2")
    # The second attempt dies too: with no attempt left, the delivery fails the job.
    assert (
        services.job_claim(key=job.key, worker="w:3", now=later + dt.timedelta(seconds=61)) is None
    )
    again.refresh_from_db()
    assert (again.state, again.retryable) == (Job.State.FAILED, True)
    assert "dừng đột ngột" in again.error
    assert "sau 2 lần thử" in again.error
    assert [job.key] == FAILED


def test_the_end_of_an_attempt_that_was_taken_over_changes_nothing() -> None:
    t0 = timezone.now()
    first = claimed("a", at=t0)
    services.jobs_reap(now=t0 + dt.timedelta(seconds=61))  # the first worker looked dead
    second = services.job_claim(key=first.key, worker="w:2", now=t0 + dt.timedelta(seconds=62))
    assert second is not None
    services.job_succeed(job=first, result={"from": "first"})  # it was only slow
    second.refresh_from_db()
    assert (second.state, second.attempts, second.result) == (Job.State.RUNNING, 2, {})


def test_the_runner_records_the_outcome_of_the_work() -> None:
    done = runner.run(key=claimed_key("ok"), work=lambda beat: {"n": 3})
    assert done is not None
    assert (done.state, done.result) == (Job.State.SUCCEEDED, {"n": 3})

    refused = runner.run(key=claimed_key("bad"), work=lambda beat: runner.Failed("Tệp hỏng."))
    assert refused is not None
    assert (refused.state, refused.error, refused.retryable) == (
        Job.State.FAILED,
        "Tệp hỏng.",
        False,
    )

    def crash(beat: heartbeat.Heartbeat) -> None:
        raise RuntimeError("disk full")

    crashed = runner.run(key=claimed_key("crash"), work=crash)
    assert crashed is not None
    assert (crashed.state, crashed.retryable) == (Job.State.FAILED, True)
    assert crashed.error == "Tác vụ gặp lỗi hệ thống. Chưa gửi được; bấm “Thử lại”."
    assert FAILED == ["test.echo:bad", "test.echo:crash"]
    # Nothing runs a job twice: a second run of a finished key does no work.
    assert runner.run(key=claimed_key("ok", new=False), work=lambda beat: 1 / 0) is None


def claimed_key(value: str, *, new: bool = True) -> str:
    if new:
        queued(value)
    return services.key_for(KIND, value)


def test_the_reaper_resumes_a_dead_job_then_fails_it_when_no_attempt_is_left(
    django_capture_on_commit_callbacks: Any,
) -> None:
    t0 = timezone.now()
    job = claimed("a", at=t0)
    assert services.jobs_reap(now=t0 + dt.timedelta(seconds=59)) == services.Reaped()
    with django_capture_on_commit_callbacks(execute=False) as sent:
        reaped = services.jobs_reap(now=t0 + dt.timedelta(seconds=61))
    assert reaped.resumed == [job.key]
    assert len(sent) == 1
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.QUEUED, 1)
    assert "được chạy lại" in job.error

    t1 = t0 + dt.timedelta(seconds=70)
    second = services.job_claim(key=job.key, worker="w:2", now=t1)
    assert second is not None
    assert second.attempts == 2
    with django_capture_on_commit_callbacks(execute=False) as sent:
        reaped = services.jobs_reap(now=t1 + dt.timedelta(seconds=61))
    assert reaped.failed == [job.key]
    assert not sent
    job.refresh_from_db()
    assert (job.state, job.retryable) == (Job.State.FAILED, True)
    assert job.error.startswith("Tiến trình xử lý nền đã dừng đột ngột")
    assert job.error.endswith("Chưa gửi được; bấm “Thử lại”.")
    assert [job.key] == FAILED


def test_a_recorded_beat_keeps_a_running_job_alive() -> None:
    t0 = timezone.now()
    job = claimed("a", at=t0)
    heartbeat.record(job.pk, at=t0 + dt.timedelta(seconds=50), progress=1000)
    job.refresh_from_db()
    assert heartbeat.last_beat(job) == (t0 + dt.timedelta(seconds=50), 1000)
    assert services.jobs_reap(now=t0 + dt.timedelta(seconds=100)) == services.Reaped()
    assert services.jobs_reap(now=t0 + dt.timedelta(seconds=111)).resumed == [job.key]


def test_a_job_queued_too_long_is_sent_again(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.JOBS_RESEND_SECONDS = 600
    job = queued("a")
    now = timezone.now()
    assert services.jobs_reap(now=now) == services.Reaped()
    with django_capture_on_commit_callbacks(execute=True) as sent:
        reaped = services.jobs_reap(now=now + dt.timedelta(seconds=601))
    assert reaped.resent == [job.key]
    assert len(sent) == 1
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert CALLS == ["a"]


def test_a_failed_job_is_retried_as_the_same_job(django_capture_on_commit_callbacks: Any) -> None:
    job = claimed("a")
    services.job_fail(job=job, message="Hỏng.", retryable=True)
    with django_capture_on_commit_callbacks(execute=True) as sent:
        retried = services.job_retry(key=job.key)
    assert retried.pk == job.pk
    assert len(sent) == 1
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == (Job.State.SUCCEEDED, 1, "")
    assert CALLS == ["a"]
    with pytest.raises(DomainError, match="Chỉ thử lại được một tác vụ đã thất bại"):
        services.job_retry(key=job.key)


def test_reading_a_dead_job_reaps_it(settings: Any) -> None:
    settings.JOBS_MAX_ATTEMPTS = 1
    job = claimed("a", at=timezone.now() - dt.timedelta(seconds=61))
    checked = services.job_check(key=job.key)
    assert checked is not None
    assert checked.state == Job.State.FAILED
    alive = claimed("b")
    checked = services.job_check(key=alive.key)
    assert checked is not None
    assert checked.state == Job.State.RUNNING


def test_the_first_progress_is_recorded_at_once(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 3600  # no beat would come by the clock
    beats: list[int | None] = []
    monkeypatch.setattr(
        heartbeat, "record", lambda job_id, *, at, progress=None: beats.append(progress)
    )
    with heartbeat.Heartbeat(42) as beat:
        beat.progress(1000)
        limit = time.monotonic() + 30
        while not beats:
            assert time.monotonic() < limit, "the first progress was not recorded"
            time.sleep(0.02)
        beat.progress(2000)  # later reports wait for the next beat
        time.sleep(0.2)
    assert beats == [1000]


def test_the_heartbeat_thread_beats_with_the_progress_until_the_work_ends(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 0.05
    beats: list[tuple[int, int | None]] = []
    monkeypatch.setattr(
        heartbeat, "record", lambda job_id, *, at, progress=None: beats.append((job_id, progress))
    )
    with heartbeat.Heartbeat(42) as beat:
        beat.progress(7)
        limit = time.monotonic() + 30
        while (42, 7) not in beats:
            assert time.monotonic() < limit, "no beat recorded"
            time.sleep(0.02)
    after = len(beats)
    time.sleep(0.2)
    assert len(beats) == after  # the thread stopped with the work
