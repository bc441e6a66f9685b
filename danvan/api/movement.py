"""The movement's entries over the API: thin doors onto danvan.movement's selectors and
services, with the same policy checks as the pages (the services enforce them).

An entry or unit the actor may not see answers 404 exactly like a missing one; an action
the actor may not take answers 403; input a rule refuses answers 400 (422 when it does not
even parse), all as problem+json.
"""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status as Answer

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.api.text_limits import LongText
from danvan.core.errors import DomainError, NotFound
from danvan.movement import selectors, services
from danvan.movement.errors import MovementError
from danvan.movement.models import (
    Attachment,
    Decision,
    Entry,
    EntryEvent,
    EntryKind,
    Level,
    Period,
    Status,
)
from danvan.movement.models import Field as MovementField
from danvan.units import selectors as unit_selectors
from danvan.units.models import Unit

from .auth import request_actor
from .schemas import UnitRef

router = Router(tags=["Dân vận khéo"])

UnitKindGroup = Literal["party", "government", "front", "armed_forces", "enterprise"]
Milestone = Literal[
    "registered", "in_progress", "recognized", "exemplary", "replicated", "commended"
]


# -- schemas -----------------------------------------------------------------------


class EntryFilters(Schema):
    unit: str | None = Field(
        None, max_length=32, description="Mã đơn vị: mô hình của đơn vị này và đơn vị trực thuộc."
    )
    restated: bool = Field(
        False, description="Tính cả các đơn vị cũ đã sáp nhập vào đơn vị `unit` (số liệu quy đổi)."
    )
    direct: bool = Field(
        False, description="Chỉ mô hình của chính đơn vị `unit` (không gồm đơn vị trực thuộc)."
    )
    unit_kind: UnitKindGroup | None = Field(
        None, description="Khối đơn vị: party, government, front, armed_forces, enterprise."
    )
    q: str | None = Field(
        None, max_length=100, description="Tìm theo tên, không phân biệt hoa thường, dấu và “đ”."
    )
    kind: EntryKind | None = Field(None, description="Loại: initiative, collective, individual.")
    field: str | None = Field(
        None, max_length=40, description="Mã lĩnh vực (xem /movement/fields)."
    )
    status: Status | None = Field(None, description="Trạng thái hiện tại.")
    year: int | None = Field(None, ge=1900, le=2200, description="Năm đăng ký.")
    period: int | None = Field(None, description="Mã số giai đoạn (xem /movement/periods).")
    milestone: Milestone | None = Field(
        None, description="Đã đạt mốc (như các cột của trang thống kê)."
    )


class FieldRef(Schema):
    code: str
    name: str


class FieldOut(FieldRef):
    order: int
    is_active: bool


class PeriodOut(Schema):
    id: int
    name: str
    start_year: int
    end_year: int


class EntryFields(Schema):
    """The columns of an entry as the API shows them (no resolvers: see EntryOut)."""

    public_id: uuid.UUID
    kind: str
    kind_label: str
    name: str
    unit: UnitRef
    co_units: list[UnitRef]
    field: FieldRef
    registration_year: int
    period: str
    status: str
    status_label: str
    target_group: str
    goals: str
    content_method: str
    start_date: dt.date | None
    expected_results: str
    achieved_results: str
    money_mobilized: Decimal | None
    working_days: int | None
    land_donated_m2: Decimal | None
    contact_name: str
    contact_phone: str
    registered_on: dt.date | None
    recognized_on: dt.date | None
    recognized_level: str
    exemplary_on: dt.date | None
    exemplary_level: str
    commended_on: dt.date | None
    replicated_from: uuid.UUID | None = Field(
        description=(
            "Mô hình gốc mà mô hình này nhân rộng; null nếu không nhân rộng hoặc bạn không"
            " được xem mô hình gốc (xem `replicated_from_label`)."
        )
    )
    replicated_from_label: str | None = Field(
        description=(
            "Tên mô hình gốc; “một mô hình của đơn vị khác” nếu bạn không được xem mô hình"
            " gốc; null nếu không nhân rộng."
        )
    )


class EntryOut(EntryFields):
    """An entry read from an Entry row."""

    @staticmethod
    def resolve_kind_label(obj: Entry) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj: Entry) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_period(obj: Entry) -> str:
        return obj.period.name

    @staticmethod
    def resolve_co_units(obj: Entry) -> list[Unit]:
        # Loaded with prefetch_related by the routes below: no query per row.
        return list(obj.co_units.all())

    # Replication crosses units: a source the actor may not see is neither named nor
    # linked (selectors.replication_source). The routes load replicated_from__unit.
    @staticmethod
    def resolve_replicated_from(obj: Entry, context: dict[str, Any]) -> uuid.UUID | None:
        link = _source(obj, context)
        return link.entry.public_id if link is not None and link.entry is not None else None

    @staticmethod
    def resolve_replicated_from_label(obj: Entry, context: dict[str, Any]) -> str | None:
        link = _source(obj, context)
        return link.label if link is not None else None


def _source(entry: Entry, context: dict[str, Any]) -> selectors.LineageLink | None:
    return selectors.replication_source(actor=request_actor(context["request"]), entry=entry)


class DecisionOut(Schema):
    kind: str
    number: str
    issued_on: dt.date
    issuer: str
    level: str
    form: str
    form_label: str

    @staticmethod
    def resolve_form_label(obj: Decision) -> str:
        return str(obj.get_form_display())


class EventOut(Schema):
    at: dt.datetime
    actor: str | None
    from_status: str
    to_status: str
    reason: str
    decision_number: str | None

    @staticmethod
    def resolve_actor(obj: EntryEvent) -> str | None:
        return obj.actor.username if obj.actor is not None else None

    @staticmethod
    def resolve_decision_number(obj: EntryEvent) -> str | None:
        return obj.decision.number if obj.decision is not None else None


class EntryRef(Schema):
    public_id: uuid.UUID
    name: str
    unit: UnitRef
    registration_year: int


class AttachmentOut(Schema):
    name: str
    content_type: str
    size: int
    caption: str
    url: str


class EntryDetailOut(EntryFields):
    """An entry with its history; built from a mapping by the routes (see _detail)."""

    decisions: list[DecisionOut]
    events: list[EventOut]
    replications: list[EntryRef] = Field(
        description="Các nơi đã nhân rộng mô hình này mà bạn được xem."
    )
    replications_other_units: int = Field(
        description=(
            "Số lần mô hình được nhân rộng ở đơn vị khác mà bạn không được xem (không có"
            " tên, đơn vị)."
        )
    )
    attachments: list[AttachmentOut]
    allowed_transitions: list[str] = Field(
        description="Các chuyển trạng thái bạn được thực hiện lúc này (tên như trong workflow)."
    )


class _EntryData(Schema):
    target_group: str = Field("", max_length=300)
    goals: LongText = ""
    content_method: LongText = ""
    start_date: dt.date | None = None
    expected_results: LongText = ""
    achieved_results: LongText = ""
    money_mobilized: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=0)
    working_days: int | None = Field(None, ge=0)
    land_donated_m2: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=1)
    contact_name: str = Field("", max_length=200)
    contact_phone: str = Field("", max_length=32)


class EntryIn(_EntryData):
    unit_code: str = Field(max_length=32, description="Mã đơn vị chủ trì.")
    kind: EntryKind = EntryKind.INITIATIVE
    name: str = Field(min_length=1, max_length=300)
    field_code: str = Field(max_length=40, description="Mã lĩnh vực (xem /movement/fields).")
    registration_year: int = Field(ge=2000, le=2200)
    co_unit_codes: list[Annotated[str, Field(max_length=32)]] = Field(
        default_factory=list, max_length=100, description="Mã các đơn vị phối hợp."
    )
    confirm_duplicate: bool = Field(
        False, description="Vẫn đăng ký dù trùng tên với mô hình cùng đơn vị, cùng giai đoạn."
    )


class EntryPatch(Schema):
    """Only the fields sent are changed."""

    kind: EntryKind | None = None
    name: str | None = Field(None, min_length=1, max_length=300)
    field_code: str | None = Field(None, max_length=40)
    registration_year: int | None = Field(None, ge=2000, le=2200)
    co_unit_codes: list[Annotated[str, Field(max_length=32)]] | None = Field(None, max_length=100)
    target_group: str | None = Field(None, max_length=300)
    goals: LongText | None = None
    content_method: LongText | None = None
    start_date: dt.date | None = None
    expected_results: LongText | None = None
    achieved_results: LongText | None = None
    money_mobilized: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=0)
    working_days: int | None = Field(None, ge=0)
    land_donated_m2: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=1)
    contact_name: str | None = Field(None, max_length=200)
    contact_phone: str | None = Field(None, max_length=32)
    confirm_duplicate: bool = False


class DecisionIn(Schema):
    number: str = Field(max_length=64, description="Số, ký hiệu, ví dụ 125/QĐ-UBND.")
    issued_on: dt.date
    issuer: str = Field(max_length=200, description="Cơ quan ban hành.")
    form: Decision.Form = Decision.Form.DECISION
    level: Level | None = Field(None, description="Cấp; mặc định theo cấp của người ghi.")

    def to_input(self) -> services.DecisionInput:
        return services.DecisionInput(
            number=self.number,
            issued_on=self.issued_on,
            issuer=self.issuer,
            form=self.form.value,
            level=self.level.value if self.level else "",
        )


class TransitionIn(Schema):
    name: str = Field(max_length=40, description="register, accept, return, start, submit, …")
    reason: str = Field("", max_length=2000)
    decision: DecisionIn | None = Field(
        None, description="Bắt buộc khi công nhận hoặc chọn điển hình tiêu biểu."
    )


class ReplicationIn(Schema):
    source_id: uuid.UUID = Field(description="public_id của mô hình gốc (ở đơn vị khác).")


# -- helpers -----------------------------------------------------------------------

# Fields an entry cannot be without: sending null for them is refused.
_REQUIRED = ("kind", "name", "field", "registration_year")


class DuplicateEntries(DomainError):
    status_code = 409


def _entry(actor: Any, public_id: uuid.UUID) -> Entry:
    return selectors.entry_get(actor=actor, public_id=public_id)


def _unit(actor: Any, code: str) -> Unit:
    try:
        return unit_selectors.unit_get(actor=actor, code=code)
    except NotFound:
        raise NotFound(
            _("Không tìm thấy đơn vị mã “%(code)s”.") % {"code": code}, code="unit_not_found"
        ) from None


def _units(actor: Any, codes: list[str]) -> list[Unit]:
    return unit_selectors.units_by_codes(actor=actor, codes=codes) if codes else []


def _field(code: str, name: str = "field_code") -> MovementField:
    found = MovementField.objects.filter(code=code, is_active=True).first()
    if found is None:
        raise DomainError(
            MovementError.BAD_VALUE.value,
            _("Không có lĩnh vực mã “%(code)s”.") % {"code": code},
            field=name,
        )
    return found


def _check_duplicates(
    *, unit: Unit, name: str, year: int, exclude: Entry | None, confirmed: bool
) -> None:
    if confirmed:
        return
    period = services.period_for_year(year)
    found = services.duplicates_of(unit=unit, name=name, period=period, exclude=exclude)
    if found:
        names = "; ".join(f"{e.name} ({e.public_id})" for e in found)
        raise DuplicateEntries(
            "movement_duplicate",
            _(
                "Đơn vị đã có mô hình trùng tên trong giai đoạn này: %(names)s. Nếu không phải"
                " trùng lặp, gửi lại với confirm_duplicate = true."
            )
            % {"names": names},
            field="name",
        )


def _detail(request: HttpRequest, entry: Entry) -> dict[str, Any]:
    actor = request_actor(request)
    out = EntryOut.from_orm(entry, context={"request": request}).model_dump()
    out["decisions"] = list(entry.decisions.all())
    out["events"] = list(entry.events.select_related("actor", "decision"))
    links = selectors.entry_replications(actor=actor, entry=entry)
    out["replications"] = [x.entry for x in links if x.entry is not None]
    out["replications_other_units"] = sum(1 for x in links if x.entry is None)
    out["attachments"] = [_attachment(entry, a) for a in entry.attachments.all()]
    out["allowed_transitions"] = [t.name for t in services.allowed_transitions(actor, entry)]
    return out


def _attachment(entry: Entry, item: Attachment) -> dict[str, Any]:
    return {
        "name": item.original_name,
        "content_type": item.content_type,
        "size": item.size,
        "caption": item.caption,
        "url": reverse("movement:attachment", kwargs={"public_id": entry.public_id, "pk": item.pk}),
    }


def _fresh(actor: Any, entry: Entry) -> Entry:
    """The entry as the selector loads it (relations included) after a write."""
    return _entry(actor, entry.public_id)


# -- reference data ----------------------------------------------------------------


@router.get(
    "/movement/fields",
    response=list[FieldOut],
    summary="Lĩnh vực của phong trào",
    description="Danh sách lĩnh vực (dữ liệu do quản trị viên cấu hình).",
)
def field_list(request: HttpRequest, include_inactive: bool = False) -> QuerySet[MovementField]:
    qs = MovementField.objects.all()
    return qs if include_inactive else qs.filter(is_active=True)


@router.get(
    "/movement/periods",
    response=list[PeriodOut],
    summary="Giai đoạn của phong trào",
    description="Các giai đoạn (ví dụ 2021–2025); `id` dùng cho bộ lọc `period`.",
)
def period_list(request: HttpRequest) -> QuerySet[Period]:
    return Period.objects.all()


# -- entries -----------------------------------------------------------------------


@router.get(
    "/movement/entries",
    response=list[EntryOut],
    summary="Danh sách mô hình, điển hình",
    description=(
        "Các mô hình, điển hình bạn được xem, lọc như trang danh sách. Phân trang bằng"
        " `limit`/`offset`; `count` là tổng số khớp bộ lọc."
    ),
)
@paginate(LimitOffsetPagination)
def entry_list(request: HttpRequest, filters: Query[EntryFilters]) -> QuerySet[Entry]:
    actor = request_actor(request)
    unit = _unit(actor, filters.unit) if filters.unit else None
    rows = selectors.entry_list(
        actor=actor,
        unit=unit,
        restated=filters.restated,
        direct=filters.direct,
        unit_kind=filters.unit_kind,
        q=filters.q,
        kind=filters.kind.value if filters.kind else None,
        field=filters.field,
        status=filters.status.value if filters.status else None,
        year=filters.year,
        period=filters.period,
        milestone=filters.milestone,
    )
    return rows.select_related("replicated_from__unit").prefetch_related("co_units")


@router.get(
    "/movement/entries/{public_id}",
    response=EntryDetailOut,
    summary="Chi tiết mô hình, điển hình",
    description="Mô hình, các quyết định, quá trình chuyển trạng thái, nơi nhân rộng, tệp.",
)
def entry_detail(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    actor = request_actor(request)
    return _detail(request, _entry(actor, public_id))


@router.post(
    "/movement/entries",
    response={201: EntryDetailOut},
    summary="Đăng ký mô hình (bản nháp)",
    description=(
        "Tạo bản nháp; đăng ký với cơ quan quản lý bằng chuyển trạng thái `register`. Trùng tên"
        " với mô hình cùng đơn vị, cùng giai đoạn trả 409 trừ khi `confirm_duplicate` = true."
    ),
)
def entry_create(request: HttpRequest, payload: EntryIn) -> Answer[dict[str, Any]]:
    actor = request_actor(request)
    unit = _unit(actor, payload.unit_code)
    # Refuse the not-allowed before saying anything about the unit's other entries.
    policies.require(actor, Perm.MOVEMENT_EDIT, unit)
    field = _field(payload.field_code)
    co_units = _units(actor, payload.co_unit_codes)
    details = payload.model_dump(
        exclude={
            "unit_code",
            "field_code",
            "co_unit_codes",
            "confirm_duplicate",
            "kind",
            "name",
            "registration_year",
        }
    )
    with transaction.atomic():
        _check_duplicates(
            unit=unit,
            name=payload.name,
            year=payload.registration_year,
            exclude=None,
            confirmed=payload.confirm_duplicate,
        )
        entry = services.entry_create(
            actor=actor,
            unit=unit,
            kind=payload.kind.value,
            name=payload.name,
            field=field,
            registration_year=payload.registration_year,
            co_units=co_units,
            **details,
        )
    return Answer(201, _detail(request, _fresh(actor, entry)))


@router.patch(
    "/movement/entries/{public_id}",
    response=EntryDetailOut,
    summary="Sửa mô hình, điển hình",
    description="Chỉ các trường gửi lên được thay đổi; sửa được khi còn đang chuẩn bị, thực hiện.",
)
def entry_update(request: HttpRequest, public_id: uuid.UUID, payload: EntryPatch) -> dict[str, Any]:
    actor = request_actor(request)
    entry = _entry(actor, public_id)
    policies.require(actor, Perm.MOVEMENT_EDIT, entry.unit)
    changes = payload.model_dump(exclude_unset=True)
    confirmed = bool(changes.pop("confirm_duplicate", False))
    co_codes = changes.pop("co_unit_codes", None)
    if "field_code" in changes:
        code = changes.pop("field_code")
        changes["field"] = _field(code) if code is not None else None
    if "kind" in changes and changes["kind"] is not None:
        changes["kind"] = changes["kind"].value
    for name in _REQUIRED:
        if name in changes and changes[name] is None:
            raise DomainError(
                MovementError.BAD_VALUE.value,
                _("Trường này không được để trống."),
                field="field_code" if name == "field" else name,
            )
    co_units = _units(actor, co_codes) if co_codes is not None else None
    with transaction.atomic():
        new_name = changes.get("name", entry.name)
        new_year = changes.get("registration_year", entry.registration_year)
        if new_name != entry.name or new_year != entry.registration_year:
            _check_duplicates(
                unit=entry.unit, name=new_name, year=new_year, exclude=entry, confirmed=confirmed
            )
        services.entry_update(actor=actor, entry=entry, co_units=co_units, **changes)
    return _detail(request, _fresh(actor, entry))


@router.post(
    "/movement/entries/{public_id}/transitions",
    response=EntryDetailOut,
    summary="Chuyển trạng thái",
    description=(
        "Thực hiện một chuyển trạng thái của bảng quy trình (docs/movement.md): người được"
        " phép, lý do khi bắt buộc, quyết định (số, ngày, cơ quan) khi công nhận."
    ),
)
def entry_transition(
    request: HttpRequest, public_id: uuid.UUID, payload: TransitionIn
) -> dict[str, Any]:
    actor = request_actor(request)
    entry = _entry(actor, public_id)
    entry = services.entry_transition(
        actor=actor,
        entry=entry,
        name=payload.name,
        reason=payload.reason,
        decision=payload.decision.to_input() if payload.decision else None,
    )
    return _detail(request, _fresh(actor, entry))


@router.post(
    "/movement/entries/{public_id}/commendations",
    response={201: DecisionOut},
    summary="Ghi nhận khen thưởng",
    description="Quyết định khen thưởng (giấy khen, bằng khen …) cho mô hình đã được công nhận.",
)
def entry_commend(
    request: HttpRequest, public_id: uuid.UUID, payload: DecisionIn
) -> Answer[Decision]:
    actor = request_actor(request)
    entry = _entry(actor, public_id)
    return Answer(
        201, services.entry_commend(actor=actor, entry=entry, decision=payload.to_input())
    )


@router.post(
    "/movement/entries/{public_id}/replication",
    response=EntryDetailOut,
    summary="Ghi nhận nhân rộng",
    description="Ghi nhận mô hình này nhân rộng từ mô hình `source_id` của đơn vị khác.",
)
def entry_replicate(
    request: HttpRequest, public_id: uuid.UUID, payload: ReplicationIn
) -> dict[str, Any]:
    actor = request_actor(request)
    entry = _entry(actor, public_id)
    try:
        source = _entry(actor, payload.source_id)
    except NotFound:
        raise NotFound(_("Không tìm thấy mô hình gốc."), code="source_not_found") from None
    services.replication_record(actor=actor, entry=entry, source=source)
    return _detail(request, _fresh(actor, entry))
