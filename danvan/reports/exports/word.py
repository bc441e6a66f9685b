"""A report as a Word document in the official layout of its issuer (issue 13, item 5).

The report is an `OfficialDocument` (legal/officialdoc.py), so the heading, number line,
place and date, title, recipients and signature follow the layout data in force on the
day of issue: Decree 30/2020/NĐ-CP for a State issuer, the Party layout (Regulation
399-QĐ/TW) for a Party one. This module only turns the report's content into blocks:
each section's title, its paragraphs, its table of figures, its table indicators (a row
per category and the total) and its charts (as pictures); the table per child unit (and
one per table indicator); and, after the signature on a page of its own, the annex that
names each figure's source query and counts (issue 13, item 4). Every table is handed to
the one writer (legal/officialdoc.py), which fills it row by row.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from danvan.legal.officialdoc import (
    Block,
    DataTable,
    Figure,
    OfficialDocument,
    SectionTitle,
    render_docx,
)

from .chart_png import bar_chart_png
from .document import ChildTable, IndicatorTable, ReportChart, ReportDocument, Section

CHART_WIDTH_CM = 16.0


def _indicator_table(section: Section, number: int) -> DataTable:
    return DataTable(
        header=[
            [
                _("STT"),
                _("Chỉ tiêu"),
                _("Đơn vị tính"),
                _("Kỳ này"),
                _("Kỳ trước"),
                _("Cùng kỳ năm trước"),
            ]
        ],
        rows=[
            [i, row.label, row.unit, row.value, row.previous, row.same_period_last_year]
            for i, row in enumerate(section.indicators, start=1)
        ],
        widths_cm=[1.1, 6.4, 2.2, 2.1, 2.1, 2.6],
        caption=_("Bảng %(n)s. %(title)s") % {"n": number, "title": section.title},
    )


def _table_indicator(table: IndicatorTable, number: int) -> DataTable:
    """A table indicator in place: STT, the row, this period, the period before; the
    total last."""
    unit = f" ({table.unit})" if table.unit else ""
    return DataTable(
        header=[[_("STT"), _("Nội dung"), _("Kỳ này") + unit, _("Kỳ trước")]],
        rows=[
            *[[i, row.label, row.value, row.previous] for i, row in enumerate(table.rows, start=1)],
            ["", _("Tổng cộng"), table.total, table.previous_total],
        ],
        widths_cm=[1.1, 9.3, 3.0, 3.1],
        caption=_("Bảng %(n)s. %(title)s") % {"n": number, "title": table.title},
    )


def _children_table(children: ChildTable, number: int) -> DataTable:
    columns = len(children.indicators)
    return DataTable(
        header=[[_("STT"), _("Đơn vị"), *children.indicators]],
        rows=[[i, row.unit_name, *row.values] for i, row in enumerate(children.rows, start=1)],
        widths_cm=[1.1, 5.0] + [10.4 / max(columns, 1)] * columns,
        caption=_("Bảng %(n)s. %(title)s") % {"n": number, "title": children.title},
    )


def _chart(chart: ReportChart, number: int) -> Figure:
    return Figure(
        png=bar_chart_png(chart.title, chart.items, chart.series),
        width_cm=CHART_WIDTH_CM,
        caption=_("Biểu đồ %(n)s. %(title)s") % {"n": number, "title": chart.title},
    )


def report_blocks(doc: ReportDocument) -> tuple[list[Block], list[Block]]:
    """The blocks of the body and of the annex, in order."""
    body: list[Block] = []
    tables = charts = 0
    for section in doc.sections:
        body.append(SectionTitle(section.title))
        body.extend(section.paragraphs)
        if section.indicators:
            tables += 1
            body.append(_indicator_table(section, tables))
        for table in section.tables:
            tables += 1
            body.append(_table_indicator(table, tables))
        for chart in section.charts:
            charts += 1
            body.append(_chart(chart, charts))
    for chart in doc.charts:
        charts += 1
        body.append(_chart(chart, charts))
    if doc.children is not None and doc.children.rows:
        tables += 1
        body.append(SectionTitle(doc.children.title))
        body.append(_children_table(doc.children, tables))
    for children in doc.child_tables:
        if children.rows:
            tables += 1
            body.append(_children_table(children, tables))
    annex: list[Block] = []
    if doc.annex:
        annex.append(SectionTitle(_("PHỤ LỤC: NGUỒN SỐ LIỆU CỦA CÁC CHỈ TIÊU")))
        annex.append(
            DataTable(
                header=[
                    [
                        _("STT"),
                        _("Mã"),
                        _("Chỉ tiêu"),
                        _("Truy vấn nguồn"),
                        _("ĐVT"),
                        _("Giá trị"),
                        _("Số bản ghi"),
                        _("Nguồn"),
                    ]
                ],
                rows=[
                    [
                        i,
                        row.code,
                        row.label,
                        row.source_query,
                        row.unit,
                        row.value,
                        row.record_count,
                        row.origin,
                    ]
                    for i, row in enumerate(doc.annex, start=1)
                ],
                widths_cm=[1.0, 1.5, 4.0, 3.0, 1.4, 1.8, 1.6, 2.2],
            )
        )
    return body, annex


def official_document(doc: ReportDocument) -> OfficialDocument:
    body, annex = report_blocks(doc)
    return OfficialDocument(
        family=doc.family,
        superior_body=doc.superior_body,
        issuer_body=doc.issuer_body,
        number=doc.number,
        place=doc.place,
        issued_on=doc.issued_on,
        doc_type_title=doc.doc_type_title,
        excerpt=doc.excerpt,
        body=body,
        signing_authority=doc.signing_authority,
        signer_position=doc.signer_position,
        signer_name=doc.signer_name,
        recipients=list(doc.recipients),
        annex=annex,
    )


def report_docx(doc: ReportDocument) -> bytes:
    """The report as the bytes of a .docx file in its issuer's layout (DomainError when
    no layout is in force on its day, or the signing words are another family's)."""
    return render_docx(official_document(doc))
