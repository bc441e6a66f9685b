"""A campaign report as its Word document and its workbook (issue 13, items 4 and 5).

The report's figures, tables, narratives, children and sources are read here and handed,
as plain data (reports/exports/document.py), to the one Word writer in the issuer's
layout and to the one Excel writer. Every figure is traceable in the file: the annex lists
each indicator, and each row of each table, with the query that counted it (or "đơn vị
nhập"), its value and the number of records the snapshot counted, and where the unit
corrected a computed figure, its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core.charts import Item, Series
from danvan.core.text import fold
from danvan.reports.exports.document import (
    AnnexRow,
    ChildRow,
    ChildTable,
    IndicatorRow,
    IndicatorTable,
    Level,
    ReportChart,
    ReportDocument,
    Section,
    TableRow,
)
from danvan.reports.exports.excel import indicators_xlsx_chunks
from danvan.reports.exports.word import report_docx
from danvan.reports.indicators import get_query, get_table_query
from danvan.reports.models import Indicator, IssuerKind, Source
from danvan.units.models import UnitKind

from . import rollup, selectors
from .models import Report, ReportCell

DOC_TYPE_TITLE = "BÁO CÁO"
DEFAULT_RECIPIENTS = ("- Lưu: VT.",)
# The bars: this period in the theme's blue, the period before in grey.
_NOW, _BEFORE = "#0d6efd", "#adb5bd"


def missing_for_word(report: Report) -> list[str]:
    """What the unit must record before the Word file can be made (the labels)."""
    needed = {
        "doc_number": _("số, ký hiệu văn bản"),
        "issuer_body": _("cơ quan ban hành"),
        "doc_place": _("địa danh"),
        "signing_authority": _("quyền hạn ký"),
        "signer_position": _("chức vụ người ký"),
        "signer_name": _("họ tên người ký"),
    }
    return [str(label) for field, label in needed.items() if not getattr(report, field)]


def build(report: Report) -> ReportDocument:
    """The report as plain data for the Word writer."""
    campaign = report.campaign
    values = {v.indicator_id: v for v in report.values.select_related("indicator")}
    everything = list(Indicator.objects.filter(template_id=campaign.template_id).order_by("order"))
    indicators = [i for i in everything if not i.is_table]
    tables = [i for i in everything if i.is_table]
    blocks = {b.indicator.pk: b for b in selectors.value_tables(report)} if tables else {}
    previous_report = selectors.previous_report(report)
    previous = selectors.values_of(previous_report)
    previous_cells = selectors.cells_of(previous_report) if tables else {}
    last_year = selectors.values_of(selectors.last_year_report(report))
    narratives = {n.section_id: n.text for n in report.narratives.all()}

    def row(indicator: Indicator) -> IndicatorRow:
        value = values.get(indicator.pk)
        return IndicatorRow(
            label=indicator.label,
            unit=indicator.unit_of_measure,
            value=value.value if value is not None else None,
            previous=previous.get(indicator.code),
            same_period_last_year=last_year.get(indicator.code),
        )

    def table(indicator: Indicator) -> IndicatorTable:
        block = blocks[indicator.pk]
        before = [previous_cells.get((indicator.code, r.key)) for r in block.rows]
        return IndicatorTable(
            title=indicator.label,
            unit=indicator.unit_of_measure,
            rows=[
                TableRow(label=r.label, value=r.value, previous=b)
                for r, b in zip(block.rows, before, strict=True)
            ],
            total=block.total,
            previous_total=_sum(before) if previous_report is not None else None,
        )

    sections = []
    for section in campaign.template.sections.order_by("order"):
        text = narratives.get(section.pk, "")
        sections.append(
            Section(
                title=section.title.upper(),
                paragraphs=[line.strip() for line in text.splitlines() if line.strip()],
                indicators=[row(i) for i in indicators if i.section_id == section.pk],
                tables=[table(i) for i in tables if i.section_id == section.pk],
            )
        )
    loose = [row(i) for i in indicators if i.section_id is None]
    loose_tables = [table(i) for i in tables if i.section_id is None]
    if loose or loose_tables:
        sections.append(
            Section(title=_("CÁC CHỈ TIÊU KHÁC"), indicators=loose, tables=loose_tables)
        )
    numbers = [i for i in indicators if values.get(i.pk) and values[i.pk].value is not None]
    charts = []
    if numbers and previous:
        charts.append(
            ReportChart(
                title=_("So sánh với kỳ trước"),
                items=[
                    Item(
                        label=i.label,
                        values={
                            "now": float(values[i.pk].value or 0),
                            "before": float(previous.get(i.code) or 0),
                        },
                    )
                    for i in numbers
                ],
                series=[
                    Series(key="now", label=_("Kỳ này"), fill=_NOW),
                    Series(key="before", label=_("Kỳ trước"), fill=_BEFORE),
                ],
            )
        )
    children = None
    child_tables = []
    entry = rollup.rollup_of(report)
    lines = rollup.contributions(report, entry) if entry is not None else []
    if lines:
        children = ChildTable(
            title=_("SỐ LIỆU CỦA CÁC ĐƠN VỊ CẤP DƯỚI"),
            indicators=[i.label for i in indicators],
            rows=[
                ChildRow(
                    unit_name=line.report.unit.name
                    + ("" if line.counted else " " + _("(chưa duyệt)")),
                    values=[line.values.get(i.pk) for i in indicators],
                )
                for line in lines
            ],
        )
    if lines and entry is not None:
        for indicator in tables:
            keys = entry.table_rows(indicator.pk)
            child_tables.append(
                ChildTable(
                    title=_("%(label)s, theo đơn vị cấp dưới") % {"label": indicator.label},
                    indicators=[label for _key, label in keys],
                    rows=[
                        ChildRow(
                            unit_name=line.report.unit.name
                            + ("" if line.counted else " " + _("(chưa duyệt)")),
                            values=[line.cells.get(indicator.pk, {}).get(k) for k, _l in keys],
                        )
                        for line in lines
                    ],
                )
            )
    annex = []
    for indicator in everything:  # in the template's order, a table by its rows
        if indicator.is_table:
            annex.extend(_annex_rows(indicator, blocks))
            continue
        value = values.get(indicator.pk)
        query = get_query(indicator.query) if indicator.source == Source.COMPUTED else None
        origin = (
            _("đơn vị nhập")
            if indicator.source == Source.MANUAL
            else str(query.label if query else "")
        )
        if value is not None and value.override is not None:
            origin = _("điều chỉnh: %(reason)s") % {"reason": value.override_reason}
        annex.append(
            AnnexRow(
                code=indicator.code,
                label=indicator.label,
                source_query=indicator.query if indicator.source == Source.COMPUTED else "",
                unit=indicator.unit_of_measure,
                value=value.value if value is not None else None,
                record_count=(
                    int(value.computed)
                    if value is not None and value.computed is not None
                    else None
                ),
                origin=origin,
            )
        )
    period = _("từ %(start)s đến %(end)s") % {
        "start": campaign.period_start.strftime("%d/%m/%Y"),
        "end": campaign.period_end.strftime("%d/%m/%Y"),
    }
    return ReportDocument(
        family="party" if campaign.regime.issuer_kind == IssuerKind.PARTY else "state",
        superior_body=report.superior_body.upper(),
        issuer_body=report.issuer_body.upper(),
        number=report.doc_number,
        place=report.doc_place,
        issued_on=timezone.localdate(),
        doc_type_title=DOC_TYPE_TITLE,
        excerpt=f"{campaign.template.name} ({period})",
        signing_authority=report.signing_authority,
        signer_position=report.signer_position.upper(),
        signer_name=report.signer_name,
        recipients=[line.strip() for line in report.recipients.splitlines() if line.strip()]
        or list(DEFAULT_RECIPIENTS),
        sections=sections,
        charts=charts,
        children=children,
        child_tables=child_tables,
        annex=annex,
    )


def _sum(figures: list[Decimal | None]) -> Decimal | None:
    stated = [f for f in figures if f is not None]
    return sum(stated, Decimal(0)) if stated else None


def _annex_rows(indicator: Indicator, blocks: dict[int, selectors.TableBlock]) -> list[AnnexRow]:
    """A table's rows in the annex: each row's code (<table>.<row>), its source query and
    the records it counted (a figure a user cannot trace is a defect, issue 13 item 4)."""
    query = get_table_query(indicator.query) if indicator.source == Source.COMPUTED else None
    found = []
    for row in blocks[indicator.pk].rows:
        cell: ReportCell | None = row.cell
        if indicator.source == Source.MANUAL:
            origin = _("đơn vị nhập")
        else:
            origin = str(query.label if query else "")
        if cell is not None and cell.override is not None:
            origin = _("điều chỉnh: %(reason)s") % {"reason": cell.override_reason}
        found.append(
            AnnexRow(
                code=f"{indicator.code}.{row.key}",
                label=f"{indicator.label}: {row.label}",
                source_query=indicator.query if query is not None else "",
                unit=indicator.unit_of_measure,
                value=row.value,
                record_count=(
                    int(cell.computed) if cell is not None and cell.computed is not None else None
                ),
                origin=origin,
            )
        )
    return found


def word(report: Report) -> bytes:
    return report_docx(build(report))


def file_name(report: Report, extension: str) -> str:
    """An ASCII name for the download: bao-cao-xa-a-bao-cao-6-thang-….docx."""
    # The unit first: a campaign's title is long and the same for every unit of it.
    unit = re.sub(r"[^a-z0-9]+", "-", fold(report.unit.name)).strip("-")
    title = re.sub(r"[^a-z0-9]+", "-", fold(report.campaign.title)).strip("-")
    return f"bao-cao-{unit or 'don-vi'}-{title}"[:100].rstrip("-") + f".{extension}"


_LEVEL_NAMES = {UnitKind.PROVINCE: gettext_lazy("Tỉnh"), UnitKind.COMMUNE: gettext_lazy("Xã")}


def _level_name(kind: str, fallback: str) -> str:
    name = _LEVEL_NAMES.get(UnitKind(kind)) if kind in UnitKind.values else None
    return str(name) if name is not None else fallback


def workbook(report: Report) -> Iterator[bytes]:
    """The indicators of *report* and of its children, one sheet per level of units, as
    the chunks of a streamed .xlsx. A table indicator gives a column per row ("Mô hình
    đăng ký theo lĩnh vực: Kinh tế"), its rows being those of the report or its children."""
    everything = list(
        Indicator.objects.filter(template_id=report.campaign.template_id).order_by("order")
    )
    entry = rollup.rollup_of(report)
    lines = rollup.contributions(report, entry) if entry is not None else []
    own_rows: dict[int, dict[str, tuple[int, str]]] = {}
    own_cells: dict[tuple[int, str], Decimal | None] = {}
    for cell in report.cells.all():
        own_rows.setdefault(cell.indicator_id, {})[cell.row_key] = (cell.row_order, cell.row_label)
        own_cells[(cell.indicator_id, cell.row_key)] = cell.value
    # One column per number indicator, one per row of each table, in the template's order.
    columns: list[tuple[Indicator, str | None]] = []
    headings, units = [], []
    for indicator in everything:
        if not indicator.is_table:
            columns.append((indicator, None))
            headings.append(indicator.label)
            units.append(indicator.unit_of_measure)
            continue
        known = dict(entry.row_labels.get(indicator.pk, {})) if entry is not None else {}
        for key, seen in own_rows.get(indicator.pk, {}).items():
            known.setdefault(key, seen)
        for key, (_order, label) in sorted(known.items(), key=lambda r: (r[1][0], r[0])):
            columns.append((indicator, key))
            headings.append(f"{indicator.label}: {label}")
            units.append(indicator.unit_of_measure)
    own = {v.indicator_id: v.value for v in report.values.all()}

    def own_figure(indicator: Indicator, key: str | None) -> Decimal | None:
        return own.get(indicator.pk) if key is None else own_cells.get((indicator.pk, key))

    def child_figure(line: rollup.Contribution, indicator: Indicator, key: str | None) -> Any:
        if key is None:
            return line.values.get(indicator.pk)
        return line.cells.get(indicator.pk, {}).get(key)

    levels = [
        Level(
            name=_level_name(report.unit.kind, str(report.unit.get_kind_display())),
            indicators=headings,
            units_of_measure=units,
            rows=[ChildRow(report.unit.name, [own_figure(i, k) for i, k in columns])],
        )
    ]
    by_kind: dict[str, list[ChildRow]] = {}
    for line in lines:
        by_kind.setdefault(line.report.unit.kind, []).append(
            ChildRow(line.report.unit.name, [child_figure(line, i, k) for i, k in columns])
        )
    for kind, rows in by_kind.items():
        levels.append(
            Level(
                name=_level_name(kind, kind),
                indicators=headings,
                units_of_measure=units,
                rows=rows,
            )
        )
    return indicators_xlsx_chunks(levels)
