"""Background jobs of the movement: thin doors onto the import services.

Both are durable jobs (danvan/jobs): each runs under its key, with a heartbeat, and a
delivery of a job that is done or running elsewhere does nothing.
"""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from danvan.jobs import kinds, runner

from .imports import services as imports

kinds.register(
    kinds.Kind(
        name=imports.VALIDATE_JOB,
        task="danvan.movement.tasks.validate_import",
        failed_message=_(
            "Việc kiểm tra tệp chưa xong; chưa dòng nào được ghi. Bấm “Thử lại” để kiểm tra lại."
        ),
        on_failed=imports.job_mark_failed,
    )
)
kinds.register(
    kinds.Kind(
        name=imports.RUN_JOB,
        task="danvan.movement.tasks.run_import",
        failed_message=_(
            "Không dòng nào được ghi; dữ liệu giữ nguyên như trước khi nhập. Bấm “Thử lại”"
            " để ghi lại."
        ),
        on_failed=imports.job_mark_failed,
    )
)


@shared_task(acks_late=True)
def validate_import(job_id: int) -> None:
    """Check every row of an uploaded spreadsheet (nothing is written to entries)."""
    runner.run(
        key=imports.job_key(imports.VALIDATE_JOB, job_id),
        work=lambda beat: imports.job_validate(job_id=job_id),
    )


@shared_task(acks_late=True)
def run_import(job_id: int) -> None:
    """Write a validated spreadsheet's rows, all in one transaction."""
    runner.run(
        key=imports.job_key(imports.RUN_JOB, job_id),
        work=lambda beat: imports.job_run(job_id=job_id, progress=beat.progress),
    )
