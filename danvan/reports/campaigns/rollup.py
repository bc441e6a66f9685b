"""Roll-up: a parent's report adds up its children's approved reports (issue 13, item 3).

The children of a report are the campaign's reports whose nearest ancestor reporting in
the same campaign is the report's unit (the reviewer of `selectors.reviewer_unit`): a
province's communes, or an agency's units when the agency reports too. Only APPROVED
children count (a figure is added once the level above has accepted it); the others are
listed as missing, so that the reader sees what the total leaves out.

Each indicator adds up by its rule (reports.models.Aggregation):
- SUM: the sum of the children's figures (the override where a child corrected the
  snapshot, else the snapshot, else the typed figure: `ReportValue.value`);
- COUNT_DISTINCT: the number of children that report the figure as more than zero (how
  many communes have, say, an exemplary model: a sum of counts would count a commune more
  than once);
- RECOMPUTE: the parent's own snapshot, counted by the indicator's query over the parent's
  whole subtree (the parent's own figure: a rate cannot be added up);
- NONE: not added up; the parent states its own figure.

A table indicator adds up row by row by the same rules (the rows of the children's
tables matched by their key: a field's code, a manual table's line): the sum of each
row, the children above zero in each row, the parent's own rows (recomputed over its
subtree by the table query at its snapshot), or nothing.

Speed (bench/report_rollup.py): the campaign's reports are read once and their parents
found in Python along the units' materialized paths; then ONE grouped query per depth at
which parents sit sums every child's figures by the parent's path prefix and indicator,
as the hand-written SQL does (and one more for the tables' rows, when the template has
tables).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection

from danvan.reports.models import Aggregation, Indicator, IndicatorKind, ValidationRule
from danvan.units import tree
from danvan.units.models import Unit

from .models import APPROVED_STATUSES, VALUE_PLACES, Campaign, Report, ReportCell, ReportValue


@dataclass
class Rollup:
    """What a parent report's children add up to."""

    parent_id: int
    totals: dict[int, Decimal | None] = field(default_factory=dict)  # by indicator id
    # The children's figures added up, whatever the rule: beside a recomputed total, a
    # different sum says that a child's figure disagrees with what danvan counts.
    sums: dict[int, Decimal] = field(default_factory=dict)
    children: list[int] = field(default_factory=list)  # every child report's id
    approved: list[int] = field(default_factory=list)  # those counted
    # The tables, row by row (by indicator id, then row key): the totals by rule, the
    # children's sums, and each row's (order, label) as the reports wrote them.
    cell_totals: dict[int, dict[str, Decimal | None]] = field(default_factory=dict)
    cell_sums: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    row_labels: dict[int, dict[str, tuple[int, str]]] = field(default_factory=dict)

    @property
    def missing(self) -> list[int]:
        counted = set(self.approved)
        return [c for c in self.children if c not in counted]

    def disagrees(self, indicator_id: int) -> bool:
        """The children's sum differs from a total the parent counted itself."""
        total, added = self.totals.get(indicator_id), self.sums.get(indicator_id)
        return total is not None and added is not None and total != added

    def cell_disagrees(self, indicator_id: int, key: str) -> bool:
        """A table row's children's sum differs from the row the parent counted itself."""
        total = self.cell_totals.get(indicator_id, {}).get(key)
        added = self.cell_sums.get(indicator_id, {}).get(key)
        return total is not None and added is not None and total != added

    def table_rows(self, indicator_id: int) -> list[tuple[str, str]]:
        """A table's rows (key, label) in order: the parent's own and its children's."""
        rows = self.row_labels.get(indicator_id, {})
        return [
            (k, label) for k, (_o, label) in sorted(rows.items(), key=lambda r: (r[1][0], r[0]))
        ]

    def table_total(self, indicator_id: int) -> Decimal | None:
        """A table's total: its rows' totals added (None when no row has one)."""
        rows = [t for t in self.cell_totals.get(indicator_id, {}).values() if t is not None]
        return sum(rows, Decimal(0)) if rows else None


def parents_of(reports: list[tuple[int, str]]) -> dict[int, int | None]:
    """For each (report id, unit path), the id of the report of its nearest ancestor
    unit among *reports* (None for the top ones)."""
    by_path = {path: rid for rid, path in reports}
    parents: dict[int, int | None] = {}
    for rid, path in reports:
        parent = None
        for end in range(len(path) - tree.SEGMENT, 0, -tree.SEGMENT):
            parent = by_path.get(path[:end])
            if parent is not None:
                break
        parents[rid] = parent
    return parents


_PLACES = Decimal(10) ** -VALUE_PLACES


def _decimal(value: Any) -> Decimal | None:
    """A sum as the database returns it (PostgreSQL a Decimal, SQLite an integer, or a
    float where some figure has decimals) as the figures' Decimal."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(value)).quantize(_PLACES)


def _grouped(
    campaign: Campaign,
    length: int,
    *,
    depth: int | None = None,
    ids: list[int] | None = None,
    within: tuple[str, str] | None = None,
    distinct: bool = False,
    cells: bool = False,
) -> list[tuple[Any, ...]]:
    """(parent path, indicator id, sum, how many are above zero) of the approved figures
    of the campaign's reports at *depth* (or of the reports *ids*), by the path prefix of
    *length* and indicator: the one query of a roll-up, in SQL written out (the ORM wraps
    each decimal in a CAST on SQLite, a quarter more time for the same sums).

    With *cells*, the tables' rows instead, by row key too: (parent path, indicator id,
    row key, sum, above zero, the row's first order, its first label)."""
    qn = connection.ops.quote_name
    figures = ReportCell if cells else ReportValue
    value_t, report_t, unit_t = (qn(m._meta.db_table) for m in (figures, Report, Unit))
    figure = "COALESCE(v.override, v.computed, v.manual)"
    positive = f"COUNT(CASE WHEN {figure} > 0 THEN 1 END)" if distinct else "0"
    where = ["r.campaign_id = %s", "r.status IN (%s, %s)"]
    params: list[Any] = [length, campaign.pk, *[str(s) for s in APPROVED_STATUSES]]
    if depth is not None:
        where.append("u.depth = %s")
        params.append(depth)
    if ids is not None:
        where.append(f"r.id IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    if within is not None:
        where.append("u.path > %s AND u.path < %s")
        params += list(within)
    keys, rows = (
        ("v.indicator_id, v.row_key", "MIN(v.row_order), MIN(v.row_label)")
        if cells
        else ("v.indicator_id", "")
    )
    sql = (
        f"SELECT SUBSTR(u.path, 1, %s), {keys}, SUM({figure}), {positive}"  # noqa: S608
        f"{', ' + rows if rows else ''}"
        f" FROM {value_t} v JOIN {report_t} r ON r.id = v.report_id"
        f" JOIN {unit_t} u ON u.id = r.unit_id"
        f" WHERE {' AND '.join(where)} GROUP BY 1, 2{', 3' if cells else ''}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cells:
            return [
                (p, i, k, _decimal(t), int(n), int(o), str(label))
                for p, i, k, t, n, o, label in cursor.fetchall()
            ]
        return [(p, i, _decimal(t), int(n)) for p, i, t, n in cursor.fetchall()]


def _own_figures(
    report_ids: list[int], indicator_ids: list[int]
) -> list[tuple[int, int, Decimal | None]]:
    """(report, indicator, figure) of the reports' own figures of those indicators."""
    table = connection.ops.quote_name(ReportValue._meta.db_table)
    sql = (
        "SELECT report_id, indicator_id, COALESCE(override, computed, manual)"  # noqa: S608
        f" FROM {table} WHERE report_id IN ({', '.join(['%s'] * len(report_ids))})"
        f" AND indicator_id IN ({', '.join(['%s'] * len(indicator_ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*report_ids, *indicator_ids])
        return [(r, i, _decimal(f)) for r, i, f in cursor.fetchall()]


def _own_rows(report_ids: list[int], indicator_ids: list[int]) -> list[ReportCell]:
    """The reports' own rows of those tables (the RECOMPUTE and NONE tables' totals)."""
    return list(
        ReportCell.objects.filter(report_id__in=report_ids, indicator_id__in=indicator_ids)
        .order_by()
        .only(
            "report_id",
            "indicator_id",
            "row_key",
            "row_label",
            "row_order",
            "computed",
            "manual",
            "override",
        )
    )


def _label_row(entry: Rollup, indicator_id: int, key: str, order: int, label: str) -> None:
    labels = entry.row_labels.setdefault(indicator_id, {})
    if key not in labels or (order, label) < labels[key]:
        labels[key] = (order, label)


def rollup_campaign(campaign: Campaign, *, parent_ids: set[int] | None = None) -> dict[int, Rollup]:
    """The roll-up of every parent report of *campaign* (or of those in *parent_ids*),
    by parent report id. A report without children has no entry."""
    rows = list(
        Report.objects.filter(campaign=campaign)
        .order_by()  # the model's ordering joins the campaign: not needed here
        .values_list("id", "unit__path", "status")
    )
    parents = parents_of([(rid, path) for rid, path, _status in rows])
    path_of = {rid: path for rid, path, _status in rows}
    result: dict[int, Rollup] = {}
    # The children's depth → the depths of their parents → the counted children. Where
    # every report at one depth has its parent at one depth (or none), the grouped query
    # picks them by depth; ids are listed only where depths mix (a long IN list is slow).
    plan: dict[int, dict[int | None, list[int]]] = defaultdict(lambda: defaultdict(list))
    approved = frozenset(str(s) for s in APPROVED_STATUSES)
    for rid, path, status in rows:
        parent = parents[rid]
        if parent is None:
            plan[len(path)][None].append(0)
            continue
        wanted = parent_ids is None or parent in parent_ids
        counted = status in approved
        plan[len(path)][len(path_of[parent])].append(rid if (wanted and counted) else 0)
        if not wanted:
            continue
        entry = result.get(parent)
        if entry is None:
            entry = result[parent] = Rollup(parent_id=parent)
        entry.children.append(rid)
        if counted:
            entry.approved.append(rid)
    if not result:
        return result

    everything = list(Indicator.objects.filter(template_id=campaign.template_id))
    indicators = [i for i in everything if i.kind != IndicatorKind.TABLE]
    tables = [i for i in everything if i.kind == IndicatorKind.TABLE]
    rules = {i.pk: i.aggregation for i in indicators}
    table_rules = {i.pk: i.aggregation for i in tables}
    distinct = Aggregation.COUNT_DISTINCT in rules.values()
    table_distinct = Aggregation.COUNT_DISTINCT in table_rules.values()
    parent_by_path = {path_of[p]: p for p in result}
    within: tuple[str, str] | None = None
    if parent_ids is not None and len(parent_ids) == 1:
        within = tree.subtree_bounds(path_of[next(iter(parent_ids))])  # its subtree only
    for child_length, by_parent in plan.items():
        for length, children in by_parent.items():
            if length is None or not any(children):
                continue
            if len(by_parent) == 1 or (len(by_parent) == 2 and None in by_parent):
                # The parent is the prefix of that length; a top report's prefix names no
                # parent report and its rows are dropped below.
                pick: dict[str, Any] = {"depth": child_length // tree.SEGMENT}
            else:
                pick = {"ids": [c for c in children if c]}
            grouped = _grouped(campaign, length, within=within, distinct=distinct, **pick)
            if tables:
                _add_rows(
                    result,
                    parent_by_path,
                    table_rules,
                    _grouped(
                        campaign, length, within=within, distinct=table_distinct, cells=True,
                        **pick,
                    ),
                )  # fmt: skip
            for parent_path, indicator_id, total, positive in grouped:
                parent = parent_by_path.get(parent_path)
                if parent is None:
                    continue
                entry = result[parent]
                if total is not None:
                    entry.sums[indicator_id] = total
                rule = rules.get(indicator_id)
                if rule == Aggregation.SUM:
                    entry.totals[indicator_id] = total
                elif rule == Aggregation.COUNT_DISTINCT:
                    entry.totals[indicator_id] = Decimal(positive or 0)
    # RECOMPUTE and NONE: the parent's own figure, read from its own report.
    own = [i.pk for i in indicators if i.aggregation in (Aggregation.RECOMPUTE, Aggregation.NONE)]
    if own:
        for report_id, indicator_id, figure in _own_figures(list(result), own):
            result[report_id].totals[indicator_id] = figure
    own_tables = [
        i.pk for i in tables if i.aggregation in (Aggregation.RECOMPUTE, Aggregation.NONE)
    ]
    if own_tables:
        for cell in _own_rows(list(result), own_tables):
            entry = result[cell.report_id]
            entry.cell_totals.setdefault(cell.indicator_id, {})[cell.row_key] = cell.value
            _label_row(entry, cell.indicator_id, cell.row_key, cell.row_order, cell.row_label)
    # An indicator no counted child reports adds up to nothing, not to zero: shown empty.
    for entry in result.values():
        for indicator in indicators:
            entry.totals.setdefault(indicator.pk, None)
        for table in tables:
            totals = entry.cell_totals.setdefault(table.pk, {})
            for key in entry.row_labels.get(table.pk, {}):
                totals.setdefault(key, None)
    return result


def _add_rows(
    result: dict[int, Rollup],
    parent_by_path: dict[str, int],
    rules: dict[int, str],
    grouped: list[tuple[Any, ...]],
) -> None:
    """The children's table rows of one grouped query into their parents' roll-ups."""
    for parent_path, indicator_id, key, total, positive, order, label in grouped:
        parent = parent_by_path.get(parent_path)
        if parent is None:
            continue
        entry = result[parent]
        _label_row(entry, indicator_id, key, order, label)
        if total is not None:
            entry.cell_sums.setdefault(indicator_id, {})[key] = total
        rule = rules.get(indicator_id)
        if rule == Aggregation.SUM:
            entry.cell_totals.setdefault(indicator_id, {})[key] = total
        elif rule == Aggregation.COUNT_DISTINCT:
            entry.cell_totals.setdefault(indicator_id, {})[key] = Decimal(positive or 0)


def rollup_of(report: Report) -> Rollup | None:
    """The roll-up of *report*'s children, None when it has none."""
    return rollup_campaign(report.campaign, parent_ids={report.pk}).get(report.pk)


@dataclass(frozen=True)
class Contribution:
    """One child's line in the parent's table."""

    report: Report
    values: dict[int, Decimal | None]  # by indicator id
    counted: bool  # approved: in the totals
    disagreements: list[int]  # indicators whose override differs from the snapshot
    # The child's table rows (indicator id → row key → figure), and the rows whose
    # override differs from the snapshot.
    cells: dict[int, dict[str, Decimal | None]] = field(default_factory=dict)
    cell_disagreements: frozenset[tuple[int, str]] = frozenset()


def contributions(report: Report, entry: Rollup | None = None) -> list[Contribution]:
    """Each child of *report*, with its figures, whether it is counted, and where the
    child's own figure disagrees with what danvan computed (an override of the snapshot).
    *entry*: the report's roll-up when the caller has it already (rollup_of)."""
    entry = entry or rollup_of(report)
    if entry is None:
        return []
    children = {
        r.pk: r for r in Report.objects.filter(pk__in=entry.children).select_related("unit")
    }
    values: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    disagree: dict[int, list[int]] = defaultdict(list)
    for value in ReportValue.objects.filter(report_id__in=entry.children):
        values[value.report_id][value.indicator_id] = value.value
        if value.disagrees:
            disagree[value.report_id].append(value.indicator_id)
    cells: dict[int, dict[int, dict[str, Decimal | None]]] = defaultdict(dict)
    cell_disagree: dict[int, set[tuple[int, str]]] = defaultdict(set)
    if entry.row_labels or entry.cell_totals:
        for cell in ReportCell.objects.filter(report_id__in=entry.children).order_by():
            cells[cell.report_id].setdefault(cell.indicator_id, {})[cell.row_key] = cell.value
            if cell.disagrees:
                cell_disagree[cell.report_id].add((cell.indicator_id, cell.row_key))
    approved = set(entry.approved)
    return [
        Contribution(
            report=children[rid],
            values=values.get(rid, {}),
            counted=rid in approved,
            disagreements=disagree.get(rid, []),
            cells=cells.get(rid, {}),
            cell_disagreements=frozenset(cell_disagree.get(rid, set())),
        )
        for rid in sorted(entry.children, key=lambda r: children[r].unit.path)
    ]


def broken_totals(report: Report, entry: Rollup) -> list[ValidationRule]:
    """The template's validation rules the roll-up's totals break (flagged, not refused)."""
    broken = []
    rules = ValidationRule.objects.filter(template_id=report.campaign.template_id)
    totals = dict(entry.totals)
    for table_id in entry.cell_totals:  # a table takes part by its total
        totals[table_id] = entry.table_total(table_id)
    for rule in rules:
        left, right = totals.get(rule.left_id), totals.get(rule.right_id)
        if left is not None and right is not None and not rule.holds(float(left), float(right)):
            broken.append(rule)
    return broken
