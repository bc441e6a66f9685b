"""The API of disclosures (mounted under /api/v1/): thin doors onto danvan.disclosure's
selectors and services, with the same policy checks as the pages.

A unit or record the actor may not see answers 404 exactly like a missing one; an action
the actor may not take answers 403; input a rule refuses answers 400 (422 when it does
not even parse), all as problem+json with a Vietnamese detail.
"""

import datetime as dt
import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status as Answer

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.api.text_limits import LongText
from danvan.core.errors import DomainError, NotFound
from danvan.disclosure import selectors, services
from danvan.disclosure.errors import DisclosureError
from danvan.disclosure.models import Disclosure, DisclosureForm, DisclosureKind, RuleUnitKind
from danvan.disclosure.selectors import Finding
from danvan.units import selectors as unit_selectors
from danvan.units.models import Unit

from .auth import request_actor
from .schemas import UnitRef

router = Router(tags=["Công khai thông tin"])


# -- schemas -----------------------------------------------------------------------------


class KindOut(Schema):
    id: int
    unit_kind: str
    number: int
    title: str
    mandatory: bool
    loudspeaker_min_days: int
    posting_min_days: int
    posting_to_verify: bool
    citation: str
    to_verify: bool
    valid_from: dt.date
    valid_to: dt.date | None


class KindRef(Schema):
    id: int
    number: int
    title: str
    citation: str
    to_verify: bool


class ChannelOut(Schema):
    form: str
    form_label: str
    place: str
    start: dt.date
    end: dt.date | None

    @staticmethod
    def resolve_form_label(obj: Any) -> str:
        return str(obj.get_form_display())


class DisclosureOut(Schema):
    public_id: uuid.UUID
    unit: UnitRef
    kind: KindRef
    title: str
    summary: str
    start: dt.date
    end: dt.date | None
    due_on: dt.date | None = Field(description="Hạn công khai; bắt đầu sau hạn là công khai chậm.")
    is_public: bool
    channels: list[ChannelOut]

    @staticmethod
    def resolve_channels(obj: Disclosure) -> list[Any]:
        return list(obj.channels.all())


class EvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    caption: str
    created_at: dt.datetime


class DisclosureDetailOut(DisclosureOut):
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(obj: Disclosure) -> list[Any]:
        return list(obj.evidence.all())


class ChannelIn(Schema):
    form: DisclosureForm
    start: dt.date
    end: dt.date | None = None
    place: str = Field("", max_length=200)


class DisclosureIn(Schema):
    unit_code: str = Field(max_length=32)
    kind_id: int = Field(description="Mã số loại nội dung (GET /disclosure-kinds).")
    title: str = Field(max_length=300)
    summary: LongText = ""
    start: dt.date
    end: dt.date | None = None
    due_on: dt.date | None = Field(
        None, description="Hạn công khai theo văn bản quy định (nếu có)."
    )
    is_public: bool = False
    channels: list[ChannelIn] = Field(
        default_factory=list, description="Các hình thức công khai, mỗi hình thức có ngày riêng."
    )


class DisclosureFilters(Schema):
    unit: str = Field(max_length=32, description="Mã đơn vị: gồm cả các đơn vị trực thuộc.")
    kind_number: int | None = Field(None, ge=1, le=99, description="Số thứ tự loại nội dung.")


class ComplianceFilters(Schema):
    unit: str = Field(max_length=32, description="Mã đơn vị: gồm cả các đơn vị trực thuộc.")
    from_: dt.date | None = Field(None, alias="from", description="Từ ngày; mặc định 1/1 năm nay.")
    to: dt.date | None = Field(None, description="Đến ngày; mặc định hôm nay.")


class FindingOut(Schema):
    unit: UnitRef
    kind: KindRef
    problem: str = Field(
        description="missing, late (bắt đầu sau hạn công khai), loudspeaker_missing,"
        " loudspeaker_short hoặc posting_short."
    )
    message: str
    disclosure_id: uuid.UUID | None
    required_days: int
    actual_days: int
    citation: str
    to_verify: bool


class KindFilters(Schema):
    unit_kind: RuleUnitKind | None = Field(None, description="commune, agency hoặc enterprise.")


# -- helpers -----------------------------------------------------------------------------


def _unit(actor: Any, code: str) -> Unit:
    try:
        return unit_selectors.unit_get(actor=actor, code=code)
    except NotFound:
        raise NotFound(
            _("Không tìm thấy đơn vị mã “%(code)s”.") % {"code": code}, code="unit_not_found"
        ) from None


def _kind(pk: int) -> DisclosureKind:
    kind = DisclosureKind.objects.filter(pk=pk).first()
    if kind is None:
        raise DomainError(
            DisclosureError.BAD_KIND.value, _("Loại nội dung không tồn tại."), field="kind_id"
        )
    return kind


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "unit": f.unit,
        "kind": f.kind,
        "problem": f.problem,
        "message": f.message,
        "disclosure_id": f.disclosure.public_id if f.disclosure else None,
        "required_days": f.required_days,
        "actual_days": f.actual_days,
        "citation": f.citation,
        "to_verify": f.to_verify,
    }


# -- endpoints ----------------------------------------------------------------------------


@router.get(
    "/disclosure-kinds",
    response=list[KindOut],
    summary="Danh mục nội dung phải công khai",
    description="Mọi phiên bản của các loại nội dung công khai (Luật Thực hiện dân chủ ở cơ sở, "
    "Điều 11–13 và các chương về cơ quan, doanh nghiệp), kèm căn cứ pháp lý và cờ cần đối "
    "chiếu.",
)
def kind_list(request: HttpRequest, filters: Query[KindFilters]) -> QuerySet[DisclosureKind]:
    request_actor(request)
    return selectors.kinds_catalogue(
        unit_kind=filters.unit_kind.value if filters.unit_kind else None
    )


@router.get(
    "/disclosures",
    response=list[DisclosureOut],
    summary="Nội dung đã công khai",
    description="Nội dung công khai của đơn vị và các đơn vị trực thuộc, mới nhất trước.",
)
@paginate(LimitOffsetPagination)
def disclosure_list(
    request: HttpRequest, filters: Query[DisclosureFilters]
) -> QuerySet[Disclosure]:
    actor = request_actor(request)
    unit = _unit(actor, filters.unit)
    return selectors.disclosures_under(user=actor, unit=unit, kind_number=filters.kind_number)


@router.post(
    "/disclosures",
    response={201: DisclosureDetailOut},
    summary="Ghi nhận nội dung công khai",
    description="Loại nội dung phải thuộc danh mục của loại đơn vị và có hiệu lực vào ngày bắt "
    "đầu; ngày kết thúc (của nội dung và của từng hình thức) không được trước ngày bắt đầu.",
)
def disclosure_create(request: HttpRequest, payload: DisclosureIn) -> Answer[Disclosure]:
    actor = request_actor(request)
    unit = _unit(actor, payload.unit_code)
    policies.require(actor, Perm.DEMOCRACY_MANAGE, unit)
    disclosure = services.disclosure_create(
        actor=actor,
        unit=unit,
        kind=_kind(payload.kind_id),
        title=payload.title,
        summary=payload.summary,
        start=payload.start,
        end=payload.end,
        due_on=payload.due_on,
        is_public=payload.is_public,
        channels=[
            services.ChannelSpec(form=c.form.value, start=c.start, end=c.end, place=c.place)
            for c in payload.channels
        ],
    )
    return Answer(201, selectors.disclosure_get(user=actor, public_id=disclosure.public_id))


@router.get(
    "/disclosures/compliance",
    response=list[FindingOut],
    summary="Kiểm tra tuân thủ công khai",
    description="Các nội dung bắt buộc chưa công khai trong kỳ; các nội dung phát trên hệ thống "
    "truyền thanh hoặc niêm yết chưa đủ số ngày liên tục tối thiểu; mỗi phát hiện kèm căn cứ "
    "pháp lý và cờ cần đối chiếu.",
)
def compliance(request: HttpRequest, filters: Query[ComplianceFilters]) -> list[dict[str, Any]]:
    actor = request_actor(request)
    unit = _unit(actor, filters.unit)
    now = selectors.today()
    start = filters.from_ or dt.date(now.year, 1, 1)
    end = filters.to or now
    if end < start:
        raise DomainError(
            DisclosureError.BAD_DATE.value,
            _("Ngày kết thúc không được trước ngày bắt đầu."),
            field="to",
        )
    found = selectors.compliance(user=actor, unit=unit, start=start, end=end)
    return [_finding(f) for f in found]


@router.get(
    "/disclosures/{uuid:public_id}",
    response=DisclosureDetailOut,
    summary="Chi tiết nội dung công khai",
)
def disclosure_detail(request: HttpRequest, public_id: uuid.UUID) -> Disclosure:
    actor = request_actor(request)
    return selectors.disclosure_get(user=actor, public_id=public_id)
