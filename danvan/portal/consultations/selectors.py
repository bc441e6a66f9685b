"""The portal's reads of consultations for other pages (a place's page): drafts opened to
citizens only, never a commenter's contact or hidden name."""

from __future__ import annotations

from django.utils import timezone

from danvan.consultation.models import Consultation
from danvan.consultation.selectors import public_consultations
from danvan.units.models import Unit


def open_consultations(unit: Unit, *, limit: int = 5) -> list[Consultation]:
    """The drafts of *unit* and the units under it taking opinions now, the ones closing
    soonest first: one query."""
    today = timezone.localdate()
    rows = public_consultations(unit=unit).filter(
        state=Consultation.State.OPEN, opens_on__lte=today, closes_on__gte=today
    )
    return list(rows.order_by("closes_on", "-id")[:limit])
