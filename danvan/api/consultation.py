"""The API of consultation of citizens on drafts (Law 10/2022/QH15, art. 25–26), mounted
under /api/v1/.

Thin doors onto danvan.consultation.services and selectors, with the same policy checks
as the pages: reads need DEMOCRACY_VIEW on the consultation's unit, writes and moderation
DEMOCRACY_MANAGE. A consultation or comment out of sight answers 404 like a missing one;
input a rule refuses answers 400 problem+json.

A commenter's contact (personal data, Law 91/2025/QH15) is in an answer only for the
holders of DEMOCRACY_MANAGE on the consultation's unit, who also see every comment and
the commenter's name; other readers see the published comments, with the name only when
the commenter chose to show it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.audit import services as audit
from danvan.consultation import selectors, services
from danvan.consultation.models import Comment, Consultation
from danvan.core.errors import NotFound
from danvan.units import selectors as unit_selectors
from danvan.units.models import Unit

from .auth import request_actor
from .schemas import UnitRef

router = Router(tags=["Lấy ý kiến Nhân dân"])

LIMIT_MAX = 200


# -- schemas ----------------------------------------------------------------------------


class ConsultationFilters(Schema):
    unit: str | None = Field(
        None, max_length=32, description="Mã đơn vị: các đợt lấy ý kiến thuộc đơn vị này."
    )
    state: Literal["draft", "open", "closed", "reported"] | None = Field(
        None, description="Trạng thái: draft, open, closed, reported."
    )
    offset: int = Field(0, ge=0, description="Bỏ qua bao nhiêu đợt đầu danh sách.")
    limit: int = Field(50, ge=1, le=LIMIT_MAX, description="Số đợt mỗi trang (tối đa 200).")


class ConsultationIn(Schema):
    unit_code: str = Field(max_length=32, description="Mã xã, phường, đặc khu hoặc thôn.")
    subject: str = Field(
        max_length=10,
        description="Loại nội dung: plan, land_use, project, boundary, charter, other.",
    )
    title: str = Field(max_length=300, description="Tên dự thảo.")
    draft: str = Field(max_length=100000, description="Nội dung dự thảo.")


class OpenIn(Schema):
    opens_on: dt.date = Field(description="Ngày bắt đầu lấy ý kiến (YYYY-MM-DD).")
    closes_on: dt.date = Field(description="Ngày kết thúc; không trước ngày bắt đầu.")


class ReportIn(Schema):
    report: str = Field(
        max_length=100000, description="Kết quả tiếp thu, giải trình ý kiến (được công khai)."
    )


class ModerateIn(Schema):
    action: Literal["publish", "reject", "group"] = Field(
        description="publish (đăng), reject (không đăng, cần lý do), group (gộp vào ý kiến khác)."
    )
    reason: str = Field("", max_length=2000, description="Lý do không đăng.")
    into: int | None = Field(None, description="Số của ý kiến đã đăng để gộp vào.")


class AnswerIn(Schema):
    answer: str = Field(max_length=5000, description="Nội dung trả lời, giải trình.")


class ConsultationFields(Schema):
    """The columns of a consultation as the API shows them (no resolvers: see
    ConsultationOut)."""

    public_id: uuid.UUID
    unit: UnitRef
    subject: str
    subject_label: str
    title: str
    state: str
    state_label: str
    opens_on: dt.date | None
    closes_on: dt.date | None
    closed_on: dt.date | None
    reported_on: dt.date | None
    report: str
    has_document: bool
    comments_total: int = 0
    comments_pending: int = 0
    comments_unanswered: int = 0
    created_at: dt.datetime


class ConsultationOut(ConsultationFields):
    """A consultation read from a row (unit loaded, comment counts annotated)."""

    @staticmethod
    def resolve_subject_label(obj: Consultation) -> str:
        return str(obj.get_subject_display())

    @staticmethod
    def resolve_state_label(obj: Consultation) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_has_document(obj: Consultation) -> bool:
        return bool(obj.document)


class CommentOut(Schema):
    id: int
    text: str
    status: str
    status_label: str
    commenter_name: str | None = Field(
        None, description="Chỉ khi người góp ý chọn hiện tên, hoặc với cán bộ quản lý."
    )
    show_name: bool
    contact: str | None = Field(None, description="Chỉ với cán bộ quản lý đợt lấy ý kiến.")
    reject_reason: str | None = None
    group_of: int | None
    answer: str
    answered_on: dt.date | None
    created_at: dt.datetime


class ConsultationDetailOut(ConsultationFields):
    draft: str
    comments: list[CommentOut]


class ConsultationPage(Schema):
    items: list[ConsultationOut]
    next_offset: int | None = Field(
        description="Gửi làm `offset` để lấy trang tiếp theo; null ở trang cuối."
    )


# -- helpers ----------------------------------------------------------------------------


def _unit(actor: Any, code: str) -> Unit:
    try:
        return unit_selectors.unit_get(actor=actor, code=code)
    except NotFound:
        raise NotFound(
            _("Không tìm thấy đơn vị mã “%(code)s”.") % {"code": code}, code="unit_not_found"
        ) from None


def _comment_out(comment: Comment, *, manager: bool) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "text": comment.text,
        "status": comment.status,
        "status_label": str(comment.get_status_display()),
        "commenter_name": comment.commenter_name if manager else (comment.public_name or None),
        "show_name": comment.show_name,
        "contact": comment.contact if manager else None,
        "reject_reason": comment.reject_reason if manager else None,
        "group_of": comment.group_of_id,
        "answer": comment.answer,
        "answered_on": comment.answered_on,
        "created_at": comment.created_at,
    }


def _detail(actor: Any, public_id: uuid.UUID) -> dict[str, Any]:
    consultation = selectors.consultation_get(user=actor, public_id=public_id)
    manager = selectors.can_see_contacts(actor, consultation)
    comments = list(selectors.comments_of(consultation))
    if not manager:
        shown = (Comment.Status.PUBLISHED, Comment.Status.GROUPED)
        comments = [c for c in comments if c.status in shown]
    elif any(c.contact or c.commenter_name for c in comments):
        # Reading commenters' personal data is logged (Law 91/2025/QH15).
        audit.record_view(actor=actor, instance=consultation, what="commenters")
    out = ConsultationOut.from_orm(consultation).model_dump()
    out["draft"] = consultation.draft
    out["comments"] = [_comment_out(c, manager=manager) for c in comments]
    return out


def _comment(actor: Any, pk: int) -> Comment:
    return selectors.comment_get(user=actor, pk=pk)


# -- consultations ----------------------------------------------------------------------


@router.get(
    "/consultations",
    response=ConsultationPage,
    summary="Danh sách đợt lấy ý kiến Nhân dân",
    description=(
        "Các đợt lấy ý kiến về dự thảo ở các đơn vị bạn được xem (với `unit`: thuộc đơn vị"
        " đó), mới nhất trước, kèm số ý kiến chờ kiểm duyệt và chưa trả lời."
    ),
)
def consultation_list(request: HttpRequest, filters: Query[ConsultationFilters]) -> dict[str, Any]:
    actor = request_actor(request)
    if filters.unit:
        rows = selectors.consultations_under(
            user=actor, unit=_unit(actor, filters.unit), state=filters.state
        )
    else:
        rows = selectors.with_counts(selectors.consultations_visible(actor))
        if filters.state:
            rows = rows.filter(state=filters.state)
        rows = rows.order_by("-created_at", "-id")
    found = list(rows[filters.offset : filters.offset + filters.limit + 1])
    more = len(found) > filters.limit
    return {
        "items": found[: filters.limit],
        "next_offset": filters.offset + filters.limit if more else None,
    }


@router.post(
    "/consultations",
    response={201: ConsultationDetailOut},
    summary="Tạo dự thảo lấy ý kiến",
    description="Tạo một dự thảo để lấy ý kiến Nhân dân (chưa công khai cho đến khi mở).",
)
def consultation_create(request: HttpRequest, payload: ConsultationIn) -> Answer[dict[str, Any]]:
    actor = request_actor(request)
    unit = _unit(actor, payload.unit_code)
    policies.require(actor, Perm.DEMOCRACY_MANAGE, unit)
    consultation = services.consultation_create(
        actor=actor,
        unit=unit,
        subject=payload.subject,
        title=payload.title,
        draft=payload.draft,
    )
    return Answer(201, _detail(actor, consultation.public_id))


@router.get(
    "/consultations/{public_id}",
    response=ConsultationDetailOut,
    summary="Chi tiết đợt lấy ý kiến",
    description=(
        "Dự thảo và các ý kiến đã đăng. Cán bộ quản lý đợt lấy ý kiến thấy mọi ý kiến, họ tên"
        " và thông tin liên hệ của người góp ý (việc xem được ghi nhật ký)."
    ),
)
def consultation_detail(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    return _detail(request_actor(request), public_id)


@router.post(
    "/consultations/{public_id}/open",
    response=ConsultationDetailOut,
    summary="Mở lấy ý kiến",
    description="Công khai dự thảo và nhận ý kiến từ ngày bắt đầu đến hết ngày kết thúc.",
)
def consultation_open(
    request: HttpRequest, public_id: uuid.UUID, payload: OpenIn
) -> dict[str, Any]:
    actor = request_actor(request)
    consultation = selectors.consultation_get(user=actor, public_id=public_id)
    services.consultation_open(
        actor=actor,
        consultation=consultation,
        opens_on=payload.opens_on,
        closes_on=payload.closes_on,
    )
    return _detail(actor, public_id)


@router.post(
    "/consultations/{public_id}/close",
    response=ConsultationDetailOut,
    summary="Kết thúc lấy ý kiến",
)
def consultation_close(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    actor = request_actor(request)
    consultation = selectors.consultation_get(user=actor, public_id=public_id)
    services.consultation_close(actor=actor, consultation=consultation)
    return _detail(actor, public_id)


@router.post(
    "/consultations/{public_id}/report",
    response=ConsultationDetailOut,
    summary="Công khai kết quả tiếp thu ý kiến",
    description=(
        "Chỉ sau khi kết thúc lấy ý kiến, khi mọi ý kiến đã được kiểm duyệt và mọi ý kiến đã"
        " đăng đã được trả lời hoặc gộp."
    ),
)
def consultation_report(
    request: HttpRequest, public_id: uuid.UUID, payload: ReportIn
) -> dict[str, Any]:
    actor = request_actor(request)
    consultation = selectors.consultation_get(user=actor, public_id=public_id)
    services.consultation_report(actor=actor, consultation=consultation, report=payload.report)
    return _detail(actor, public_id)


# -- comments ---------------------------------------------------------------------------


@router.post(
    "/comments/{comment_id}/moderate",
    response=ConsultationDetailOut,
    summary="Kiểm duyệt ý kiến",
    description="Đăng, không đăng (có lý do) hoặc gộp vào một ý kiến đã đăng của cùng đợt.",
)
def comment_moderate(request: HttpRequest, comment_id: int, payload: ModerateIn) -> dict[str, Any]:
    actor = request_actor(request)
    comment = _comment(actor, comment_id)
    into = None
    if payload.into is not None:
        into = Comment.objects.filter(
            pk=payload.into, consultation_id=comment.consultation_id
        ).first()
        if into is None:
            raise NotFound(_("Không tìm thấy ý kiến để gộp vào."), code="comment_not_found")
    services.comment_moderate(
        actor=actor, comment=comment, action=payload.action, reason=payload.reason, into=into
    )
    return _detail(actor, comment.consultation.public_id)


@router.post(
    "/comments/{comment_id}/answer",
    response=ConsultationDetailOut,
    summary="Trả lời ý kiến",
)
def comment_answer(request: HttpRequest, comment_id: int, payload: AnswerIn) -> dict[str, Any]:
    actor = request_actor(request)
    comment = _comment(actor, comment_id)
    services.comment_answer(actor=actor, comment=comment, answer=payload.answer)
    return _detail(actor, comment.consultation.public_id)
