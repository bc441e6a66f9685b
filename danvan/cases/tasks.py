"""Background jobs of the cases app: thin doors onto alerts.py."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from danvan.accounts.tasks import send_email

from . import alerts


@shared_task(acks_late=True)
def sweep_deadlines() -> dict[str, int]:
    """Daily (CELERY_BEAT_SCHEDULE): mark due-soon and overdue cases, then send digests."""
    result = alerts.sweep_deadlines(today=timezone.localdate())
    sent = 0
    for digest in alerts.leader_digests():
        subject, body = digest.render()
        send_email.delay(subject=subject, body=body, to=[digest.to])
        sent += 1
    return {
        "overdue": result.overdue,
        "due_soon": result.due_soon,
        "cleared": result.cleared,
        "digests": sent,
    }
