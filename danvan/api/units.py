"""The unit tree over the API: thin doors onto danvan.units.selectors.

Scoping is the selectors' job: a unit the actor may not see answers exactly like a
missing one (404), in the list as in the detail.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import LimitOffsetPagination, paginate

from danvan.core.errors import NotFound
from danvan.units import selectors
from danvan.units.models import Unit

from .auth import request_actor
from .schemas import UnitDetailOut, UnitFilters, UnitOut

router = Router(tags=["Đơn vị"])


@router.get(
    "/units",
    response=list[UnitOut],
    summary="Danh sách đơn vị",
    description=(
        "Các đơn vị bạn được xem, theo thứ tự cây. Phân trang bằng `limit`/`offset`;"
        " `count` là tổng số đơn vị khớp bộ lọc."
    ),
)
@paginate(LimitOffsetPagination)
def unit_list(request: HttpRequest, filters: Query[UnitFilters]) -> QuerySet[Unit]:
    actor = request_actor(request)
    parent = None
    if filters.parent:
        try:
            parent = selectors.unit_get(actor=actor, code=filters.parent)
        except NotFound:
            raise NotFound(
                _("Không tìm thấy đơn vị cha mã “%(code)s”.") % {"code": filters.parent},
                code="parent_not_found",
            ) from None
    return selectors.unit_list(
        actor=actor,
        kind=filters.kind.value if filters.kind else None,
        parent=parent,
        code=filters.code,
        q=filters.q,
        include_historical=filters.include_historical,
    )


@router.get(
    "/units/{code}",
    response=UnitDetailOut,
    summary="Chi tiết đơn vị",
    description="Đơn vị, đơn vị cấp trên, số đơn vị trực thuộc và các đơn vị kế thừa.",
)
def unit_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    actor = request_actor(request)
    try:
        unit = selectors.unit_get(actor=actor, code=code)
    except NotFound:
        raise NotFound(
            _("Không tìm thấy đơn vị mã “%(code)s”.") % {"code": code}, code="unit_not_found"
        ) from None
    return {
        **UnitOut.from_orm(unit).model_dump(),
        "parent": unit.parent,
        "children_count": selectors.unit_children(actor=actor, unit=unit).count(),
        "successors": selectors.unit_successors(unit),
        "restated_as": selectors.restated_units(unit),
    }
