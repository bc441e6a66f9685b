"""Restated reports: a past year's approved figures counted under today's units
(issue 13, item 3: "Bắc Kạn 2018 under Thái Nguyên").

Units merge (34 provinces since 2025); their old reports stay as they were approved and
are never rewritten. A restated view answers "what did the units that are today's X
report for year Y": every approved report of the regime for that year whose unit is in
X's subtree today, or whose unit's successions lead there (units.selectors.
restated_units), keeping only the top ones (a report whose unit lies under another
counted report's unit is already in that report's figures). Each indicator is added up
by its rule (rollup.py): SUM and RECOMPUTE add the reports' stated figures (a past
year's records cannot be counted again under units that did not exist), COUNT_DISTINCT
counts the reports above zero, NONE is not added up. A table's rows add up alike, row
by row, matched by their key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from danvan.reports.models import Aggregation, Indicator, IndicatorKind, Regime
from danvan.units.models import Unit
from danvan.units.selectors import restated_units

from .models import APPROVED_STATUSES, Report


@dataclass
class Restated:
    unit: Unit
    regime: Regime
    year: int
    indicators: list[Indicator] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)  # the counted (top) reports
    values: dict[int, dict[int, Decimal | None]] = field(default_factory=dict)  # report → ind
    totals: dict[int, Decimal | None] = field(default_factory=dict)
    # The tables: their indicators, each report's rows, the rows' totals and labels.
    tables: list[Indicator] = field(default_factory=list)
    cells: dict[int, dict[int, dict[str, Decimal | None]]] = field(default_factory=dict)
    cell_totals: dict[int, dict[str, Decimal | None]] = field(default_factory=dict)
    row_labels: dict[int, list[tuple[str, str]]] = field(default_factory=dict)

    def historical(self, report: Report) -> bool:
        return not report.unit.is_descendant_of(self.unit)


def restated(*, unit: Unit, regime: Regime, year: int) -> Restated:
    """Year *year*'s approved reports of *regime* counted under *unit* as it is today."""
    result = Restated(unit=unit, regime=regime, year=year)
    candidates = list(
        Report.objects.filter(
            campaign__regime=regime, campaign__year=year, status__in=APPROVED_STATUSES
        )
        .select_related("unit", "campaign")
        .prefetch_related("values", "cells")
        .order_by("unit__path")
    )
    counted: list[Report] = []
    for report in candidates:
        if report.unit.is_descendant_of(unit) or (
            report.unit.valid_to is not None
            and any(u.is_descendant_of(unit) for u in restated_units(report.unit))
        ):
            counted.append(report)
    paths = [r.unit.path for r in counted]
    result.reports = [
        r for r in counted if not any(r.unit.path != p and r.unit.path.startswith(p) for p in paths)
    ]
    templates = {r.campaign.template_id for r in result.reports}
    result.indicators = list(Indicator.objects.filter(template_id__in=templates).order_by("order"))
    # Templates of one regime share their indicators' codes: add up by code.
    by_code: dict[str, Indicator] = {}
    for indicator in result.indicators:
        by_code.setdefault(indicator.code, indicator)
    code_of = {i.pk: i.code for i in result.indicators}
    result.tables = [i for i in by_code.values() if i.kind == IndicatorKind.TABLE]
    result.indicators = [i for i in by_code.values() if i.kind != IndicatorKind.TABLE]
    for report in result.reports:
        result.values[report.pk] = {
            by_code[code_of[v.indicator_id]].pk: v.value
            for v in report.values.all()
            if v.indicator_id in code_of
        }
    for indicator in result.indicators:
        result.totals[indicator.pk] = _added(
            indicator, [result.values[r.pk].get(indicator.pk) for r in result.reports]
        )
    labels: dict[int, dict[str, tuple[int, str]]] = {}
    for report in result.reports:
        rows: dict[int, dict[str, Decimal | None]] = {}
        for cell in report.cells.all():
            if cell.indicator_id not in code_of:
                continue
            table_id = by_code[code_of[cell.indicator_id]].pk
            rows.setdefault(table_id, {})[cell.row_key] = cell.value
            known = labels.setdefault(table_id, {})
            known.setdefault(cell.row_key, (cell.row_order, cell.row_label))
        result.cells[report.pk] = rows
    for table in result.tables:
        ordered = sorted(labels.get(table.pk, {}).items(), key=lambda r: (r[1][0], r[0]))
        result.row_labels[table.pk] = [(key, label) for key, (_o, label) in ordered]
        result.cell_totals[table.pk] = {
            key: _added(
                table, [result.cells[r.pk].get(table.pk, {}).get(key) for r in result.reports]
            )
            for key, _label in result.row_labels[table.pk]
        }
    return result


def _added(indicator: Indicator, stated: list[Decimal | None]) -> Decimal | None:
    """The reports' figures of one indicator (or one table row) added up by its rule."""
    figures = [f for f in stated if f is not None]
    if not figures or indicator.aggregation == Aggregation.NONE:
        return None
    if indicator.aggregation == Aggregation.COUNT_DISTINCT:
        return Decimal(sum(1 for f in figures if f > 0))
    return sum(figures, Decimal(0))


def years_of(regime: Regime) -> list[int]:
    """The years with an approved report of *regime*, latest first."""
    return sorted(
        set(
            Report.objects.filter(
                campaign__regime=regime, status__in=APPROVED_STATUSES
            ).values_list("campaign__year", flat=True)
        ),
        reverse=True,
    )
