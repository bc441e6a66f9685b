"""The export job: its kind and its Celery task (a thin door onto services.export_run).

Imported by the app's ready() (report_campaigns), so that the web processes know the kind
(they reap and retry it) and the workers the task.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from danvan.jobs import kinds, runner
from danvan.jobs.services import key_for

from . import services
from .selectors import KIND

kinds.register(
    kinds.Kind(
        name=KIND,
        task=services.TASK,
        failed_message=_(
            "Chưa tạo được tệp .zip; không có tệp dở dang nào được giữ lại. Bấm “Thử lại”"
            " để xuất lại."
        ),
    )
)


@shared_task(acks_late=True)
def run_export(report_id: int, subtree: bool, actor_id: int, token: str) -> None:
    """Write the zip of one export, reporting the files made as the job's progress."""

    def work(beat: Any) -> Any:
        return services.export_run(
            report_id=report_id,
            subtree=subtree,
            actor_id=actor_id,
            token=token,
            progress=beat.progress,
        )

    runner.run(key=key_for(KIND, report_id, token), work=work)


@shared_task(acks_late=True, ignore_result=True)
def cleanup_exports() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remove the old zips (services.export_cleanup)."""
    return services.export_cleanup()
