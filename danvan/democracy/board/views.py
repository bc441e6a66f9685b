"""The steering committee's compliance board (/dan-chu/bang-theo-doi/) and its Excel
export: thin doors onto selectors.compliance_board and workbook.board_workbook."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from danvan.core.http import domain_http, paginate
from danvan.disclosure.views import period
from danvan.units.pages import with_unit

from .. import charts
from .selectors import ComplianceBoard, compliance_board
from .workbook import XLSX, board_workbook

# Units per page of the board: the heat map and the table of 25 units stay well under
# the ~100 KB a province page may weigh.
ROWS_PER_PAGE = 25


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
