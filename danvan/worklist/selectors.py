"""Reads of the worklist app: the list of what needs doing, and a user's notices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from danvan.core.errors import NotFound
from danvan.units.models import Unit

from .models import Notice
from .registry import (
    LIST_FULL_AT,
    Found,
    Item,
    Scope,
    Source,
    Urgency,
    count_all,
    earliest_overdue,
    sorted_items,
    sources,
)


@dataclass(frozen=True)
class SourceSummary:
    source: Source
    total: int
    overdue: int
    base: str  # the source's list page, without a unit ("" when it has none)
    url: str  # that page for the list's unit


@dataclass(frozen=True)
class ChildRow:
    unit: Unit
    # (count, link) for each source with something to do, in the order of
    # Worklist.active: the link opens the source's list for this unit.
    cells: list[tuple[int, str]]
    total: int
    overdue: int


@dataclass
class Worklist:
    scope: Scope
    items: list[Item]
    summaries: list[SourceSummary]
    children: list[ChildRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.summaries)

    @property
    def active(self) -> list[SourceSummary]:
        """The sources with something to do (the columns of the leader's summary)."""
        return [s for s in self.summaries if s.total]

    @property
    def overdue(self) -> int:
        return sum(s.overdue for s in self.summaries)


def worklist_for(
    *,
    actor: Any,
    root: Unit | None,
    today: dt.date,
    limit: int = 30,
    with_children: bool = False,
) -> Worklist:
    """Everything registered sources hold for *actor* under *root* on *today*: the
    *limit* most urgent items (overdue first), a line per source with its total, and —
    for a leader (*with_children*) — the counts under each child unit of *root*.

    A fixed number of queries: one UNION ALL counting every QuerySetSource, one listing
    each of them that has anything, the other sources' own, and one for the child units'
    names.
    """
    scope = Scope(
        actor=actor,
        root=root,
        today=today,
        limit=limit,
        due_soon_days=getattr(settings, "CASES_DUE_SOON_DAYS", 5),
    )
    registered = sources()
    count_all(scope, registered)
    answers: list[tuple[Source, Found]] = [
        (s, f) for s, f in zip(registered, _ask(scope, registered), strict=True)
    ]
    unit_param = f"?{urlencode({'unit': root.code})}" if root is not None else ""
    summaries = []
    for s, f in answers:
        base = s.list_url() if s.list_url is not None else ""
        url = base + unit_param if base else ""
        summaries.append(
            SourceSummary(source=s, total=f.total, overdue=f.overdue, base=base, url=url)
        )
    worklist = Worklist(
        scope=scope,
        items=sorted_items((f for _s, f in answers), limit),
        summaries=summaries,
    )
    if with_children:
        active = [(summary, f) for summary, (_s, f) in zip(summaries, answers, strict=True)]
        worklist.children = _children(scope, [(s, f) for s, f in active if f.total])
    return worklist


def _ask(scope: Scope, registered: list[Source]) -> list[Found]:
    """Each source's answer, in the order of *registered*.

    The sources that count and list in one go are asked first, then the counted ones by
    their earliest overdue deadline: once the answers hold ``scope.limit`` distinct
    overdue items, the deadline of the last of them tells the remaining sources whether
    any of their rows could still enter the list (registry.LIST_FULL_AT); most need not
    list anything. The list is the same as if every source had listed its first rows.
    """

    def order(source: Source) -> tuple[int, dt.date]:
        counted = earliest_overdue(scope, source.code)
        if counted is None:
            return (0, dt.date.min)
        late, first = counted
        return (1 if late else 2, first or dt.date.max)

    answers: dict[str, Found] = {}
    overdue: list[Item] = []
    for source in sorted(registered, key=order):
        found = source.find(scope)
        answers[source.code] = found
        fresh = [i for i in found.items if i.urgency == Urgency.OVERDUE]
        if fresh:
            overdue = sorted_items([Found(items=overdue + fresh)], scope.limit)
            if len(overdue) >= scope.limit:
                scope.memo[LIST_FULL_AT] = overdue[-1].due or dt.date.max
    return [answers[s.code] for s in registered]


def _children(scope: Scope, active: list[tuple[SourceSummary, Found]]) -> list[ChildRow]:
    """A row per child unit of the root that has something to do, most overdue first.
    Rows of a user's own duties elsewhere (a round at another level) are left out."""
    prefix = scope.root.path if scope.root is not None else ""
    paths = {p for _s, f in active for p in f.by_child if p.startswith(prefix)}
    if not paths:
        return []
    units = {
        u.path: u for u in Unit.objects.filter(path__in=sorted(paths)).only("code", "name", "path")
    }
    rows = []
    for path, unit in units.items():
        param = "?" + urlencode({"unit": unit.code})
        cells = [
            (f.by_child.get(path, 0), summary.base + param if summary.base else "")
            for summary, f in active
        ]
        late = sum(f.late_by_child.get(path, 0) for _s, f in active)
        total = sum(n for n, _url in cells)
        rows.append(ChildRow(unit=unit, cells=cells, total=total, overdue=late))
    rows.sort(key=lambda r: (-r.overdue, -r.total, r.unit.name))
    return rows


def unread_count(user: Any) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


def notices_of(user: Any) -> QuerySet[Notice]:
    return Notice.objects.filter(user=user).select_related("unit").order_by("-created_at", "-id")


def notice_get(*, user: Any, pk: int) -> Notice:
    """A notice of *user* (another user's answers like a missing one)."""
    notice = Notice.objects.filter(user=user, pk=pk).first()
    if notice is None:
        raise NotFound(_("Không tìm thấy thông báo."))
    return notice
