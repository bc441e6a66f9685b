"""The tasks board (/nhiem-vu/bang-theo-doi/) and its Excel export: thin doors onto
selectors.task_board and workbook.board_workbook."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from danvan.accounts.policies import Perm
from danvan.core import charts
from danvan.core.http import domain_http, paginate
from danvan.units.pages import page_unit
from danvan.units.picker import national_view

from .forms import BoardForm
from .selectors import TaskBoard, task_board
from .workbook import XLSX, board_workbook

# Child units per page: a province's ~100 communes in two pages, each well under the
# ~100 KB a province page may weigh (danvan.core.page_budget).
ROWS_PER_PAGE = 50

# The four statuses of the Government Office, as bars (Excel's "good/neutral/bad" hues).
_SERIES = (
    charts.Series("done_on_time", _("Hoàn thành đúng hạn"), "#2e7d32"),
    charts.Series("done_late", _("Hoàn thành quá hạn"), "#f9a825"),
    charts.Series("open_in_time", _("Chưa hoàn thành, trong hạn"), "#1565c0"),
    charts.Series("open_overdue", _("Chưa hoàn thành, quá hạn"), "#c62828"),
)


def _board(request: HttpRequest) -> tuple[dict[str, Any], TaskBoard | None, int]:
    today = timezone.localdate()
    data = request.GET.copy()
    if not data.get("unit") and not data.get("unit_pick"):
        current = page_unit(request, "")
        if current is not None:
            data["unit"] = current.code
    form = BoardForm(data, actor=request.user, today=today)
    valid = form.is_valid()
    unit = form.cleaned_data.get("unit")
    national = valid and national_view(request.user, form, unit, Perm.DIRECTIVE_VIEW)
    context: dict[str, Any] = {
        "unit": unit,
        "form": form,
        "board": None,
        "national": national,
    }
    if not valid or (unit is None and not national):
        # No unit yet (nothing to show), or a refusal the form explains.
        return context, None, 400 if form.errors else 200
    found = task_board(
        user=request.user,
        unit=unit,
        start=form.cleaned_data["from"],
        end=form.cleaned_data["to"],
        today=today,
    )
    context["board"] = found
    return context, found, 200


def _period_query(found: TaskBoard) -> str:
    return urlencode(
        {"from": f"{found.period.start:%d/%m/%Y}", "to": f"{found.period.end:%d/%m/%Y}"}
    )


def _chart(found: TaskBoard) -> charts.Chart:
    now, before = found.total.counts.four_way(), found.total.last_year.four_way()
    urls = found.total.urls
    hrefs = {
        "done_on_time": urls.get("done_on_time", ""),
        "done_late": urls.get("done_late", ""),
        "open_overdue": urls.get("overdue", ""),
    }
    items = [
        charts.Item(_("Kỳ này"), now, hrefs=hrefs),
        charts.Item(_("Cùng kỳ năm trước"), before),
    ]
    return charts.horizontal("tasks-board-chart", _("Nhiệm vụ theo tình trạng"), items, _SERIES)


def _excel_query(found: TaskBoard) -> str:
    unit = f"{urlencode({'unit': found.unit.code})}&" if found.unit is not None else ""
    return unit + _period_query(found)


@login_required
@domain_http
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """Summary first (totals against last year, then by source), then the child units,
    late work first, 50 a page (the Excel file keeps every row)."""
    context, found, status = _board(request)
    if found is not None:
        page, query = paginate(request, found.rows, ROWS_PER_PAGE)
        context.update(
            {
                "page": page,
                "query": query,
                "chart": _chart(found),
                "excel_query": _excel_query(found),
                "period_query": _period_query(found),
                "past": found.as_of < timezone.localdate(),
            }
        )
    return render(request, "directive_tasks/board/board.html", context, status=status)


@login_required
@domain_http
@require_GET
def board_excel(request: HttpRequest) -> HttpResponse:
    context, found, status = _board(request)
    if found is None:
        return render(request, "directive_tasks/board/board.html", context, status=status or 400)
    response = HttpResponse(board_workbook(found), content_type=XLSX)
    code = found.unit.code if found.unit is not None else "toan-quoc"
    name = f"nhiem-vu-{code}-{found.period.start:%Y%m%d}-{found.period.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
