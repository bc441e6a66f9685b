"""Reads of report campaigns, scoped to what the actor may see, in a constant number of
queries: the campaign list, one report with its values, its warnings and what changed
since approval, who reviews it, and the submission board."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from danvan.accounts import policies as access
from danvan.core.errors import NotFound
from danvan.reports.indicators import get_query, get_table_query
from danvan.reports.models import Indicator, IndicatorKind, Section, Source, ValidationRule
from danvan.units import tree
from danvan.units.models import Unit

from . import policies
from .models import (
    APPROVED_STATUSES,
    SUBMITTED_STATUSES,
    Campaign,
    EventKind,
    Report,
    ReportCell,
    ReportEvent,
    ReportStatus,
    ReportValue,
)

# -- campaigns ------------------------------------------------------------------------------


def campaign_list(*, user: Any) -> QuerySet[Campaign]:
    """Campaigns the user reads: opened in a unit they see, or asking a report of one."""
    seen = access.scope_q(user, policies.VIEW_PERM, "unit__")
    asks_mine = Exists(Report.objects.filter(seen, campaign=OuterRef("pk")))
    return (
        Campaign.objects.filter(
            Q(access.scope_q(user, policies.VIEW_PERM, "owner_unit__")) | Q(asks_mine)
        )
        .select_related("regime", "owner_unit")
        .annotate(expected=Count("reports"))
        .order_by("-period_end", "title")
    )


def campaign_get(*, user: Any, public_id: uuid.UUID) -> Campaign:
    campaign = (
        Campaign.objects.select_related("regime", "template", "owner_unit", "opened_by")
        .filter(public_id=public_id)
        .first()
    )
    if campaign is None:
        raise NotFound(_("Không tìm thấy đợt báo cáo."), code="campaign_not_found")
    # Units below the owner read the campaign through their own report.
    if (
        not policies.can_view_campaign(user, campaign)
        and not Report.objects.filter(
            access.scope_q(user, policies.VIEW_PERM, "unit__"), campaign=campaign
        ).exists()
    ):
        raise NotFound(_("Không tìm thấy đợt báo cáo."), code="campaign_not_found")
    return campaign


def own_reports(*, user: Any, campaign: Campaign) -> list[Report]:
    """The reports of this campaign the user's units write (for the campaign's page)."""
    unit_ids = [g.unit_id for g in access.grants_of(user) if g.unit_id is not None]
    return list(
        Report.objects.filter(campaign=campaign, unit_id__in=unit_ids).select_related("unit")
    )


# -- one report -------------------------------------------------------------------------------


def report_get(*, user: Any, public_id: uuid.UUID) -> Report:
    """A report the user may read, with its campaign, values, narratives and history."""
    report = (
        Report.objects.select_related(
            "unit", "campaign", "campaign__regime", "campaign__template", "campaign__owner_unit"
        )
        .prefetch_related(
            Prefetch(
                "values",
                queryset=ReportValue.objects.select_related("indicator", "indicator__section"),
            ),
            Prefetch("cells", queryset=ReportCell.objects.select_related("indicator")),
            "narratives",
            Prefetch("events", queryset=ReportEvent.objects.select_related("actor")),
        )
        .filter(public_id=public_id)
        .first()
    )
    if report is None or not policies.can_view(user, report):
        raise NotFound(_("Không tìm thấy báo cáo."), code="report_not_found")
    return report


def reviewer_unit(report: Report) -> Unit:
    """Who reviews *report*: the nearest ancestor of its unit that reports in the same
    campaign (the level above); for the top reports, the unit that opened the campaign.
    The owner's own report goes to the owner's parent when it has one (a province's to
    the national body), else the owner reviews it itself (nobody above it here)."""
    campaign = report.campaign
    ancestors = report.unit.ancestor_ids
    above = (
        Report.objects.filter(campaign=campaign, unit_id__in=ancestors)
        .select_related("unit")
        .order_by("-unit__depth")
        .first()
    )
    if above is not None:
        return above.unit
    owner = campaign.owner_unit
    if report.unit_id != owner.pk:
        return owner
    return owner.parent if owner.parent_id is not None else owner  # type: ignore[return-value]


@dataclass
class ValueRow:
    """One line of the values table, in the template's order."""

    indicator: Indicator
    value: ReportValue | None
    records_url: str = ""

    @property
    def is_computed(self) -> bool:
        return self.indicator.source == Source.COMPUTED


def value_rows(report: Report) -> list[ValueRow]:
    """The template's number indicators with the report's values (prefetched by
    report_get) and, for a computed one, the address of the records it counts (issue 13,
    item 4). The tables are value_tables'."""
    campaign = report.campaign
    by_indicator = {v.indicator_id: v for v in report.values.all()}
    indicators = Indicator.objects.filter(
        template_id=campaign.template_id, kind=IndicatorKind.NUMBER
    ).select_related("section")
    rows = []
    for indicator in indicators.order_by("order"):
        row = ValueRow(indicator, by_indicator.get(indicator.pk))
        query = get_query(indicator.query) if indicator.source == Source.COMPUTED else None
        if query is not None:
            row.records_url = query.records_url(
                report.unit, campaign.period_start, campaign.period_end
            )
        rows.append(row)
    return rows


@dataclass
class CellRow:
    """One row of a table indicator in a report: its key and label, its figures (None
    before the snapshot wrote them) and, in a computed table, its records list."""

    key: str
    label: str
    cell: ReportCell | None
    records_url: str = ""

    @property
    def value(self) -> Decimal | None:
        return self.cell.value if self.cell is not None else None


@dataclass
class TableBlock:
    """A table indicator of a report: its rows in order, and their total."""

    indicator: Indicator
    rows: list[CellRow] = field(default_factory=list)

    @property
    def is_computed(self) -> bool:
        return self.indicator.source == Source.COMPUTED

    @property
    def total(self) -> Decimal | None:
        """The table's stated total: the sum of the rows stated (None when none is)."""
        return _total(row.value for row in self.rows)

    @property
    def computed_total(self) -> Decimal | None:
        return _total(row.cell.computed if row.cell else None for row in self.rows)


def _total(figures: Iterable[Decimal | None]) -> Decimal | None:
    stated = [f for f in figures if f is not None]
    return sum(stated, Decimal(0)) if stated else None


def table_totals(cells: Iterable[ReportCell]) -> dict[str, Decimal | None]:
    """Each table's stated total by indicator code, from its rows (indicators loaded): how
    a table takes part in the validation rules."""
    by_code: dict[str, list[Decimal | None]] = {}
    for cell in cells:
        by_code.setdefault(cell.indicator.code, []).append(cell.value)
    return {code: _total(figures) for code, figures in by_code.items()}


def value_tables(report: Report) -> list[TableBlock]:
    """The template's table indicators with the report's rows (cells prefetched by
    report_get), each computed row with the address of the records it counts. A table
    with no rows written yet shows the rows it will have: a manual table's lines, a
    computed table's categories shown always."""
    campaign = report.campaign
    by_table: dict[int, list[ReportCell]] = {}
    for cell in report.cells.all():
        by_table.setdefault(cell.indicator_id, []).append(cell)
    tables = Indicator.objects.filter(
        template_id=campaign.template_id, kind=IndicatorKind.TABLE
    ).select_related("section")
    blocks = []
    for indicator in tables.order_by("order"):
        block = TableBlock(indicator)
        query = get_table_query(indicator.query) if indicator.source == Source.COMPUTED else None
        cells = sorted(by_table.get(indicator.pk, []), key=lambda c: (c.row_order, c.row_key))
        if cells:
            block.rows = [CellRow(c.row_key, c.row_label, c) for c in cells]
        elif query is not None:
            block.rows = [CellRow(c.key, c.label, None) for c in query.categories() if c.always]
        elif indicator.source == Source.MANUAL:
            block.rows = [CellRow(key, label, None) for key, label in indicator.table_rows()]
        if query is not None:
            for row in block.rows:
                row.records_url = query.records_url(
                    report.unit, campaign.period_start, campaign.period_end, row.key
                )
        blocks.append(block)
    return blocks


def sections_of(report: Report) -> list[tuple[Section, str]]:
    """The template's sections with the report's text for each."""
    texts = {n.section_id: n.text for n in report.narratives.all()}
    sections = Section.objects.filter(template_id=report.campaign.template_id).order_by("order")
    return [(s, texts.get(s.pk, "")) for s in sections]


@dataclass(frozen=True)
class Warning:
    code: str  # "rule" or "outlier"
    message: str


def _values_by_code(values: Sequence[ReportValue]) -> dict[str, Decimal | None]:
    return {v.indicator.code: v.value for v in values}


def broken_rules(report: Report, values: dict[str, Decimal | None]) -> list[ValidationRule]:
    """The template's rules that the report's figures break (empty figures are not judged)."""
    rules = ValidationRule.objects.filter(template_id=report.campaign.template_id).select_related(
        "left", "right"
    )
    broken = []
    for rule in rules:
        left, right = values.get(rule.left.code), values.get(rule.right.code)
        if left is not None and right is not None and not rule.holds(left, right):  # type: ignore[arg-type]
            broken.append(rule)
    return broken


def previous_report(report: Report) -> Report | None:
    """The unit's approved report of the regime's previous period (the latest one ending
    before this one starts), with its campaign; None when there is none."""
    campaign = report.campaign
    return (
        Report.objects.filter(
            unit_id=report.unit_id,
            campaign__regime_id=campaign.regime_id,
            campaign__period_end__lt=campaign.period_start,
            status__in=APPROVED_STATUSES,
        )
        .select_related("campaign")
        .order_by("-campaign__period_end")
        .first()
    )


def last_year_report(report: Report) -> Report | None:
    """The unit's approved report of the same regime for the year before whose period
    ends on the same day of the year (the same half-year, quarter or month), with its
    campaign."""
    campaign = report.campaign
    end = campaign.period_end
    return (
        Report.objects.filter(
            unit_id=report.unit_id,
            campaign__regime_id=campaign.regime_id,
            campaign__year=campaign.year - 1,
            campaign__period_end__month=end.month,
            campaign__period_end__day=end.day,
            status__in=APPROVED_STATUSES,
        )
        .select_related("campaign")
        .order_by("-campaign__period_end")
        .first()
    )


def previous_values(report: Report) -> dict[str, Decimal | None]:
    """The figures of the unit's approved report of the regime's previous period."""
    return values_of(previous_report(report))


def values_of(report: Report | None) -> dict[str, Decimal | None]:
    """*report*'s figures by indicator code (none for no report)."""
    if report is None:
        return {}
    return _values_by_code(list(report.values.select_related("indicator")))


def _outlier(label: str, pct: int, now: Decimal | None, before: Decimal | None) -> Warning | None:
    """The warning of a figure more than *pct* % away from the previous period's."""
    if before is None or now is None or before == 0:
        return None
    change = abs(now - before) * 100 / abs(before)
    if change <= pct:
        return None
    return Warning(
        "outlier",
        _(
            "“%(label)s”: %(now)s so với %(before)s kỳ trước (chênh %(change)s%%,"
            " quá %(pct)s%%). Kiểm tra lại hoặc giải thích trong phần nội dung."
        )
        % {
            "label": label,
            "now": _plain(now),
            "before": _plain(before),
            "change": _plain(change.quantize(Decimal("1"))),
            "pct": pct,
        },
    )


def warnings_for(report: Report, values: Sequence[ReportValue] | None = None) -> list[Warning]:
    """What the reviewer is told about: broken validation rules (a reason is required to
    submit), and figures far from the previous period's (Indicator.outlier_pct), which
    are only flagged (issue 13, item 1); a table's rows each against the same row of the
    previous period."""
    rows = list(values if values is not None else report.values.all())
    cells = list(report.cells.all())
    current = _values_by_code(rows)
    current.update(table_totals(cells))
    found = [Warning("rule", r.message) for r in broken_rules(report, current)]
    previous_one = previous_report(report)
    previous = values_of(previous_one)
    for row in rows:
        pct = row.indicator.outlier_pct
        if pct is not None:
            warning = _outlier(
                row.indicator.label, pct, row.value, previous.get(row.indicator.code)
            )
            if warning is not None:
                found.append(warning)
    watched = [c for c in cells if c.indicator.outlier_pct is not None]
    if watched and previous_one is not None:
        before = cells_of(previous_one)
        for cell in watched:
            pct = cell.indicator.outlier_pct
            assert pct is not None
            label = f"{cell.indicator.label} — {cell.row_label}"
            key = (cell.indicator.code, cell.row_key)
            warning = _outlier(label, pct, cell.value, before.get(key))
            if warning is not None:
                found.append(warning)
    return found


def cells_of(report: Report | None) -> dict[tuple[str, str], Decimal | None]:
    """*report*'s table rows by (indicator code, row key) (none for no report)."""
    if report is None:
        return {}
    return {
        (c.indicator.code, c.row_key): c.value for c in report.cells.select_related("indicator")
    }


def _plain(value: Decimal | None) -> str:
    """A figure as people write it: 12, 12,5 (no trailing zeros)."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


plain = _plain


@dataclass(frozen=True)
class Change:
    label: str
    approved: str
    now: str


def last_approval(report: Report) -> ReportEvent | None:
    approvals = [e for e in report.events.all() if e.kind == EventKind.APPROVED]
    return approvals[-1] if approvals else None


def changes_since_approval(report: Report) -> list[Change]:
    """What differs from the last approved version (figures and texts): shown to the
    reviewer after a reopen. Empty when never approved."""
    approval = last_approval(report)
    if approval is None:
        return []
    kept_values: dict[str, Any] = approval.data.get("values", {})
    kept_texts: dict[str, Any] = approval.data.get("narratives", {})
    changes = []
    for v in report.values.all():
        before = kept_values.get(v.indicator.code)
        now = None if v.value is None else str(v.value)
        if (None if before is None else Decimal(before)) != v.value:
            changes.append(
                Change(
                    v.indicator.label,
                    _plain(None if before is None else Decimal(before)),
                    _plain(None if now is None else Decimal(now)),
                )
            )
    # An approval recorded before the tables were (no "cells" in its data) says nothing
    # of their rows: they are not shown as changed.
    kept_cells: dict[str, Any] = approval.data.get("cells", {})
    for c in report.cells.all() if "cells" in approval.data else []:
        before = kept_cells.get(f"{c.indicator.code}.{c.row_key}")
        if (None if before is None else Decimal(before)) != c.value:
            changes.append(
                Change(
                    f"{c.indicator.label} — {c.row_label}",
                    _plain(None if before is None else Decimal(before)),
                    _plain(c.value),
                )
            )
    sections = {s.pk: s for s, _t in sections_of(report)}
    for n in report.narratives.all():
        before_text = kept_texts.get(str(n.section_id), "")
        if before_text != n.text and n.section_id in sections:
            changes.append(Change(sections[n.section_id].title, before_text, n.text))
    return changes


# -- the board ------------------------------------------------------------------------------


@dataclass
class BoardRow:
    """Counts over one subtree (a child of the board's root, or the root itself)."""

    path: str
    unit: Unit | None = None
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    returned: int = 0
    approved: int = 0

    @property
    def reporting_rate(self) -> float:
        return self.submitted / self.expected if self.expected else 0.0

    @property
    def on_time_rate(self) -> float:
        return self.on_time / self.expected if self.expected else 0.0

    @property
    def reporting_pct(self) -> float:
        return round(self.reporting_rate * 100, 1)

    @property
    def on_time_pct(self) -> float:
        return round(self.on_time_rate * 100, 1)


@dataclass
class Board:
    root: Unit
    rows: list[BoardRow] = field(default_factory=list)
    total: BoardRow = field(default_factory=lambda: BoardRow(path=""))


def _counts(today: dt.date) -> dict[str, Count]:
    submitted = Q(status__in=SUBMITTED_STATUSES)
    # On time is judged on the first submission (models.Report.first_submitted_on).
    in_time = Q(first_submitted_on__lte=F("due_date"))
    return {
        "expected": Count("pk"),
        "submitted": Count("pk", filter=submitted),
        "on_time": Count("pk", filter=submitted & in_time),
        # Late: sent after its deadline, or not sent and the deadline has passed.
        "late": Count(
            "pk",
            filter=(submitted & ~in_time) | (~submitted & Q(due_date__lt=today)),
        ),
        "returned": Count("pk", filter=Q(status=ReportStatus.RETURNED)),
        "approved": Count("pk", filter=Q(status__in=APPROVED_STATUSES)),
    }


def board(*, campaign: Campaign, root: Unit, today: dt.date) -> Board:
    """The submission board of *campaign* under *root*: per child of *root* (the root's
    own report under the root) the expected, submitted, on-time, late, returned and
    approved reports; two queries whatever the number of units (counts grouped by the
    child's path prefix in SQL, then the child units' names)."""
    depth = len(root.path) + tree.SEGMENT
    grouped = (
        Report.objects.filter(access.subtree_q(root, "unit__"), campaign=campaign)
        .annotate(child=Substr("unit__path", 1, depth))
        .values("child")
        .annotate(**_counts(today))
        .order_by("child")
    )
    result = Board(root=root)
    for row in grouped:
        child = row.pop("child")
        result.rows.append(BoardRow(path=child, **row))
    units = {u.path: u for u in Unit.objects.filter(path__in=[r.path for r in result.rows])}
    for r in result.rows:
        # The root's own report is grouped under the root's path (shorter than a child's).
        r.unit = units.get(r.path, root if r.path == root.path else None)
        for name in ("expected", "submitted", "on_time", "late", "returned", "approved"):
            setattr(result.total, name, getattr(result.total, name) + getattr(r, name))
    result.rows.sort(key=lambda r: (r.path != root.path, r.unit.name if r.unit else r.path))
    return result


def board_reports(*, campaign: Campaign, root: Unit) -> QuerySet[Report]:
    """The reports under *root*, one per unit, for the board's per-unit table."""
    return (
        Report.objects.filter(access.subtree_q(root, "unit__"), campaign=campaign)
        .select_related("unit")
        .order_by("unit__path")
    )
