"""The steering committee's compliance board (/dan-chu/bang-theo-doi/) and its Excel
export: thin doors onto board.compliance_board."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from danvan.core.http import domain_http, paginate
from danvan.disclosure.views import period
from danvan.units.pages import with_unit

from . import charts
from .board import ComplianceBoard, Status, compliance_board

# Units per page of the board: the heat map and the table of 25 units stay well under
# the ~100 KB a province page may weigh.
ROWS_PER_PAGE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FILLS = {
    Status.DONE: PatternFill("solid", fgColor="C6EFCE"),
    Status.LATE: PatternFill("solid", fgColor="FFEB9C"),
    Status.MISSING: PatternFill("solid", fgColor="FFC7CE"),
}


def _board(request: HttpRequest) -> tuple[dict[str, Any], ComplianceBoard | None, int]:
    form, unit, start, end = period(request)
    context: dict[str, Any] = {
        "unit": unit,
        "form": form,
        "start": start,
        "end": end,
        "board": None,
    }
    if unit is None:
        # No unit: nothing to show yet, or the typed unit was refused (the form says why).
        return context, None, 400 if form.errors else 200
    if not form.is_valid():
        return context, None, 400
    board = compliance_board(
        user=request.user, unit=unit, start=start, end=end, today=timezone.localdate()
    )
    context["board"] = board
    return context, board, 200


@login_required
@domain_http
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """The board on the web: totals first, then one row per child unit when the board's
    units lie deeper than the unit's children, then the units (only those late or
    missing something, unless asked for all) as a heat map and a table, a page at a time
    (issue 10: a province page stays under ~100 KB). The Excel export keeps every row."""
    context, found, status = _board(request)
    if found is not None:
        problems_only = request.GET.get("problems", "1") != "0"
        rows = [r for r in found.rows if r.has_problems] if problems_only else found.rows
        page, query = paginate(request, rows, ROWS_PER_PAGE)
        children = found.by_child()
        dates = {"from": context["form"].data["from"], "to": context["form"].data["to"]}
        unit = found.unit
        context.update(
            {
                "excel_query": urlencode({"unit": unit.code, **dates}),
                "problems_only": problems_only,
                "page": page,
                "query": query,
                "heatmap": charts.board_heatmap(list(page.object_list)),
                # Only worth a table when it folds the units at least in half (a
                # nation's communes by province), not for a province's own communes.
                "children": children if 2 * len(children) <= len(found.rows) else [],
                "period_query": urlencode(dates),
                "problems_url": with_unit("democracy:board", unit, problems="1", **dates),
                "all_url": with_unit("democracy:board", unit, problems="0", **dates),
            }
        )
    return render(request, "democracy/board.html", context, status=status)


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
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@login_required
@domain_http
@require_GET
def board_excel(request: HttpRequest) -> HttpResponse:
    context, found, status = _board(request)
    if found is None:
        return render(request, "democracy/board.html", context, status=status or 400)
    response = HttpResponse(board_workbook(found), content_type=XLSX)
    name = f"bang-theo-doi-{found.unit.code}-{found.start:%Y%m%d}-{found.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
