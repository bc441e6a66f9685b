"""The succession graph read backwards: which ended units live on inside a unit.

A unit that merged into another (Bắc Kạn into Thái Nguyên, 1 July 2025) keeps its
records; its successor's officers inherit the history. Used by the policy module
(who may see the history) and by restated statistics (where it is counted).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from . import tree
from .models import Unit


def _succeeded_into_q(roots: Iterable[Unit]) -> Q:
    q = Q(pk__in=[])
    for root in roots:
        low, high = tree.subtree_bounds(root.path)
        q |= Q(
            successions_out__successors__path__gte=low,
            successions_out__successors__path__lt=high,
        )
    return q


def historical_roots_into(units: Iterable[Unit]) -> list[Unit]:
    """Ended units whose successions lead (transitively) into the subtrees of *units*.

    One query per generation of mergers; usually one query that finds nothing.
    Their own subtrees (e.g. Bắc Kạn's former communes) are implied.
    """
    found: dict[int, Unit] = {}
    frontier = list(units)
    while frontier:
        batch = (
            Unit.objects.filter(_succeeded_into_q(frontier), valid_to__isnull=False)
            .exclude(pk__in=list(found) + [u.pk for u in frontier])
            .distinct()
        )
        frontier = []
        for unit in batch:
            if unit.pk not in found:
                found[unit.pk] = unit
                frontier.append(unit)
    return sorted(found.values(), key=lambda u: u.path)
