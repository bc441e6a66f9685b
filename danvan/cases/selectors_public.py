"""What the public portal may read: published schedules and dialogues, a case by its
lookup code. Nothing personal leaves through here (domain.md §5, §7)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet

from danvan.accounts.policies import subtree_q
from danvan.units.models import Unit

from .models import Commitment, Dialogue, DialogueQuestion, ReceptionSchedule


def public_schedules(*, on: dt.date, unit: Unit | None = None) -> QuerySet[ReceptionSchedule]:
    """Reception schedules in force on *on* (in *unit*'s subtree if given)."""
    qs = ReceptionSchedule.objects.filter(valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    if unit is not None:
        qs = qs.filter(subtree_q(unit, "unit__"))
    return qs.select_related("unit", "leader").order_by("unit__path", "leader__full_name")


def public_dialogues(*, unit: Unit | None = None) -> QuerySet[Dialogue]:
    """Dialogues announced to citizens, with the results of those already published.

    Questions are shown without who asked them (DialogueQuestion.asked_by stays inside).
    """
    qs = Dialogue.objects.exclude(state=Dialogue.State.PLANNED)
    if unit is not None:
        qs = qs.filter(subtree_q(unit, "unit__"))
    return qs.select_related("unit").prefetch_related(
        Prefetch(
            "questions",
            queryset=DialogueQuestion.objects.order_by("id").only(
                "id", "dialogue_id", "question", "answer", "answered_by"
            ),
        ),
        Prefetch("commitments", queryset=Commitment.objects.order_by("due_date", "id")),
    )
