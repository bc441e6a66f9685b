"""The tasks board as an Excel workbook (.xlsx), every row (the page shows 50 at a time).
Written through danvan.core.excel: every value is text or a number, never a formula."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from danvan.core.excel import Workbook

from .selectors import Counts, Line, TaskBoard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _header() -> list[str]:
    return [
        _("Tổng số"),
        _("Hoàn thành đúng hạn"),
        _("Hoàn thành quá hạn"),
        _("Chưa hoàn thành, trong hạn"),
        _("trong đó sắp đến hạn"),
        _("Chưa hoàn thành, quá hạn"),
        _("Tỷ lệ đúng hạn (%)"),
        _("Tỷ lệ quá hạn (%)"),
        _("Cùng kỳ năm trước: tổng số"),
        _("Cùng kỳ năm trước: tỷ lệ đúng hạn (%)"),
        _("Cùng kỳ năm trước: tỷ lệ quá hạn (%)"),
    ]


def _rate(value: float | None) -> Any:
    return "" if value is None else value


def _numbers(now: Counts, before: Counts) -> list[Any]:
    return [
        now.total,
        now.done_on_time,
        now.done_late,
        now.open_in_time,
        now.due_soon,
        now.overdue,
        _rate(now.on_time_rate),
        _rate(now.overdue_rate),
        before.total,
        _rate(before.on_time_rate),
        _rate(before.overdue_rate),
    ]


def _table(ws: Any, title: str, first: list[str], lines: list[Line], key: Any) -> None:
    ws.append([title])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    ws.append([*first, *_header()])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for line in lines:
        ws.append([*key(line), *_numbers(line.counts, line.last_year)])
    ws.append([])


def board_workbook(board: TaskBoard) -> bytes:
    """The .xlsx bytes of *board*: the total, then one row per source kind, then one row
    per child unit (late work first, as on the page)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Theo dõi nhiệm vụ")[:31]
    ws.append([_("Bảng theo dõi thực hiện nhiệm vụ")])
    ws["A1"].font = Font(bold=True, size=13)
    where = f"{board.unit.name} ({board.unit.code})" if board.unit else _("Toàn quốc")
    ws.append([_("Đơn vị (gồm các đơn vị trực thuộc)"), where])
    p, q = board.period, board.previous
    ws.append([_("Kỳ (theo hạn hoàn thành)"), f"{p.start:%d/%m/%Y} – {p.end:%d/%m/%Y}"])
    ws.append([_("Tình trạng tính đến ngày"), f"{board.as_of:%d/%m/%Y}"])
    ws.append([_("Cùng kỳ năm trước"), f"{q.start:%d/%m/%Y} – {q.end:%d/%m/%Y}"])
    ws.append([_("Xuất lúc"), timezone.localtime().strftime("%d/%m/%Y %H:%M")])
    ws.append([])
    _table(ws, _("Tổng cộng"), [""], [board.total], lambda line: [line.label])
    _table(ws, _("Theo nguồn giao"), [_("Nguồn giao")], board.sources, lambda line: [line.label])
    _table(
        ws,
        _("Theo đơn vị chủ trì (gồm các đơn vị trực thuộc)"),
        [_("Mã đơn vị"), _("Đơn vị")],
        board.rows,
        lambda line: [line.unit.code if line.unit else "", line.label],
    )
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 36
    return wb.to_bytes()
