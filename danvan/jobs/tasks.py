"""The reaper (CELERY_BEAT_SCHEDULE, every JOBS_REAP_SECONDS): thin door onto services."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def reap_jobs() -> dict[str, list[str]]:
    reaped = services.jobs_reap()
    return {"resumed": reaped.resumed, "failed": reaped.failed, "resent": reaped.resent}
