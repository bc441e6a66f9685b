"""Statistics of the "Dân vận khéo" movement (issue 3, item 7; domain.md §4).

For a unit's subtree, or the whole country, and for a year or a movement period:
how many entries were registered, are in progress, were recognized, chosen exemplary,
replicated and commended. What each column counts is ``movement.selectors.MILESTONES`` — the
one definition the list uses too. The numbers are broken down by field, by direct
sub-unit, by kind of unit and by year, each with the change on the previous year (or
on the previous period).

Registered-year semantics: an entry counts in the year it was registered for
(``registration_year``), or in the period it belongs to, whatever year it reached a
milestone. Every number carries the filters of ``movement.selectors.entry_list`` that select
exactly the rows behind it (``Row.filters``), so the page can link each number to its
list, and tests can count that list.

Every breakdown is ONE grouped query with conditional counts (``COUNT(*) FILTER
(WHERE …)`` on PostgreSQL, a ``CASE`` inside the count on SQLite): the number of
queries does not depend on the number of entries. The sub-unit breakdown groups on the
path segment just below the chosen unit (see ``units.tree``), so each child counts its
whole subtree in that single query.

Historical units (domain.md §2): without *restated*, an entry of Bắc Kạn counts only
under Bắc Kạn. With it, a unit's figures also count the historical units merged into
it (``movement.selectors.scope_q``), and the sub-unit rows place them under the unit that took
them over.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Case, CharField, Count, Max, Q, QuerySet, Value, When
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import NotFound, PermissionDenied
from danvan.units import selectors as unit_selectors
from danvan.units import tree
from danvan.units.models import Succession, Unit

from .. import selectors as entry_selectors
from ..models import Entry, Field, Period
from ..selectors import MILESTONES, UNIT_KIND_GROUPS

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import StrOrPromise

# The columns, in the order the page, the export and the API show them.
MILESTONE_KEYS: tuple[str, ...] = tuple(MILESTONES)

MILESTONE_LABELS: dict[str, StrOrPromise] = {
    "registered": gettext_lazy("Đăng ký"),
    "in_progress": gettext_lazy("Đang thực hiện"),
    "recognized": gettext_lazy("Được công nhận"),
    "exemplary": gettext_lazy("Điển hình tiêu biểu"),
    "replicated": gettext_lazy("Được nhân rộng"),
    "commended": gettext_lazy("Được khen thưởng"),
}

UNIT_KIND_LABELS: dict[str, StrOrPromise] = {
    "party": gettext_lazy("Cấp ủy, tổ chức Đảng"),
    "government": gettext_lazy("Chính quyền, cơ quan, đơn vị sự nghiệp"),
    "front": gettext_lazy("Mặt trận Tổ quốc và các đoàn thể"),
    "armed_forces": gettext_lazy("Lực lượng vũ trang"),
    "enterprise": gettext_lazy("Doanh nghiệp"),
}
_GROUP_OF_KIND = {kind: group for group, kinds in UNIT_KIND_GROUPS.items() for kind in kinds}

Counts = dict[str, int]


def _zero() -> Counts:
    return dict.fromkeys(MILESTONE_KEYS, 0)


# -- what is counted -------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """A year or a period, and the year or period before it (for the change)."""

    year: int | None = None
    period: Period | None = None
    previous_period: Period | None = None

    @property
    def label(self) -> str:
        if self.period is not None:
            return _("Giai đoạn %(name)s") % {"name": self.period.name}
        return _("Năm %(year)s") % {"year": self.year}

    @property
    def previous_label(self) -> str:
        if self.period is not None:
            if self.previous_period is None:
                return ""
            return _("Giai đoạn %(name)s") % {"name": self.previous_period.name}
        return _("Năm %(year)s") % {"year": (self.year or 0) - 1}

    @property
    def has_previous(self) -> bool:
        return self.period is None or self.previous_period is not None

    @property
    def bucket(self) -> str:
        """The column whose value tells the current rows from the previous ones."""
        return "period_id" if self.period is not None else "registration_year"

    @property
    def current_key(self) -> int:
        return self.period.pk if self.period is not None else int(self.year or 0)

    @property
    def previous_key(self) -> int | None:
        if self.period is not None:
            return self.previous_period.pk if self.previous_period is not None else None
        return int(self.year or 0) - 1

    def q(self) -> Q:
        """Rows of the selection and of the one before it (the same filter as the list's)."""
        keys = [k for k in (self.current_key, self.previous_key) if k is not None]
        return Q(**{f"{self.bucket}__in": keys})

    def filters(self) -> dict[str, Any]:
        """The list's filters for the selection."""
        if self.period is not None:
            return {"period": self.period.pk}
        return {"year": self.year}


def window_for(*, year: int | None = None, period: Period | None = None) -> Window:
    if period is not None:
        previous = (
            Period.objects.filter(end_year__lt=period.start_year).order_by("-end_year").first()
        )
        return Window(period=period, previous_period=previous)
    if year is None:
        raise ValueError("a year or a period is needed")
    return Window(year=year)


# -- results ---------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    absolute: int
    percent: float | None  # None when the previous value is 0 (no meaningful ratio)


def change_of(current: int, previous: int) -> Change:
    percent = round((current - previous) * 100 / previous, 1) if previous else None
    return Change(absolute=current - previous, percent=percent)


@dataclass
class Row:
    """One line of a breakdown: its counts now and before, and the list filters behind it."""

    key: str
    label: str
    counts: Counts
    previous: Counts | None
    # Keyword arguments of selectors.entry_list (without actor and milestone) selecting
    # exactly the entries this row counts.
    filters: dict[str, Any]
    unit: Unit | None = None
    note: str = ""

    def change(self, milestone: str) -> Change | None:
        if self.previous is None:
            return None
        return change_of(self.counts[milestone], self.previous[milestone])

    @property
    def changes(self) -> dict[str, Change | None]:
        return {key: self.change(key) for key in MILESTONE_KEYS}

    @property
    def is_empty(self) -> bool:
        return not any(self.counts.values()) and not any((self.previous or {}).values())


@dataclass
class Statistics:
    unit: Unit | None  # None: the whole country
    restated: bool
    window: Window
    totals: Row
    by_field: list[Row]
    by_subunit: list[Row]
    by_unit_kind: list[Row]
    by_year: list[Row]
    # Historical units counted in (restated views only).
    restated_from: list[Unit] = field(default_factory=list)

    @property
    def scope_label(self) -> str:
        return self.unit.name if self.unit is not None else _("Toàn quốc")


def list_query(filters: dict[str, Any], milestone: str | None = None) -> dict[str, str]:
    """The list page's query parameters for *filters* (a Row's) and *milestone*."""
    params: dict[str, str] = {}
    unit = filters.get("unit")
    if unit is not None:
        params["unit"] = unit.code
    if filters.get("direct"):
        params["direct"] = "1"
    elif filters.get("restated") and unit is not None:
        params["restated"] = "1"
    for name in ("year", "period", "field", "unit_kind"):
        if filters.get(name) not in (None, ""):
            params[name] = str(filters[name])
    if milestone:
        params["milestone"] = milestone
    return params


# -- access ----------------------------------------------------------------------


def stats_unit(*, actor: Any, code: str | None) -> Unit | None:
    """The unit whose statistics *actor* asks for (None: the whole country).

    A code the actor may not see answers like a missing one (NotFound); a unit seen
    only as an ancestor of the actor's own (a commune officer's province) is refused
    (PermissionDenied). Without a code: the whole country for a national grant, else
    the highest unit where the actor may view the movement.
    """
    if code:
        unit = unit_selectors.unit_get(actor=actor, code=code.strip())
        policies.require(actor, Perm.MOVEMENT_VIEW, unit)
        return unit
    if policies.has_perm(actor, Perm.MOVEMENT_VIEW, None):
        return None
    granted = [
        g.unit
        for g in policies.grants_of(actor)
        if g.unit is not None and Perm.MOVEMENT_VIEW in policies.ROLE_PERMS[g.role]
    ]
    if not granted:
        raise PermissionDenied()
    return min(granted, key=lambda u: (u.depth, u.path))


def _require(actor: Any, unit: Unit | None) -> None:
    if unit is None:
        if not policies.has_perm(actor, Perm.MOVEMENT_VIEW, None):
            raise PermissionDenied()
        return
    policies.require(actor, Perm.MOVEMENT_VIEW, unit)


def _base(actor: Any, unit: Unit | None, restated: bool) -> QuerySet[Entry]:
    # The list's own selector, so a number and the list behind it cannot disagree.
    return entry_selectors.entry_list(actor=actor, unit=unit, restated=restated).order_by()


def latest_year(*, actor: Any, unit: Unit | None, restated: bool = False) -> int:
    """The most recent registration year with entries in scope (this year when none)."""
    _require(actor, unit)
    this_year = timezone.localdate().year
    found = (
        _base(actor, unit, restated)
        .filter(registration_year__lte=this_year)
        .aggregate(y=Max("registration_year"))["y"]
    )
    return int(found) if found else this_year


# -- the grouped queries ----------------------------------------------------------


def _annotations() -> dict[str, Count]:
    return {key: Count("pk", filter=q) for key, q in MILESTONES.items()}


def _grouped(qs: QuerySet[Any], *group_by: str) -> list[dict[str, Any]]:
    """One GROUP BY *group_by* with a conditional count per milestone."""
    return list(qs.values(*group_by).annotate(**_annotations()).order_by())


def _split(
    rows: Iterable[dict[str, Any]], key: str, window: Window
) -> tuple[dict[Any, Counts], dict[Any, Counts]]:
    """Sum grouped rows per *key* into (current, previous) by the window's bucket column."""
    current: dict[Any, Counts] = defaultdict(_zero)
    previous: dict[Any, Counts] = defaultdict(_zero)
    for row in rows:
        target = current if row[window.bucket] == window.current_key else previous
        counts = target[row[key]]
        for m in MILESTONE_KEYS:
            counts[m] += row[m]
    return current, previous


def _prev(window: Window, previous: dict[Any, Counts], key: Any) -> Counts | None:
    return previous.get(key, _zero()) if window.has_previous else None


def by_field(
    base: QuerySet[Entry], window: Window, filters: dict[str, Any]
) -> tuple[Row, list[Row]]:
    """The totals and the rows per field: one grouped query."""
    current, previous = _split(
        _grouped(base.filter(window.q()), "field_id", window.bucket), "field_id", window
    )
    rows = []
    for f in Field.objects.all():
        if not f.is_active and f.pk not in current and f.pk not in previous:
            continue
        rows.append(
            Row(
                key=f.code,
                label=f.name,
                counts=current.get(f.pk, _zero()),
                previous=_prev(window, previous, f.pk),
                filters={**filters, "field": f.code},
            )
        )
    totals = Row(
        key="total",
        label=_("Tổng số"),
        counts={m: sum(c[m] for c in current.values()) for m in MILESTONE_KEYS},
        previous=(
            {m: sum(c[m] for c in previous.values()) for m in MILESTONE_KEYS}
            if window.has_previous
            else None
        ),
        filters=dict(filters),
    )
    return totals, rows


def by_unit_kind(base: QuerySet[Entry], window: Window, filters: dict[str, Any]) -> list[Row]:
    """Rows per kind of unit (Party, government, Front …): one grouped query."""
    grouped = _grouped(base.filter(window.q()), "unit__kind", window.bucket)
    for row in grouped:
        row["group"] = _GROUP_OF_KIND.get(row["unit__kind"], "government")
    current, previous = _split(grouped, "group", window)
    return [
        Row(
            key=group,
            label=str(UNIT_KIND_LABELS[group]),
            counts=current.get(group, _zero()),
            previous=_prev(window, previous, group),
            filters={**filters, "unit_kind": group},
        )
        for group in UNIT_KIND_GROUPS
    ]


def by_year(base: QuerySet[Entry], filters: dict[str, Any]) -> list[Row]:
    """The whole series, one row per registration year (gaps filled), each with the
    change on the year before: one grouped query."""
    per_year: dict[int, Counts] = {}
    for row in _grouped(base, "registration_year"):
        per_year[row["registration_year"]] = {m: row[m] for m in MILESTONE_KEYS}
    if not per_year:
        return []
    first, last = min(per_year), max(per_year)
    rows = []
    for year in range(first, last + 1):
        rows.append(
            Row(
                key=str(year),
                label=str(year),
                counts=per_year.get(year, _zero()),
                previous=per_year.get(year - 1, _zero()) if year > first else None,
                filters={
                    **{k: v for k, v in filters.items() if k not in ("year", "period")},
                    "year": year,
                },
            )
        )
    return rows


# Sub-units ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    """Where a historical unit's entries land in a restated sub-unit breakdown."""

    low: str
    high: str
    key: str  # the path the rows of that range are grouped under
    unit: Unit | None = None  # set when the key is the historical unit's own row


def _successions_forward() -> tuple[dict[int, set[int]], dict[int, Unit]]:
    """Each historical unit's direct successors, and the units involved (3 queries)."""
    preds = Succession.predecessors.through.objects.values_list("succession_id", "unit_id")
    succs = Succession.successors.through.objects.values_list("succession_id", "unit_id")
    after: dict[int, set[int]] = defaultdict(set)
    for succession_id, unit_id in succs:
        after[succession_id].add(unit_id)
    pairs = [(u, after[s]) for s, u in preds]
    ids = {u for u, _ in pairs} | {v for _, vs in pairs for v in vs}
    units = Unit.objects.in_bulk(ids)
    graph: dict[int, set[int]] = defaultdict(set)
    for unit_id, successors in pairs:
        if unit_id in units and units[unit_id].valid_to is not None:
            graph[unit_id] |= {v for v in successors if v != unit_id and v in units}
    return graph, units


def _current_targets(
    start: int, graph: dict[int, set[int]], units: dict[int, Unit]
) -> list[tuple[Unit, Unit]]:
    """(current unit, the historical unit just before it) reached from *start*."""
    found, seen, frontier = [], {start}, [start]
    while frontier:
        current = frontier.pop()
        for nxt in sorted(graph.get(current, ())):
            if nxt in seen:
                continue
            seen.add(nxt)
            if units[nxt].valid_to is None:
                found.append((units[nxt], units[current]))
            else:
                frontier.append(nxt)
    return sorted(found, key=lambda pair: pair[0].path)


def _restated_targets(root: Unit | None, historical: list[Unit] | None) -> list[_Target]:
    """For a restated view of *root*: each historical unit counted in, and its row.

    *historical* is entry_selectors.units_restated_into(root) (None for the country: every
    historical unit that was succeeded).
    """
    graph, units = _successions_forward()
    if historical is None:
        historical = [units[pk] for pk in graph]
    width = (len(root.path) if root is not None else 0) + tree.SEGMENT
    targets = []
    for old in historical:
        low, high = tree.subtree_bounds(old.path)
        landed = [
            (now, before)
            for now, before in _current_targets(old.pk, graph, units)
            if root is None or now.path.startswith(root.path)
        ]
        if not landed:
            continue  # succeeded outside the root: it counts where it stands
        # A split counts a unit under several successors; its rows go to the first.
        now, before = landed[0]
        if root is not None and now.pk == root.pk:
            # Merged into the root itself: a row of its own, under its last name.
            targets.append(_Target(low, high, before.path, before))
        else:
            targets.append(_Target(low, high, now.path[:width]))
    # The deepest ranges first, so a nested historical unit keeps its own target.
    return sorted(targets, key=lambda t: -len(t.low))


def by_subunit(
    base: QuerySet[Entry],
    window: Window,
    filters: dict[str, Any],
    root: Unit | None,
    restated: bool,
    historical: list[Unit] | None = None,
) -> list[Row]:
    """A row per direct sub-unit (counting its whole subtree), for the root's own
    entries, and (restated) for historical units merged into the root: one grouped
    query on the path segment below the root."""
    width = (len(root.path) if root is not None else 0) + tree.SEGMENT
    targets = _restated_targets(root, historical) if restated else []
    key_expr: Any = Substr("unit__path", 1, width)
    if targets:
        key_expr = Case(
            *[
                When(unit__path__gte=t.low, unit__path__lt=t.high, then=Value(t.key))
                for t in targets
            ],
            default=key_expr,
            output_field=CharField(),
        )
    grouped = _grouped(base.filter(window.q()).annotate(sub_key=key_expr), "sub_key", window.bucket)
    current, previous = _split(grouped, "sub_key", window)

    children = (
        Unit.objects.filter(parent=root)
        if root is not None
        else Unit.objects.filter(parent__isnull=True)
    )
    by_path: dict[str, Unit] = {u.path: u for u in children}
    own_rows = {t.key: t.unit for t in targets if t.unit is not None}
    rows = []
    keys = set(current) | set(previous) | {p for p, u in by_path.items() if u.valid_to is None}
    for key in keys:
        unit = by_path.get(key)
        note = ""
        if root is not None and key == root.path:
            unit = root
            label = _("%(name)s (mô hình của chính đơn vị)") % {"name": root.name}
            row_filters = {**filters, "unit": root, "direct": True, "restated": False}
        elif key in own_rows:
            unit = own_rows[key]
            assert unit is not None
            label = unit.name
            note = _("đã sáp nhập")
            row_filters = {**filters, "unit": unit, "restated": True}
        elif unit is not None:
            label = unit.name
            note = _("đã hết hiệu lực") if unit.is_historical else ""
            row_filters = {**filters, "unit": unit}
        else:  # a path with no unit: cannot happen while paths are consistent
            continue
        rows.append(
            Row(
                key=unit.code,
                label=label,
                counts=current.get(key, _zero()),
                previous=_prev(window, previous, key),
                filters=row_filters,
                unit=unit,
                note=note,
            )
        )
    rows.sort(
        key=lambda r: (
            -r.counts["registered"],
            -sum(r.counts.values()),
            r.unit.path if r.unit else "",
        )
    )
    return rows


# -- the statistics ------------------------------------------------------------


def movement_statistics(
    *,
    actor: Any,
    unit: Unit | None,
    year: int | None = None,
    period: Period | None = None,
    restated: bool = False,
) -> Statistics:
    """Every breakdown for *unit* (None: the country) and a year or a period.

    A constant number of queries: four grouped aggregates (field, kind of unit,
    sub-unit, year) and a few small look-ups (fields, children, successions).
    """
    _require(actor, unit)
    if year is None and period is None:
        raise NotFound(_("Chọn năm hoặc giai đoạn."), code="stats_no_window")
    window = window_for(year=year, period=period)
    base = _base(actor, unit, restated)
    filters: dict[str, Any] = {"unit": unit, "restated": restated, **window.filters()}
    historical = (
        entry_selectors.units_restated_into(unit) if restated and unit is not None else None
    )
    totals, field_rows = by_field(base, window, filters)
    return Statistics(
        unit=unit,
        restated=restated,
        window=window,
        totals=totals,
        by_field=field_rows,
        by_subunit=by_subunit(base, window, filters, unit, restated, historical),
        by_unit_kind=by_unit_kind(base, window, filters),
        by_year=by_year(base, filters),
        restated_from=historical or [],
    )
