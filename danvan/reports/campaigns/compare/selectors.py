"""A report's figures beside the same unit's earlier approved reports (issue 13, item 6:
"any indicator against the previous period and the same period last year").

- the previous period: the unit's approved report of the regime's previous campaign
  (campaigns.selectors.previous_report, the one the outlier warnings compare with);
- the same period last year: the unit's approved report of the same regime for the year
  before, its period ending on the same day of the year. Half-year and annual regimes
  have one period a year (Decree 09/2019/NĐ-CP art. 12), so both are often the same
  report; they differ for a regime with several periods a year.

Only approved reports are compared with: a draft of an earlier period can still change,
and the figures the level above accepted are the ones people quote. Indicators are
matched by code, since the earlier report may use another version of the template. A
constant number of queries whatever the number of indicators.

Table indicators are compared row by row (rows matched by their key within the table's
code), each row's stated figure as the report's own table states it (ReportCell.value:
override, else snapshot, else typed), with the table's total; the cells of both earlier
reports are read in one query.

The home page's report panel reads home_progress: the open campaigns covering a unit,
their progress under it (the board's totals) and its key figures against the previous
period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _

from danvan.accounts import policies as access
from danvan.core import charts
from danvan.reports.indicators import get_table_query
from danvan.reports.models import Indicator, Source
from danvan.units.models import Unit

from .. import policies, selectors
from ..models import Campaign, CampaignStatus, Report, ReportCell, ReportValue

# The three bars of an indicator, earliest first, the current one in the accent colour.
_LAST_YEAR, _PREVIOUS, _NOW = "#ced4da", "#6c757d", "#0d6efd"


@dataclass(frozen=True)
class Figure:
    """One figure of one report, with the list of the records it counts (computed ones)."""

    value: Decimal | None = None
    records_url: str = ""


@dataclass(frozen=True)
class Delta:
    """How much a figure changed on an earlier one: in number and in % of the earlier."""

    amount: Decimal
    pct: Decimal | None  # None when the earlier figure is 0 (no percentage of nothing)

    @property
    def trend(self) -> str:
        """ "up", "down" or "flat": the arrow shown beside the figure."""
        if self.amount > 0:
            return "up"
        if self.amount < 0:
            return "down"
        return "flat"


def delta(now: Decimal | None, before: Decimal | None) -> Delta | None:
    """The change from *before* to *now*; None when either figure is missing."""
    if now is None or before is None:
        return None
    amount = now - before
    pct = None if before == 0 else (amount * 100 / abs(before)).quantize(Decimal("0.1"))
    return Delta(amount, pct)


@dataclass(frozen=True)
class Row:
    """One indicator: this period, the previous one and the same period last year."""

    indicator: Indicator
    now: Figure
    previous: Figure
    last_year: Figure

    @property
    def vs_previous(self) -> Delta | None:
        return delta(self.now.value, self.previous.value)

    @property
    def vs_last_year(self) -> Delta | None:
        return delta(self.now.value, self.last_year.value)


@dataclass(frozen=True)
class TableRow:
    """One row of a table indicator (or its total, key ""): this period, the previous
    one and the same period last year."""

    key: str
    label: str
    now: Figure
    previous: Figure
    last_year: Figure

    @property
    def vs_previous(self) -> Delta | None:
        return delta(self.now.value, self.previous.value)

    @property
    def vs_last_year(self) -> Delta | None:
        return delta(self.now.value, self.last_year.value)


@dataclass(frozen=True)
class TableComparison:
    """A table indicator of the report: its rows against the earlier reports' same rows,
    and the three totals."""

    indicator: Indicator
    rows: list[TableRow]
    total: TableRow


@dataclass(frozen=True)
class Comparison:
    report: Report
    previous: Report | None
    last_year: Report | None
    rows: list[Row]
    tables: list[TableComparison] = field(default_factory=list)

    @property
    def same_report(self) -> bool:
        """The previous period is also last year's (one period a year)."""
        return self.previous is not None and self.previous.pk == getattr(self.last_year, "pk", 0)


def figures(report: Report | None) -> dict[str, Figure]:
    """The report's figures by indicator code, each with its records list (value_rows:
    the unit's subtree over the report's own period). Its values must be prefetched."""
    if report is None:
        return {}
    return {
        row.indicator.code: Figure(row.value.value if row.value else None, row.records_url)
        for row in selectors.value_rows(report)
    }


def prefetch_values(reports: list[Report]) -> None:
    """One query for the values of all *reports* (value_rows reads them)."""
    prefetch_related_objects(
        reports,
        Prefetch("values", queryset=ReportValue.objects.select_related("indicator")),
    )


def prefetch_cells(reports: list[Report]) -> None:
    """One query for the table rows of all *reports*, with their indicators."""
    prefetch_related_objects(
        reports,
        Prefetch("cells", queryset=ReportCell.objects.select_related("indicator")),
    )


def cell_figures(report: Report | None, unit: Unit) -> dict[tuple[str, str], tuple[str, Figure]]:
    """*report*'s table rows by (indicator code, row key): the row's label and its stated
    figure, with the records it counts in a computed table (the report's own indicator's
    query over the report's own period, under *unit*, the report's unit already loaded).
    Its cells must be prefetched."""
    if report is None:
        return {}
    assert report.unit_id == unit.pk
    campaign = report.campaign
    out: dict[tuple[str, str], tuple[str, Figure]] = {}
    for cell in report.cells.all():
        indicator = cell.indicator
        query = get_table_query(indicator.query) if indicator.source == Source.COMPUTED else None
        url = (
            query.records_url(unit, campaign.period_start, campaign.period_end, cell.row_key)
            if query is not None
            else ""
        )
        out[(indicator.code, cell.row_key)] = (cell.row_label, Figure(cell.value, url))
    return out


def _sum(figures: list[Figure]) -> Figure:
    """A total as the report's table states it: the sum of the rows stated, None when
    none is (selectors._total, the one TableBlock.total uses)."""
    return Figure(selectors._total(f.value for f in figures))


def table_comparisons(
    report: Report, previous: Report | None, last_year: Report | None
) -> list[TableComparison]:
    """Every table indicator of *report*'s template, row by row against the earlier
    reports (cells prefetched). The rows are this report's (selectors.value_tables, in
    their order), then any row only an earlier report has (a category retired since, a
    line removed from a manual table), so that no earlier figure goes missing."""
    # The earlier reports are the unit's own (previous_report, last_year_report).
    earlier = cell_figures(previous, report.unit)
    year_before = (
        earlier
        if last_year is not None and last_year == previous
        else cell_figures(last_year, report.unit)
    )
    out = []
    for block in selectors.value_tables(report):
        code = block.indicator.code
        keys = [row.key for row in block.rows]
        labels = {row.key: row.label for row in block.rows}
        now = {row.key: Figure(row.value, row.records_url) for row in block.rows}
        for found in (earlier, year_before):
            for (table, key), (label, _figure) in found.items():
                if table == code and key not in labels:
                    keys.append(key)
                    labels[key] = label
        rows = [
            TableRow(
                key=key,
                label=labels[key],
                now=now.get(key, Figure()),
                previous=earlier.get((code, key), ("", Figure()))[1],
                last_year=year_before.get((code, key), ("", Figure()))[1],
            )
            for key in keys
        ]
        total = TableRow(
            key="",
            label=_("Tổng cộng"),
            now=_sum([r.now for r in rows]),
            previous=_sum([r.previous for r in rows]),
            last_year=_sum([r.last_year for r in rows]),
        )
        out.append(TableComparison(indicator=block.indicator, rows=rows, total=total))
    return out


def comparison(report: Report) -> Comparison:
    """Every indicator of *report*'s template against the two earlier reports. *report*
    comes from selectors.report_get (scoped, values and cells prefetched); the earlier
    reports are the same unit's, so whoever reads this one reads them."""
    previous = selectors.previous_report(report)
    last_year = selectors.last_year_report(report)
    prefetch_values([r for r in (previous, last_year) if r is not None])
    prefetch_cells([r for r in (previous, last_year) if r is not None])
    earlier = figures(previous)
    year_before = earlier if last_year is not None and last_year == previous else figures(last_year)
    rows = [
        Row(
            indicator=line.indicator,
            now=Figure(line.value.value if line.value else None, line.records_url),
            previous=earlier.get(line.indicator.code, Figure()),
            last_year=year_before.get(line.indicator.code, Figure()),
        )
        for line in selectors.value_rows(report)
    ]
    return Comparison(
        report=report,
        previous=previous,
        last_year=last_year,
        rows=rows,
        tables=table_comparisons(report, previous, last_year),
    )


def chart(result: Comparison) -> charts.Chart:
    """Three bars per indicator (last year, previous period, this period), each linking
    to its records list when it has one; the table below carries the same numbers."""
    series = [
        charts.Series("last_year", _("Cùng kỳ năm trước"), _LAST_YEAR),
        charts.Series("previous", _("Kỳ trước"), _PREVIOUS),
        charts.Series("now", _("Kỳ này"), _NOW),
    ]
    items = []
    for row in result.rows:
        shown = {"last_year": row.last_year, "previous": row.previous, "now": row.now}
        items.append(
            charts.Item(
                label=row.indicator.label,
                values={key: float(f.value or 0) for key, f in shown.items()},
                hrefs={key: f.records_url for key, f in shown.items() if f.records_url},
                texts={
                    key: selectors.plain(f.value) if f.value is not None else "—"
                    for key, f in shown.items()
                },
            )
        )
    return charts.horizontal("compare-chart", _("So sánh các kỳ theo chỉ tiêu"), items, series)


def table_chart(table: TableComparison) -> charts.Chart:
    """Two bars per row of a table indicator (the previous period, this period), each
    linking to its records list when it has one; the table beside it carries the same
    numbers, the same period last year too."""
    series = [
        charts.Series("previous", _("Kỳ trước"), _PREVIOUS),
        charts.Series("now", _("Kỳ này"), _NOW),
    ]
    items = []
    for row in table.rows:
        shown = {"previous": row.previous, "now": row.now}
        items.append(
            charts.Item(
                label=row.label,
                values={key: float(f.value or 0) for key, f in shown.items()},
                hrefs={key: f.records_url for key, f in shown.items() if f.records_url},
                texts={
                    key: selectors.plain(f.value) if f.value is not None else "—"
                    for key, f in shown.items()
                },
            )
        )
    return charts.horizontal(
        f"compare-chart-{table.indicator.code}",
        _("%(label)s: kỳ này so với kỳ trước") % {"label": table.indicator.label},
        items,
        series,
    )


# -- the home page's panel ----------------------------------------------------------------------

# The panel stays a panel: the latest open campaigns, and the first computed indicators
# of each; the campaign list and the comparison page hold the rest.
HOME_CAMPAIGNS = 3
HOME_INDICATORS = 6


@dataclass(frozen=True)
class KeyFigure:
    """A computed indicator of the unit's report: now, and in the previous period."""

    indicator: Indicator
    now: Figure
    previous: Figure

    @property
    def vs_previous(self) -> Delta | None:
        return delta(self.now.value, self.previous.value)


@dataclass
class Progress:
    """One open campaign seen from a unit: the board's totals over the unit's subtree,
    and the unit's own report (if it writes one) with its key figures."""

    campaign: Campaign
    total: selectors.BoardRow
    report: Report | None = None
    previous: Report | None = None
    figures: list[KeyFigure] = field(default_factory=list)
    more_figures: int = 0

    @property
    def approved_pct(self) -> float:
        total = self.total
        return round(total.approved * 100 / total.expected, 1) if total.expected else 0.0


@dataclass
class HomeProgress:
    rows: list[Progress] = field(default_factory=list)
    more_campaigns: bool = False


def open_campaigns_covering(unit: Unit) -> list[Campaign]:
    """The open campaigns asking a report of *unit* or of a unit under it, latest first
    (one more than shown, to tell whether there are more)."""
    asks_subtree = Exists(
        Report.objects.filter(access.subtree_q(unit, "unit__"), campaign=OuterRef("pk"))
    )
    return list(
        Campaign.objects.filter(asks_subtree, status=CampaignStatus.OPEN)
        .select_related("regime", "template")
        .order_by("-period_end", "title")[: HOME_CAMPAIGNS + 1]
    )


def home_progress(*, user: Any, unit: Unit, today: dt.date) -> HomeProgress:
    """What the home page of *unit*'s user shows about reports (issue 13, item 6): per
    open campaign covering the unit (at most HOME_CAMPAIGNS), the board's expected,
    submitted and approved reports under it, and the unit's computed figures against the
    previous period. Empty when the user does not read the unit's reports.

    Queries: the campaigns, the unit's reports with their values, the previous reports'
    values (one for all), and four per campaign (the board's two, the template's
    indicators, the previous report), whatever the number of units and records.
    """
    if not access.has_perm(user, policies.VIEW_PERM, unit):
        return HomeProgress()
    campaigns = open_campaigns_covering(unit)
    result = HomeProgress(more_campaigns=len(campaigns) > HOME_CAMPAIGNS)
    campaigns = campaigns[:HOME_CAMPAIGNS]
    if not campaigns:
        return result
    own = {
        r.campaign_id: r
        for r in Report.objects.filter(campaign__in=campaigns, unit=unit)
        .select_related("unit", "campaign")
        .prefetch_related(
            Prefetch("values", queryset=ReportValue.objects.select_related("indicator"))
        )
    }
    for campaign in campaigns:
        board = selectors.board(campaign=campaign, root=unit, today=today)
        row = Progress(campaign=campaign, total=board.total, report=own.get(campaign.pk))
        if row.report is not None:
            row.previous = selectors.previous_report(row.report)
        result.rows.append(row)
    prefetch_values([r.previous for r in result.rows if r.previous is not None])
    for row in result.rows:
        if row.report is None:
            continue
        # The panel links the figures of now only: the previous ones are read from the
        # prefetched values, without their records lists (the comparison page has them).
        earlier = {
            v.indicator.code: Figure(v.value)
            for v in (row.previous.values.all() if row.previous is not None else [])
        }
        computed = [line for line in selectors.value_rows(row.report) if line.is_computed]
        row.figures = [
            KeyFigure(
                indicator=line.indicator,
                now=Figure(line.value.value if line.value else None, line.records_url),
                previous=earlier.get(line.indicator.code, Figure()),
            )
            for line in computed[:HOME_INDICATORS]
        ]
        row.more_figures = max(len(computed) - HOME_INDICATORS, 0)
    return result
