"""The movement's statistics over the API: a thin door onto danvan.movement.stats.selectors.

The same numbers as the statistics page, with the same policy checks: a unit the
actor may not see answers 404 like a missing one; a unit seen only as an ancestor of
the actor's own answers 403. Each number also comes with the address of the list
page that shows the entries behind it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from danvan.core.errors import DomainError, NotFound
from danvan.movement.models import Period
from danvan.movement.stats import selectors as stats
from danvan.movement.stats.selectors import MILESTONE_KEYS, Row

from .auth import request_actor
from .schemas import UnitRef

router = Router(tags=["Dân vận khéo"])


class StatsQuery(Schema):
    unit: str | None = Field(
        None,
        max_length=32,
        description=(
            "Mã đơn vị (gồm các đơn vị trực thuộc). Bỏ trống: toàn quốc với quyền cấp quốc"
            " gia, nếu không thì đơn vị cao nhất bạn được xem."
        ),
    )
    year: int | None = Field(None, ge=2000, le=2100, description="Năm đăng ký.")
    period: int | None = Field(None, ge=1, description="Mã (id) giai đoạn; không dùng cùng `year`.")
    restated: bool = Field(
        False, description="Tính cả đơn vị cũ đã sáp nhập vào đơn vị này (số liệu quy đổi)."
    )


class CountsOut(Schema):
    registered: int
    in_progress: int
    recognized: int
    exemplary: int
    replicated: int
    commended: int


class ChangeOut(Schema):
    absolute: int
    percent: float | None = Field(
        description="Phần trăm so với kỳ trước; null khi kỳ trước bằng 0."
    )


class RowOut(Schema):
    key: str = Field(description="Mã lĩnh vực, mã đơn vị, loại hình đơn vị hoặc năm.")
    label: str
    note: str
    counts: CountsOut
    previous: CountsOut | None = Field(description="Kỳ trước (null khi không có kỳ trước).")
    change: dict[str, ChangeOut | None]
    links: dict[str, str] = Field(description="Trang danh sách các mô hình sau mỗi con số.")


class StatsPeriodOut(Schema):
    id: int
    name: str
    start_year: int
    end_year: int


class StatsOut(Schema):
    unit: UnitRef | None = Field(description="Đơn vị; null: toàn quốc.")
    restated: bool
    year: int | None
    period: StatsPeriodOut | None
    label: str
    previous_label: str
    restated_from: list[UnitRef]
    totals: RowOut
    by_field: list[RowOut]
    by_subunit: list[RowOut]
    by_unit_kind: list[RowOut]
    by_year: list[RowOut]


def _row(row: Row) -> dict[str, Any]:
    list_url = reverse("movement:list")
    return {
        "key": row.key,
        "label": row.label,
        "note": row.note,
        "counts": row.counts,
        "previous": row.previous,
        "change": {k: (vars(c) if c is not None else None) for k, c in row.changes.items()},
        "links": {
            key: f"{list_url}?{urlencode(stats.list_query(row.filters, key))}"
            for key in MILESTONE_KEYS
        },
    }


@router.get(
    "/movement/stats",
    response=StatsOut,
    summary="Thống kê phong trào “Dân vận khéo”",
    description=(
        "Số mô hình, điển hình đăng ký, đang thực hiện, được công nhận, tiêu biểu, được nhân"
        " rộng, được khen thưởng của một đơn vị (gồm các đơn vị trực thuộc) trong một năm hoặc"
        " giai đoạn (theo năm đăng ký): tổng số, theo lĩnh vực, theo đơn vị trực thuộc, theo"
        " loại hình đơn vị và theo năm, kèm mức tăng/giảm so với kỳ trước. Không chọn năm và"
        " giai đoạn: năm gần nhất có số liệu."
    ),
)
def movement_stats(request: HttpRequest, filters: Query[StatsQuery]) -> dict[str, Any]:
    actor = request_actor(request)
    if filters.year is not None and filters.period is not None:
        raise DomainError(
            "stats_year_and_period",
            _("Chọn năm hoặc giai đoạn, không chọn cả hai."),
            field="period",
        )
    try:
        unit = stats.stats_unit(actor=actor, code=filters.unit)
    except NotFound:
        raise NotFound(
            _("Không tìm thấy đơn vị mã “%(code)s”.") % {"code": filters.unit},
            code="unit_not_found",
        ) from None
    period = None
    if filters.period is not None:
        period = Period.objects.filter(pk=filters.period).first()
        if period is None:
            raise NotFound(_("Không tìm thấy giai đoạn này."), code="period_not_found")
    year = filters.year
    if year is None and period is None:
        year = stats.latest_year(actor=actor, unit=unit, restated=filters.restated)
    result = stats.movement_statistics(
        actor=actor, unit=unit, year=year, period=period, restated=filters.restated
    )
    return {
        "unit": result.unit,
        "restated": result.restated,
        "year": result.window.year,
        "period": result.window.period,
        "label": result.window.label,
        "previous_label": result.window.previous_label,
        "restated_from": result.restated_from,
        "totals": _row(result.totals),
        "by_field": [_row(r) for r in result.by_field],
        "by_subunit": [_row(r) for r in result.by_subunit],
        "by_unit_kind": [_row(r) for r in result.by_unit_kind],
        "by_year": [_row(r) for r in result.by_year],
    }
