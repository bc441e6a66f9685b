"""A campaign report as its Word document and its workbook (issue 13, items 4 and 5).

The report's figures, narratives, children and sources are read here and handed, as
plain data (reports/exports/document.py), to the one Word writer in the issuer's layout
and to the one Excel writer. Every figure is traceable in the file: the annex lists each
indicator with the query that counted it (or "đơn vị nhập"), its value and the number of
records the snapshot counted, and where the unit corrected a computed figure, its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

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
    Level,
    ReportChart,
    ReportDocument,
    Section,
)
from danvan.reports.exports.excel import indicators_xlsx_chunks
from danvan.reports.exports.word import report_docx
from danvan.reports.indicators import get_query
from danvan.reports.models import Indicator, IssuerKind, Source
from danvan.units.models import UnitKind

from . import rollup, selectors
from .models import Report

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
    indicators = list(Indicator.objects.filter(template_id=campaign.template_id).order_by("order"))
    previous = selectors.previous_values(report)
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

    sections = []
    for section in campaign.template.sections.order_by("order"):
        text = narratives.get(section.pk, "")
        sections.append(
            Section(
                title=section.title.upper(),
                paragraphs=[line.strip() for line in text.splitlines() if line.strip()],
                indicators=[row(i) for i in indicators if i.section_id == section.pk],
            )
        )
    loose = [row(i) for i in indicators if i.section_id is None]
    if loose:
        sections.append(Section(title=_("CÁC CHỈ TIÊU KHÁC"), indicators=loose))
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
    lines = rollup.contributions(report)
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
    annex = []
    for indicator in indicators:
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
        annex=annex,
    )


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
    the chunks of a streamed .xlsx."""
    indicators = list(
        Indicator.objects.filter(template_id=report.campaign.template_id).order_by("order")
    )
    headings = [i.label for i in indicators]
    units = [i.unit_of_measure for i in indicators]
    own = {v.indicator_id: v.value for v in report.values.all()}
    levels = [
        Level(
            name=_level_name(report.unit.kind, str(report.unit.get_kind_display())),
            indicators=headings,
            units_of_measure=units,
            rows=[ChildRow(report.unit.name, [own.get(i.pk) for i in indicators])],
        )
    ]
    lines = rollup.contributions(report)
    by_kind: dict[str, list[ChildRow]] = {}
    for line in lines:
        by_kind.setdefault(line.report.unit.kind, []).append(
            ChildRow(line.report.unit.name, [line.values.get(i.pk) for i in indicators])
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
