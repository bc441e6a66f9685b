"""Reads of the movement, always scoped to what the actor may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import NotFound
from danvan.core.text import fold
from danvan.units import tree
from danvan.units.models import Succession, Unit

from .models import Entry


def units_restated_into(unit: Unit) -> list[Unit]:
    """Historical units whose records count under *unit* (or a unit under it) in a
    restated view: the predecessors that ended and were succeeded, transitively."""
    low, high = tree.subtree_bounds(unit.path)
    found: dict[int, Unit] = {}
    frontier = list(
        Unit.objects.filter(path__gte=low, path__lt=high, successions_in__isnull=False).distinct()
    )
    while frontier:
        current = frontier.pop()
        for succession in Succession.objects.filter(successors=current).prefetch_related(
            "predecessors"
        ):
            for pred in succession.predecessors.all():
                if pred.valid_to is not None and pred.pk not in found and pred.pk != current.pk:
                    found[pred.pk] = pred
                    frontier.append(pred)
    return sorted(found.values(), key=lambda u: u.path)


def scope_q(unit: Unit, *, restated: bool = False, prefix: str = "unit__") -> Q:
    """Rows whose unit is under *unit*; with *restated*, also under the historical
    units succeeded into it (counted both as themselves and under their successor)."""
    q = policies.subtree_q(unit, prefix=prefix)
    if restated:
        for old in units_restated_into(unit):
            q |= policies.subtree_q(old, prefix=prefix)
    return q


def entry_list(
    *,
    actor: Any,
    unit: Unit | None = None,
    restated: bool = False,
    q: str | None = None,
    kind: str | None = None,
    field: str | None = None,
    status: str | None = None,
    year: int | None = None,
    period: int | None = None,
    milestone: str | None = None,
) -> QuerySet[Entry]:
    """Entries the actor may see, filtered. *milestone* is one of registered, in_progress,
    recognized, exemplary, replicated, commended (the statistics' columns)."""
    qs = Entry.objects.filter(policies.scope_q(actor, Perm.MOVEMENT_VIEW, prefix="unit__"))
    if unit is not None:
        qs = qs.filter(scope_q(unit, restated=restated))
    if q:
        qs = qs.filter(name_folded__contains=fold(q))
    if kind:
        qs = qs.filter(kind=kind)
    if field:
        qs = qs.filter(field__code=field)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(registration_year=year)
    if period:
        qs = qs.filter(period_id=period)
    if milestone:
        qs = qs.filter(MILESTONES[milestone])
    return qs.select_related("unit", "field", "period").order_by("-registration_year", "name", "id")


# What each statistics column counts (an exemplary entry is also recognized).
MILESTONES: dict[str, Q] = {
    "registered": Q(registered_on__isnull=False),
    "in_progress": Q(status__in=["accepted", "in_progress", "submitted"]),
    "recognized": Q(recognized_on__isnull=False),
    "exemplary": Q(exemplary_on__isnull=False),
    "replicated": Q(replications__isnull=False) | Q(status="replicated"),
    "commended": Q(commended_on__isnull=False),
}


def entry_get(*, actor: Any, public_id: Any) -> Entry:
    entry = (
        Entry.objects.select_related("unit", "field", "period", "replicated_from__unit")
        .filter(public_id=public_id)
        .first()
    )
    if entry is None or not policies.has_perm(actor, Perm.MOVEMENT_VIEW, entry.unit):
        raise NotFound("Không tìm thấy mô hình.", code="entry_not_found")
    return entry


def entry_replications(entry: Entry) -> QuerySet[Entry]:
    return entry.replications.select_related("unit").order_by("registration_year", "name")


def replication_counts(entries: list[Entry]) -> dict[int, int]:
    rows = (
        Entry.objects.filter(replicated_from__in=entries)
        .values("replicated_from")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["replicated_from"]: r["n"] for r in rows}
