"""Reads of the unit tree, always scoped to what the actor may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import NotFound
from danvan.core.text import fold

from .models import Official, SteeringCommitteeMember, Succession, Unit, UnitKind


def units_under(unit: Unit, *, include_self: bool = True) -> QuerySet[Unit]:
    """Every unit in *unit*'s subtree: one index range scan on the path."""
    qs = Unit.objects.filter(policies.subtree_q(unit))
    return qs if include_self else qs.exclude(pk=unit.pk)


def rows_under(queryset: QuerySet[Any], unit: Unit, *, field: str = "unit") -> QuerySet[Any]:
    """Narrow *queryset* to rows whose *field* (a FK to Unit) lies under *unit*."""
    return queryset.filter(policies.subtree_q(unit, prefix=f"{field}__"))


def unit_list(
    *,
    actor: Any,
    kind: str | None = None,
    parent: Unit | None = None,
    code: str | None = None,
    q: str | None = None,
    include_historical: bool = False,
    on_date: dt.date | None = None,
) -> QuerySet[Unit]:
    qs = Unit.objects.filter(policies.visible_units_q(actor))
    if not include_historical:
        qs = qs.filter(valid_to__isnull=True)
    if on_date is not None:
        qs = qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on_date)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on_date)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if parent is not None:
        qs = qs.filter(parent=parent)
    if code:
        qs = qs.filter(code=code)
    if q:
        qs = qs.filter(unit_search_q(q))
    return qs.select_related("parent").order_by("path")


def unit_search_q(q: str) -> Q:
    """Units named like *q* without diacritics ("phan dinh phung"), or coded *q*.

    The one unit search: the tree page, the API and the unit picker (units.picker) use it.
    """
    return Q(name_folded__contains=fold(q)) | Q(code=q.strip())


def unit_get(*, actor: Any, code: str) -> Unit:
    """The unit with *code*, if the actor may see it; NotFound otherwise (alike)."""
    unit = Unit.objects.select_related("parent").filter(code=code).first()
    if unit is None or not policies.has_perm(actor, Perm.UNIT_VIEW, unit):
        raise NotFound("Không tìm thấy đơn vị.", code="unit_not_found")
    return unit


def unit_children(*, actor: Any, unit: Unit, include_historical: bool = False) -> QuerySet[Unit]:
    qs = Unit.objects.filter(parent=unit).filter(policies.visible_units_q(actor))
    if not include_historical:
        qs = qs.filter(valid_to__isnull=True)
    # Folded names sort as Vietnamese readers expect ("Đức" among the "D"s, not
    # after "Z" as the bytes of "Đ" would put it).
    return qs.annotate(children_count=Count("children")).order_by("kind", "name_folded", "name")


def unit_ancestors(unit: Unit) -> list[Unit]:
    ids = unit.ancestor_ids
    by_id = Unit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def unit_successions(unit: Unit) -> QuerySet[Succession]:
    return (
        Succession.objects.filter(Q(predecessors=unit) | Q(successors=unit))
        .distinct()
        .prefetch_related("predecessors", "successors")
    )


def unit_successors(unit: Unit) -> list[Unit]:
    """The units that took over *unit* (empty while it is current)."""
    return list(
        Unit.objects.filter(successions_in__predecessors=unit).exclude(pk=unit.pk).distinct()
    )


def restated_units(unit: Unit) -> list[Unit]:
    """The current units that *unit*'s records count under in a restated view.

    Follows successions forward until current units are reached (a split yields
    several). A current unit restates as itself. Historical data is never
    rewritten: this only answers where to count it.
    """
    frontier, seen, result = [unit], {unit.pk}, []
    while frontier:
        current = frontier.pop()
        nexts = [u for u in unit_successors(current) if u.pk not in seen]
        if current.valid_to is None or not nexts:
            result.append(current)
            continue
        for nxt in nexts:
            seen.add(nxt.pk)
            frontier.append(nxt)
    return sorted(result, key=lambda u: u.path)


def unit_counts_by_kind(*, actor: Any, root: Unit | None = None) -> dict[str, int]:
    qs = Unit.objects.filter(policies.visible_units_q(actor), valid_to__isnull=True)
    if root is not None:
        qs = qs.filter(policies.subtree_q(root))
    rows = qs.values("kind").annotate(n=Count("id")).order_by()
    counts = dict.fromkeys(UnitKind.values, 0)
    counts.update({r["kind"]: r["n"] for r in rows})
    return counts


def official_list(
    *, actor: Any, unit: Unit | None = None, q: str | None = None
) -> QuerySet[Official]:
    qs = Official.objects.filter(policies.scope_q(actor, Perm.OFFICIAL_VIEW, prefix="unit__"))
    if unit is not None:
        qs = rows_under(qs, unit)
    if q:
        qs = qs.filter(Q(full_name__icontains=q) | Q(position__icontains=q))
    return qs.select_related("unit")


def steering_members(*, actor: Any, level: Unit) -> QuerySet[SteeringCommitteeMember]:
    policies.require(actor, Perm.OFFICIAL_VIEW, level)
    return SteeringCommitteeMember.objects.filter(
        level=level, end_date__isnull=True
    ).select_related("official", "official__unit")


def unit_roots(*, actor: Any, include_historical: bool = False) -> QuerySet[Unit]:
    """The top of the tree the actor sees: all provinces nationally, else their grants' roots.

    Seeing a unit includes its ancestors, so for a commune officer this is the
    province above the commune; expanding it shows only what they may see.
    """
    qs = Unit.objects.filter(parent__isnull=True).filter(policies.visible_units_q(actor))
    if not include_historical:
        qs = qs.filter(valid_to__isnull=True)
    return qs.annotate(children_count=Count("children")).order_by("code")


def units_by_codes(*, actor: Any, codes: list[str]) -> list[Unit]:
    """The units with *codes*, in the order given; NotFound names every code not seen."""
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    found = {
        u.code: u
        for u in Unit.objects.filter(code__in=wanted).select_related("parent")
        if policies.has_perm(actor, Perm.UNIT_VIEW, u)
    }
    missing = [c for c in wanted if c not in found]
    if missing:
        raise NotFound(f"Không tìm thấy đơn vị mã {', '.join(missing)}.", code="unit_not_found")
    return [found[c] for c in wanted]


def official_get(*, actor: Any, pk: int) -> Official:
    """The official *pk* if the actor may see the directory of their unit; NotFound otherwise."""
    official = Official.objects.select_related("unit").filter(pk=pk).first()
    if official is None or not policies.has_perm(actor, Perm.OFFICIAL_VIEW, official.unit):
        raise NotFound("Không tìm thấy cán bộ.", code="official_not_found")
    return official


def steering_member_get(*, actor: Any, pk: int) -> SteeringCommitteeMember:
    member = (
        SteeringCommitteeMember.objects.select_related("level", "official", "official__unit")
        .filter(pk=pk)
        .first()
    )
    if member is None or not policies.has_perm(actor, Perm.OFFICIAL_VIEW, member.level):
        raise NotFound("Không tìm thấy thành viên Ban Chỉ đạo.", code="steering_not_found")
    return member
