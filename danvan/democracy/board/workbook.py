"""The compliance board as an Excel workbook (.xlsx): what the steering committee files
or forwards, with every unit of the board (the web page shows a page at a time)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font, PatternFill

from danvan.core.excel import Workbook

from .selectors import ComplianceBoard, Status

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's own "Good", "Neutral" and "Bad" cell fills, which spreadsheet users read at a
# glance; a cell not applicable stays blank.
_FILLS = {
    Status.DONE: PatternFill("solid", fgColor="C6EFCE"),
    Status.LATE: PatternFill("solid", fgColor="FFEB9C"),
    Status.MISSING: PatternFill("solid", fgColor="FFC7CE"),
}


def board_workbook(board: ComplianceBoard) -> bytes:
    """The .xlsx bytes of *board*: one row per unit, one column per obligation (status
    label and count), totals per obligation below."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Bảng theo dõi")[:31]
    ws.append([_("Bảng theo dõi thực hiện dân chủ ở cơ sở")])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([_("Đơn vị (gồm các đơn vị trực thuộc)"), f"{board.unit.name} ({board.unit.code})"])
    ws.append([_("Kỳ theo dõi"), f"{board.start:%d/%m/%Y} – {board.end:%d/%m/%Y}"])
    ws.append([_("Xuất lúc"), timezone.localtime().strftime("%d/%m/%Y %H:%M")])
    ws.append([])
    header = [_("Mã đơn vị"), _("Đơn vị")]
    for ob in board.obligations:
        header += [str(ob.label), _("Số lượng")]
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.append(["", _("Căn cứ")] + [x for ob in board.obligations for x in (str(ob.citation), "")])
    for row in board.rows:
        values: list[Any] = [row.unit.code, row.unit.name]
        for ob in board.obligations:
            c = row.cells[ob.code]
            values += [c.label, c.count if c.status != Status.NOT_APPLICABLE else ""]
        ws.append(values)
        for i, ob in enumerate(board.obligations):
            fill = _FILLS.get(row.cells[ob.code].status)
            if fill is not None:
                ws.cell(row=ws.max_row, column=3 + 2 * i).fill = fill
    ws.append([])
    for status in Status.ORDER:
        totals = board.totals()
        line: list[Any] = ["", _("Tổng: %(s)s") % {"s": Status.LABELS[status]}]
        for ob in board.obligations:
            line += [totals[ob.code][status], ""]
        ws.append(line)
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 36
    return wb.to_bytes()
