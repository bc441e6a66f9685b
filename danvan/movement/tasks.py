"""Background jobs of the movement: thin doors onto the import services."""

from __future__ import annotations

from celery import shared_task

from . import imports


@shared_task(acks_late=True)
def validate_import(job_id: int) -> None:
    """Check every row of an uploaded spreadsheet (nothing is written to entries)."""
    imports.job_validate(job_id=job_id)


@shared_task(acks_late=True)
def run_import(job_id: int) -> None:
    """Write a validated spreadsheet's rows, all in one transaction."""
    imports.job_run(job_id=job_id)
