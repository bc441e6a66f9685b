"""The numbers on the dashboard, scoped to what the actor may see under one unit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Sum

from danvan.accounts import policies
from danvan.units import selectors as unit_selectors
from danvan.units.models import Unit, UnitKind


@dataclass(frozen=True)
class DashboardStats:
    root: Unit | None
    counts: dict[str, int]
    households: int
    officials: int


def dashboard_stats(*, actor: Any, root: Unit | None) -> DashboardStats:
    """Counts under *root* (None: the whole country, for a national grant).

    *root* itself is not counted among the units under it. Three queries
    whatever the size of the subtree: units by kind, the sum of village
    households, and the officials.
    """
    counts = unit_selectors.unit_counts_by_kind(actor=actor, root=root)
    if root is not None and root.valid_to is None and counts.get(root.kind):
        counts[root.kind] -= 1
    villages = Unit.objects.filter(
        policies.visible_units_q(actor), kind=UnitKind.VILLAGE, valid_to__isnull=True
    )
    if root is not None:
        villages = villages.filter(policies.subtree_q(root))
    households = villages.aggregate(total=Sum("households"))["total"] or 0
    officials = unit_selectors.official_list(actor=actor, unit=root).count()
    return DashboardStats(root=root, counts=counts, households=households, officials=officials)
