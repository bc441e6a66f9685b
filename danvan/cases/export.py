"""The case statistics as an Excel workbook ("Xuất Excel" on the statistics page).

Counts only, the same numbers as the page: no sender, no alias, no content. Senders'
identities never go into exports (Law on Denunciations 2018, art. 8; domain.md §5, §7).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from danvan.core.excel import Workbook

from .selectors import TIMING_KEYS

if TYPE_CHECKING:
    from .views import StatsTables

_BOLD = Font(bold=True)


def _table(
    ws: Worksheet, title: str, header: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    ws.append([])
    ws.append([title])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=12)
    ws.append(list(header))
    for cell in ws[ws.max_row]:
        cell.font = _BOLD
    for row in rows:
        ws.append(list(row))


def stats_workbook(tables: StatsTables) -> bytes:
    """The .xlsx bytes of *tables*: one sheet with the heading and the four tables."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Thống kê vụ việc")[:31]
    ws.append([_("Thống kê vụ việc khiếu nại, tố cáo, phản ánh, kiến nghị")])
    ws["A1"].font = Font(bold=True, size=13)
    scope = f"{tables.unit.name} ({tables.unit.code})" if tables.unit else tables.scope_label
    ws.append([_("Đơn vị (gồm các đơn vị trực thuộc)"), scope])
    ws.append(
        [
            _("Vụ việc nhận trong thời gian"),
            f"{tables.start:%d/%m/%Y} – {tables.end:%d/%m/%Y}",
        ]
    )
    ws.append([_("Tổng số vụ việc"), tables.total])
    ws.append([_("Xuất lúc"), timezone.localtime().strftime("%d/%m/%Y %H:%M")])
    count = _("Số vụ việc")
    _table(ws, _("Theo loại vụ việc"), [_("Loại"), count], tables.by_kind)
    _table(ws, _("Theo trạng thái"), [_("Trạng thái"), count], tables.by_status)
    _table(ws, _("Theo thời hạn giải quyết"), [_("Tình trạng"), count], tables.timing)
    ws.append([_("Tỷ lệ kết thúc đúng hạn (trên số vụ việc đã kết thúc)"), tables.on_time_rate])
    _table(
        ws,
        _("Theo thời gian nhận"),
        [_("Thời gian nhận"), count, *(label for label, _n in tables.timing), _("Tỷ lệ đúng hạn")],
        [
            [row.label, row.counts["total"], *(row.counts[k] for k in TIMING_KEYS), row.rate_text]
            for row in tables.trend
        ],
    )
    _table(
        ws,
        _("Theo đơn vị xử lý"),
        [_("Đơn vị"), _("Mã đơn vị"), count],
        tables.by_unit,
    )
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 28
    ws.column_dimensions["C"].width = 14
    return wb.to_bytes()
