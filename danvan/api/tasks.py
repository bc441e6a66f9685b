"""The tasks board through the API (mounted under /api/v1/): the same numbers as the page
/nhiem-vu/bang-theo-doi/ (danvan.directives.tasks.board.selectors)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from danvan.core.errors import DomainError
from danvan.directives.tasks.board.selectors import Counts, Line, board_unit, task_board

from .auth import request_actor

router = Router(tags=["Theo dõi nhiệm vụ"])


class TaskBoardFilters(Schema):
    unit: str | None = Field(
        None,
        max_length=32,
        description=(
            "Mã đơn vị: gồm cả các đơn vị trực thuộc. Bỏ trống: toàn quốc với quyền cấp quốc"
            " gia, nếu không thì đơn vị cao nhất bạn được xem nhiệm vụ."
        ),
    )
    from_: dt.date | None = Field(
        None, alias="from", description="Hạn hoàn thành từ ngày; mặc định 1/1 năm nay."
    )
    to: dt.date | None = Field(None, description="Hạn hoàn thành đến ngày; mặc định 31/12 năm nay.")


class CountsOut(Schema):
    total: int
    done_on_time: int = Field(description="Hoàn thành đúng hạn.")
    done_late: int = Field(description="Hoàn thành quá hạn.")
    open_in_time: int = Field(description="Chưa hoàn thành, trong hạn (gồm sắp đến hạn).")
    due_soon: int = Field(description="Trong đó sắp đến hạn (5 ngày làm việc).")
    open_overdue: int = Field(description="Chưa hoàn thành, quá hạn.")
    on_time_rate: float | None = Field(description="Tỷ lệ hoàn thành đúng hạn (%).")
    overdue_rate: float | None = Field(description="Tỷ lệ chưa hoàn thành, quá hạn (%).")
    late_rate: float | None = Field(description="Tỷ lệ trễ hạn: hoàn thành quá hạn + quá hạn (%).")


class LineOut(Schema):
    key: str
    label: str
    unit_code: str | None
    own: bool = Field(description="Nhiệm vụ do chính đơn vị được xem chủ trì.")
    counts: CountsOut
    last_year: CountsOut


class TaskBoardOut(Schema):
    unit_code: str | None = Field(description="Mã đơn vị; null: toàn quốc (theo tỉnh).")
    start: dt.date
    end: dt.date
    as_of: dt.date = Field(description="Tình trạng tính đến ngày: ngày cuối kỳ hoặc hôm nay.")
    last_year_start: dt.date
    last_year_end: dt.date
    last_year_as_of: dt.date
    total: LineOut
    sources: list[LineOut]
    units: list[LineOut] = Field(description="Theo đơn vị trực thuộc, việc trễ hạn trước.")


def _counts(c: Counts) -> dict[str, Any]:
    return {
        "total": c.total,
        **c.four_way(),
        "due_soon": c.due_soon,
        "on_time_rate": c.on_time_rate,
        "overdue_rate": c.overdue_rate,
        "late_rate": c.late_rate,
    }


def _line(line: Line) -> dict[str, Any]:
    return {
        "key": line.key,
        "label": line.label,
        "unit_code": line.unit.code if line.unit is not None else None,
        "own": line.own,
        "counts": _counts(line.counts),
        "last_year": _counts(line.last_year),
    }


@router.get(
    "/tasks/board",
    response=TaskBoardOut,
    summary="Bảng theo dõi thực hiện nhiệm vụ",
    description="Các nhiệm vụ có hạn hoàn thành trong kỳ, theo đơn vị chủ trì (gồm các đơn vị "
    "trực thuộc), theo bốn tình trạng của Văn phòng Chính phủ, theo nguồn giao và theo đơn vị "
    "trực thuộc, so với cùng kỳ năm trước; nhiệm vụ đã hủy không tính.",
)
def board(request: HttpRequest, filters: Query[TaskBoardFilters]) -> dict[str, Any]:
    actor = request_actor(request)
    # The same unit as the web board: the one named, else the user's (the country for a
    # national reader); a unit out of scope answers like a missing one.
    unit = board_unit(user=actor, code=filters.unit)
    now = timezone.localdate()
    start = filters.from_ or dt.date(now.year, 1, 1)
    end = filters.to or dt.date(now.year, 12, 31)
    if end < start:
        raise DomainError("bad_date", _("Ngày kết thúc không được trước ngày bắt đầu."), field="to")
    found = task_board(user=actor, unit=unit, start=start, end=end, today=now)
    return {
        "unit_code": unit.code if unit is not None else None,
        "start": start,
        "end": end,
        "as_of": found.as_of,
        "last_year_start": found.previous.start,
        "last_year_end": found.previous.end,
        "last_year_as_of": found.previous_as_of,
        "total": _line(found.total),
        "sources": [_line(line) for line in found.sources],
        "units": [_line(line) for line in found.rows],
    }
