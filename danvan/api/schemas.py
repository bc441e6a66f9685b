"""What the API reads in and writes out. No queries here: resolvers only read loaded rows."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from danvan.accounts.models import RoleGrant
from danvan.units.models import Unit, UnitKind


class UnitFilters(Schema):
    kind: UnitKind | None = Field(None, description="Loại đơn vị (province, commune, …).")
    parent: str | None = Field(
        None, max_length=32, description="Mã đơn vị cấp trên: chỉ liệt kê đơn vị trực thuộc."
    )
    code: str | None = Field(None, max_length=32, description="Mã đơn vị (khớp chính xác).")
    q: str | None = Field(
        None,
        max_length=100,
        description="Tìm theo tên, không phân biệt dấu (“dong da” tìm được “Đống Đa”).",
    )
    include_historical: bool = Field(
        False, description="Gồm cả đơn vị đã hết hiệu lực (sáp nhập, chia tách)."
    )


class UnitRef(Schema):
    code: str
    name: str


class UnitFields(Schema):
    """The columns of a unit as the API shows them (no resolvers: see UnitOut)."""

    code: str
    name: str
    kind: str
    kind_label: str
    division_type: str
    parent_code: str | None
    households: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    is_historical: bool


class UnitOut(UnitFields):
    """A unit read from a Unit row."""

    @staticmethod
    def resolve_kind_label(obj: Unit) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_parent_code(obj: Unit) -> str | None:
        # The selectors load the parent with select_related: no query per row.
        return obj.parent.code if obj.parent is not None else None


class UnitDetailOut(UnitFields):
    """A unit with its surroundings; built from a mapping by the router (see units.py)."""

    parent: UnitRef | None
    children_count: int = Field(description="Số đơn vị trực thuộc còn hiệu lực mà bạn được xem.")
    successors: list[UnitRef] = Field(description="Các đơn vị kế thừa (sau sáp nhập, chia tách).")
    restated_as: list[UnitRef] = Field(
        description="Các đơn vị hiện hành mà số liệu của đơn vị này được tính vào."
    )


class GrantOut(Schema):
    role: str
    role_label: str
    unit_code: str | None
    unit_name: str | None

    @staticmethod
    def resolve_role_label(obj: RoleGrant) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_unit_code(obj: RoleGrant) -> str | None:
        return obj.unit.code if obj.unit is not None else None

    @staticmethod
    def resolve_unit_name(obj: RoleGrant) -> str | None:
        return obj.unit.name if obj.unit is not None else None


class MeOut(Schema):
    username: str
    full_name: str
    email: str
    grants: list[GrantOut]
