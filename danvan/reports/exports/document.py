"""What a report export holds, as plain data: the lead fills it from the campaign models.

No model is imported here: the Word and Excel writers (word.py, excel.py) take these
dataclasses, so they can be tested and measured without a database of reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from danvan.core.charts import Item, Series

Number = int | float | Decimal


@dataclass(frozen=True)
class IndicatorRow:
    """One figure of a section: this period, the period before, the same period a year
    before (None when there is none)."""

    label: str
    unit: str  # unit of measure: "hội nghị", "%", "người"
    value: Number | None
    previous: Number | None = None
    same_period_last_year: Number | None = None


@dataclass(frozen=True)
class ReportChart:
    """A bar chart drawn as a picture: one group of bars per item, one bar per series
    (core/charts.py's data)."""

    title: str
    items: Sequence[Item]
    series: Sequence[Series]


@dataclass(frozen=True)
class TableRow:
    """One row of a table indicator: its label, this period's figure, the period
    before's (None when there is none)."""

    label: str
    value: Number | None
    previous: Number | None = None


@dataclass(frozen=True)
class IndicatorTable:
    """A table indicator of a section ("Mô hình đăng ký theo lĩnh vực"): its rows and
    their total."""

    title: str
    unit: str  # unit of measure of every row
    rows: Sequence[TableRow]
    total: Number | None = None
    previous_total: Number | None = None


@dataclass(frozen=True)
class Section:
    title: str  # "I. KẾT QUẢ THỰC HIỆN"
    paragraphs: Sequence[str] = ()
    indicators: Sequence[IndicatorRow] = ()
    charts: Sequence[ReportChart] = ()  # drawn after the section's table
    tables: Sequence[IndicatorTable] = ()  # after the section's figures, before its charts


@dataclass(frozen=True)
class AnnexRow:
    """Where a figure came from (issue 13, item 4): the indicator, the query that counted
    it, the value and the records counted."""

    code: str
    label: str
    source_query: str
    unit: str
    value: Number | None
    record_count: int | None
    origin: str = ""  # e.g. "sổ phong trào, 124 đơn vị báo cáo"


@dataclass(frozen=True)
class ChildRow:
    unit_name: str
    values: Sequence[Number | None]  # one per ChildTable.indicators


@dataclass(frozen=True)
class ChildTable:
    """The figures of each child unit, one column per indicator."""

    title: str
    indicators: Sequence[str]  # column headings
    rows: Sequence[ChildRow]


@dataclass(frozen=True)
class ReportDocument:
    family: str  # "state" | "party"
    superior_body: str
    issuer_body: str
    number: str
    place: str
    issued_on: dt.date
    doc_type_title: str  # "BÁO CÁO"
    excerpt: str
    signing_authority: str
    signer_position: str
    signer_name: str
    recipients: Sequence[str]
    sections: Sequence[Section] = ()
    charts: Sequence[ReportChart] = ()  # after the sections
    children: ChildTable | None = None
    # The children's rows of each table indicator: one table each, a column per row.
    child_tables: Sequence[ChildTable] = ()
    annex: Sequence[AnnexRow] = ()


@dataclass(frozen=True)
class Level:
    """One sheet of the indicators' workbook: a level of units ("Tỉnh", "Xã"), the
    indicators' headings, and a row per unit (an iterable: read once, as it is written)."""

    name: str
    indicators: Sequence[str]
    units_of_measure: Sequence[str] = field(default_factory=tuple)
    rows: Iterable[ChildRow] = ()
