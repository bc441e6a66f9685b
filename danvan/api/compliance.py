"""The steering committee's compliance board through the API (mounted under /api/v1/):
the same cells as the page /dan-chu/bang-theo-doi/ (danvan.democracy.board.selectors)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from danvan.core.errors import DomainError, NotFound
from danvan.democracy.board.selectors import compliance_board
from danvan.units import selectors as unit_selectors
from danvan.units.models import Unit

from .auth import request_actor

router = Router(tags=["Bảng theo dõi thực hiện dân chủ ở cơ sở"])


class BoardFilters(Schema):
    unit: str = Field(max_length=32, description="Mã đơn vị: gồm cả các đơn vị trực thuộc.")
    from_: dt.date | None = Field(None, alias="from", description="Từ ngày; mặc định 1/1 năm nay.")
    to: dt.date | None = Field(None, description="Đến ngày; mặc định hôm nay.")


class ObligationOut(Schema):
    code: str
    label: str
    citation: str


class CellOut(Schema):
    status: str = Field(description="done, late, missing hoặc not_applicable.")
    count: int


class BoardRowOut(Schema):
    unit_code: str
    unit_name: str
    unit_kind: str
    cells: dict[str, CellOut]


class BoardOut(Schema):
    unit_code: str
    start: dt.date
    end: dt.date
    obligations: list[ObligationOut]
    rows: list[BoardRowOut]


def _unit(actor: Any, code: str) -> Unit:
    try:
        return unit_selectors.unit_get(actor=actor, code=code)
    except NotFound:
        raise NotFound(
            _("Không tìm thấy đơn vị mã “%(code)s”.") % {"code": code}, code="unit_not_found"
        ) from None


@router.get(
    "/compliance/board",
    response=BoardOut,
    summary="Bảng theo dõi thực hiện dân chủ ở cơ sở",
    description="Các xã, cơ quan, doanh nghiệp của đơn vị (trong phạm vi được xem) × các nghĩa "
    "vụ; mỗi ô: done (đã thực hiện), late (chậm, chưa đủ), missing (chưa thực hiện) hoặc "
    "not_applicable, kèm số hồ sơ hoặc thiếu sót.",
)
def board(request: HttpRequest, filters: Query[BoardFilters]) -> dict[str, Any]:
    actor = request_actor(request)
    unit = _unit(actor, filters.unit)
    now = timezone.localdate()
    start = filters.from_ or dt.date(now.year, 1, 1)
    end = filters.to or now
    if end < start:
        raise DomainError("bad_date", _("Ngày kết thúc không được trước ngày bắt đầu."), field="to")
    found = compliance_board(user=actor, unit=unit, start=start, end=end, today=now)
    return {
        "unit_code": unit.code,
        "start": start,
        "end": end,
        "obligations": [
            {"code": o.code, "label": str(o.label), "citation": str(o.citation)}
            for o in found.obligations
        ],
        "rows": [
            {
                "unit_code": row.unit.code,
                "unit_name": row.unit.name,
                "unit_kind": row.unit.kind,
                "cells": {
                    code: {"status": c.status, "count": c.count} for code, c in row.cells.items()
                },
            }
            for row in found.rows
        ],
    }
