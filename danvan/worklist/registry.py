"""What needs doing (việc cần làm): the one small interface every area contributes to.

Each area registers *sources* in its ``AppConfig.ready()``; the home page asks every
registered source and never names an area. A source answers, for one actor, one unit
subtree and one day, with a bounded list of its most urgent items, its total, how many
are overdue, and how many fall under each child unit (for a leader's summary). A source
runs a fixed number of queries whatever the number of items: the home page's cost does
not grow with the backlog (bench/worklist.py measures it against hand-written SQL).

The directives and reports apps plug in the same way:

    from danvan.worklist.registry import QuerySetSource, register

    register(QuerySetSource(code="tasks.overdue", label=_("Nhiệm vụ quá hạn"), ...))

The generic ``QuerySetSource`` covers the usual shape (rows with a unit, a start day and
a deadline); a source with another shape implements ``Source.find`` itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Protocol

from django.db.models import Count, DateField, F, Min, Q, QuerySet, Value
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.functional import Promise

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.units import tree
from danvan.units.models import Unit


class Urgency(IntEnum):
    """Ordering of the list: overdue first, then what falls due soon, then the rest."""

    OVERDUE = 0
    DUE_SOON = 1
    WAITING = 2


def order_key(
    urgency: Urgency, due: dt.date | None, since: dt.date | None
) -> tuple[int, dt.date, dt.date]:
    """The list's order: overdue first, then by deadline, then by start day."""
    far = dt.date.max
    return (int(urgency), due or far, since or far)


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to do: what, where, since when, by when, and the page where it is done."""

    source: str
    what: str
    where: str
    url: str
    since: dt.date | None
    due: dt.date | None
    urgency: Urgency

    def sort_key(self) -> tuple[int, dt.date, dt.date]:
        return order_key(self.urgency, self.due, self.since)


@dataclass(frozen=True)
class Scope:
    """Whose list, over which subtree (None: the whole country), seen on which day."""

    actor: Any
    root: Unit | None
    today: dt.date
    limit: int = 20
    due_soon_days: int = 5
    # What several sources share within one list (one count query for three kinds of
    # cases, the scope filters), filled by the first that needs it.
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def soon(self) -> dt.date:
        return self.today + dt.timedelta(days=self.due_soon_days)

    def rows_q(self, perm: Perm, prefix: str) -> Q:
        """Rows whose unit (through *prefix*, e.g. ``"unit__"``) lies under the root and
        where the actor holds *perm*."""
        key = ("rows_q", perm, prefix)
        if key not in self.memo:  # asked by several sources, twice each
            if self.root is None:
                self.memo[key] = policies.scope_q(self.actor, perm, prefix)
            else:
                self.memo[key] = policies.subtree_scope_q(self.actor, perm, self.root, prefix)
        result: Q = self.memo[key]
        return result

    def child_of(self, path: str) -> str:
        """child_key for a unit path already loaded (sources that judge rows in Python)."""
        depth = len(self.root.path) if self.root is not None else 0
        return path[: depth + tree.SEGMENT]

    def child_key(self, prefix: str) -> Substr:
        """The path of the root's child a row falls under (its own unit's path when the
        row sits on the root itself: it is then grouped under the root's path)."""
        depth = len(self.root.path) if self.root is not None else 0
        return Substr(f"{prefix}path", 1, depth + tree.SEGMENT)


# scope.memo key, set by worklist_for once the sources already asked hold at least
# ``scope.limit`` distinct overdue items: the deadline of the last of the first
# ``limit`` of them. A source whose overdue rows all fall due later (or that has none)
# cannot place an item in the list, and skips listing its rows (a top-N merge: the
# counts tell each source's earliest overdue deadline before anything is listed).
LIST_FULL_AT = "list_full_at"


# A source's counts per child unit: child unit path → (rows, overdue rows, earliest
# deadline of an overdue row).
ChildCounts = dict[str, tuple[int, int, dt.date | None]]


@dataclass
class Found:
    """A source's answer: at most ``scope.limit`` items, most urgent first."""

    items: list[Item] = field(default_factory=list)
    total: int = 0
    overdue: int = 0
    by_child: dict[str, int] = field(default_factory=dict)  # child unit path → count
    late_by_child: dict[str, int] = field(default_factory=dict)  # child unit path → overdue


class Source(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def label(self) -> str | Promise: ...

    @property
    def list_url(self) -> Callable[[], str] | None:
        """The page listing everything of this kind for a unit (``?unit=`` is appended)."""

    def find(self, scope: Scope) -> Found: ...


@dataclass(frozen=True)
class QuerySetSource:
    """A source over one model: rows of ``queryset(scope)`` under the scope.

    ``unit`` is the lookup path to the row's unit (``"unit__"``); ``due`` and ``since`` are
    date (or datetime) fields. Urgency comes from the deadline: before today → overdue
    (or as ``late_q`` says), within the due-soon window → due soon; rows without a
    deadline wait — ``item`` must agree, since the list skips the rows of a source with
    nothing overdue once it is full of overdue items. Two queries: the
    counts per child unit, and (when there is anything) the first ``limit`` rows in order
    of urgency.
    """

    code: str
    label: str | Promise
    perm: Perm | None
    unit: str
    queryset: Callable[[Scope], QuerySet[Any]]
    item: Callable[[Any, Scope], Item]
    due: str | None = None
    since: str | None = None
    list_url: Callable[[], str] | None = None
    # Rows to select_related for ``item`` (keeps the list at one query).
    related: tuple[str, ...] = ()
    # The columns ``item`` reads, fetched as plain rows (``Row``): the database sorts the
    # matching rows to find the first ones, and a wide row (a case's content) makes that
    # sort much slower; no model instance is built either.
    fields: tuple[str, ...] = ()
    # A filter replacing the perm scope (e.g. rows strictly below the actor's grants).
    scope_q: Callable[[Scope], Q] | None = None
    # Extra columns for ``item`` only (aggregates here would multiply the counted rows).
    annotate: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None
    # False for a source whose overdue rows another source already counts (a case
    # without a handler is also an overdue case): the totals count each late thing once.
    counts_overdue: bool = True
    # Which rows ``item`` calls overdue, when not "deadline before today" (a vote is
    # to be closed on its closing day): the counts and the list must agree.
    late_q: Callable[[Scope], Q] | None = None

    def _rows(self, scope: Scope) -> QuerySet[Any]:
        # Built once per list: the count and the listing filter the same rows, and
        # building the filters is much of a list's Python time.
        key = ("rows", self.code)
        if key not in scope.memo:
            scope.memo[key] = self._build_rows(scope)
        rows: QuerySet[Any] = scope.memo[key]
        return rows

    def _build_rows(self, scope: Scope) -> QuerySet[Any]:
        qs = self.queryset(scope)
        if self.scope_q is not None:
            qs = qs.filter(self.scope_q(scope))
        elif self.perm is not None:
            qs = qs.filter(scope.rows_q(self.perm, self.unit))
        elif scope.root is not None:
            qs = qs.filter(policies.subtree_q(scope.root, self.unit))
        return qs

    def find(self, scope: Scope) -> Found:
        if self.perm is not None and not policies.has_perm_anywhere(scope.actor, self.perm):
            return Found()  # nothing to build a query for: the actor has no such role
        per_child: ChildCounts
        if self.code in scope.memo.get("counts", {}):
            per_child = scope.memo["counts"][self.code]  # counted with the others
        else:
            query = self.count_query(scope)
            assert query is not None  # counts and roles are settled above
            per_child = {child: (n, late or 0, first) for _s, child, n, late, first in query}
        found = Found()
        for child, (n, late, _first) in per_child.items():
            found.by_child[child] = n
            found.total += n
            if late:
                found.late_by_child[child] = late
                found.overdue += late
        if not found.total:
            return found  # nothing to list: no second query
        full_at: dt.date | None = scope.memo.get(LIST_FULL_AT)
        _late, earliest = overdue_of(per_child)
        # Rows without a deadline wait and overdue ones are counted (late_q), so this
        # source's most urgent item is, at best, overdue from `earliest`.
        if (
            full_at is not None
            and self.counts_overdue
            and (not found.overdue or (earliest is not None and earliest > full_at))
        ):
            return found
        rows = self._rows(scope)
        order: list[Any] = []
        if self.due:
            order.append(F(self.due).asc(nulls_last=True))
        if self.since:
            order.append(F(self.since).asc(nulls_last=True))
        order.append("pk")
        if self.fields:
            # Plain rows of the few columns shown: no model instances to build.
            if self.annotate is not None:
                rows = self.annotate(rows)
            first = rows.order_by(*order).values(*self.fields)[: scope.limit]
            found.items = [self.item(Row(values), scope) for values in first]
        else:
            listed = rows.select_related(*self.related)
            if self.annotate is not None:
                listed = self.annotate(listed)
            found.items = [self.item(r, scope) for r in listed.order_by(*order)[: scope.limit]]
        return found

    def count_query(self, scope: Scope) -> QuerySet[Any] | None:
        """(source, child path, count, overdue, earliest overdue deadline) rows, to be
        read with other sources' in one UNION ALL (count_all); None when the actor holds
        no role that shows this source."""
        if self.perm is not None and not policies.has_perm_anywhere(scope.actor, self.perm):
            return None
        late: Any = Value(0)
        first: Any = Value(None, output_field=DateField())
        if self.due and self.counts_overdue:
            overdue = (
                self.late_q(scope)
                if self.late_q is not None
                else Q(**{f"{self.due}__lt": scope.today})
            )
            late = Count("pk", filter=overdue)
            first = Min(self.due, filter=overdue, output_field=DateField())
        return (
            self._rows(scope)
            .order_by()
            .annotate(child=scope.child_key(self.unit))
            .values("child")
            .annotate(n=Count("pk"), late=late, first=first, source=Value(self.code))
            .values_list("source", "child", "n", "late", "first")
        )


def count_all(scope: Scope, sources: Iterable[Source]) -> None:
    """Count the QuerySetSources together: one UNION ALL of their grouped counts instead
    of a query each (a list's fixed cost is mostly its number of queries). The answers
    wait in ``scope.memo["counts"]`` for each source's ``find``."""
    queries: list[tuple[str, QuerySet[Any]]] = []
    for source in sources:
        if isinstance(source, QuerySetSource):
            query = source.count_query(scope)
            if query is not None:
                queries.append((source.code, query))
    if not queries:
        return
    memo: dict[str, ChildCounts] = {code: {} for code, _q in queries}
    head, *rest = [q for _code, q in queries]
    for source, child, n, late, first in head.union(*rest, all=True):
        memo[source][child] = (n, late or 0, first)
    scope.memo["counts"] = memo


def overdue_of(per_child: ChildCounts) -> tuple[bool, dt.date | None]:
    """Whether a source's per-child counts hold overdue rows, and the earliest deadline
    of those rows (None when none has one): what tells, before anything is listed,
    whether the source's rows could still enter a list full of overdue items."""
    late = any(n_late for _n, n_late, _first in per_child.values())
    firsts = [first for _n, _late, first in per_child.values() if first is not None]
    return late, min(firsts, default=None)


def earliest_overdue(scope: Scope, code: str) -> tuple[bool, dt.date | None] | None:
    """From count_all's answers: overdue_of the source *code*; None for a source
    count_all did not count."""
    per_child: ChildCounts | None = scope.memo.get("counts", {}).get(code)
    if per_child is None:
        return None
    return overdue_of(per_child)


class Row:
    """A row of ``values()`` read like a model instance: ``row.unit.name`` for the key
    ``unit__name``."""

    def __init__(self, values: dict[str, Any]) -> None:
        nested: dict[str, dict[str, Any]] = {}
        for key, value in values.items():
            head, sep, rest = key.partition("__")
            if sep:
                nested.setdefault(head, {})[rest] = value
            else:
                setattr(self, key, value)
        for head, inner in nested.items():
            setattr(self, head, Row(inner))

    def __getattr__(self, name: str) -> Any:  # for mypy: attributes are set dynamically
        raise AttributeError(name)


def urgency_of(due: dt.date | dt.datetime | None, scope: Scope) -> Urgency:
    if due is None:
        return Urgency.WAITING
    day = due.date() if isinstance(due, dt.datetime) else due
    if day < scope.today:
        return Urgency.OVERDUE
    if day <= scope.soon:
        return Urgency.DUE_SOON
    return Urgency.WAITING


@dataclass(frozen=True, slots=True)
class Judged:
    """A row a source judged in Python: its place in the order of urgency and the path
    of its unit."""

    urgency: Urgency
    due: dt.date | None
    since: dt.date | None
    path: str

    def sort_key(self) -> tuple[int, dt.date, dt.date]:
        return order_key(self.urgency, self.due, self.since)


def found_from(scope: Scope, rows: Iterable[tuple[Judged, Callable[[], Item]]]) -> Found:
    """The answer of a source that judges its rows in Python: (judged row, how to build
    its item) pairs, counted per child unit (overdue ones too). Only the most urgent
    ``scope.limit`` items are built: a source may judge hundreds of rows to count them
    and list twenty."""
    found = Found()
    judged = []
    for row, make in rows:
        judged.append((row, make))
        child = scope.child_of(row.path)
        found.by_child[child] = found.by_child.get(child, 0) + 1
        if row.urgency == Urgency.OVERDUE:
            found.late_by_child[child] = found.late_by_child.get(child, 0) + 1
            found.overdue += 1
    judged.sort(key=lambda pair: pair[0].sort_key())
    found.items = [make() for _row, make in judged[: scope.limit]]
    found.total = len(judged)
    return found


_UUID = uuid.UUID(int=0)
_INT = 987654321


@functools.cache
def _pattern(name: str, numeric: bool) -> str:
    return reverse(name, args=[_INT if numeric else _UUID])


def link(name: str, key: uuid.UUID | int | str) -> str:
    """The URL *name* with one argument, reversed once per process rather than per item."""
    numeric = isinstance(key, int)
    return _pattern(name, numeric).replace(str(_INT if numeric else _UUID), str(key))


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    """Add *source* to the list (once per code: re-registering replaces it)."""
    _SOURCES[source.code] = source
    return source


def sources() -> list[Source]:
    return list(_SOURCES.values())


def unregister(code: str) -> None:
    """For tests of the interface only."""
    _SOURCES.pop(code, None)


def sorted_items(found: Iterable[Found], limit: int) -> list[Item]:
    """The most urgent *limit* items; a record two sources hold (a case overdue and
    without a handler) is listed once, where it is most urgent."""
    merged = sorted((item for f in found for item in f.items), key=Item.sort_key)
    seen: set[str] = set()
    unique = []
    for item in merged:
        if item.url not in seen:
            seen.add(item.url)
            unique.append(item)
    return unique[:limit]
