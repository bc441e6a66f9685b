"""The API of people's supervision (mounted under /api/v1/): thin doors onto
danvan.supervision's selectors and services, with the same policy checks as the pages.

A unit or record the actor may not see answers 404 exactly like a missing one; an
action the actor may not take answers 403; input a rule refuses answers 400 (422 when
it does not even parse), all as problem+json with a Vietnamese detail.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.api.text_limits import LongText
from danvan.core.errors import NotFound
from danvan.supervision import selectors, services
from danvan.supervision.models import (
    Board,
    BoardMember,
    Conference,
    ConferencePlan,
    Plan,
    Recommendation,
    SupervisionRule,
)
from danvan.units import selectors as unit_selectors
from danvan.units.models import Unit

from .auth import request_actor
from .schemas import UnitRef

router = Router(tags=["Giám sát của Nhân dân"])


# -- schemas -----------------------------------------------------------------------------


class RuleOut(Schema):
    code: str
    amount: int
    citation: str
    to_verify: bool


class BoardFindingOut(Schema):
    code: str
    message: str
    rule: RuleOut
    villages: list[UnitRef]


class MemberOut(Schema):
    id: int
    full_name: str
    role: str
    village: UnitRef | None
    term_start: dt.date | None
    term_end: dt.date | None


class BoardOut(Schema):
    public_id: uuid.UUID
    unit: UnitRef
    kind: str
    kind_label: str
    project: str
    term_start: dt.date
    term_end: dt.date | None
    members_count: int = Field(description="Số thành viên đương nhiệm.")
    findings: list[BoardFindingOut]


class PlanOut(Schema):
    public_id: uuid.UUID
    title: str
    scope: str
    starts_on: dt.date
    sent_on: dt.date | None
    late_notice: bool
    not_sent: bool
    earliest_start: dt.date | None = Field(
        description="Ngày sớm nhất được bắt đầu, tính từ ngày gửi kế hoạch."
    )
    notice_rule: RuleOut | None


class BoardDetailOut(BoardOut):
    members: list[MemberOut]
    plans: list[PlanOut]


class RecommendationOut(Schema):
    id: int
    finding_id: int
    text: str
    addressed_to: str
    due_date: dt.date
    state: str
    answer: str
    answered_on: dt.date | None
    closed_on: dt.date | None
    closing_note: str
    overdue: bool


class BoardIn(Schema):
    unit_code: str = Field(max_length=32)
    kind: Board.Kind
    term_start: dt.date
    term_end: dt.date | None = None
    project: str = Field("", max_length=300)


class BoardFilters(Schema):
    unit: str = Field(max_length=32, description="Mã đơn vị: gồm cả các đơn vị trực thuộc.")
    kind: Board.Kind | None = None


class MemberIn(Schema):
    full_name: str = Field(max_length=200)
    role: BoardMember.Role
    village_code: str | None = Field(None, max_length=32)
    term_start: dt.date | None = None
    term_end: dt.date | None = None


class PlanIn(Schema):
    title: str = Field(max_length=300)
    scope: LongText = ""
    starts_on: dt.date
    sent_on: dt.date | None = None


class ActivityIn(Schema):
    date: dt.date
    description: LongText


class ActivityOut(Schema):
    id: int
    date: dt.date
    description: str


class FindingIn(Schema):
    text: LongText


class FindingOut(Schema):
    id: int
    activity_id: int
    text: str


class RecommendationIn(Schema):
    text: LongText
    addressed_to: str = Field(max_length=300)
    due_date: dt.date


class AnswerIn(Schema):
    answer: LongText
    answered_on: dt.date


class CloseIn(Schema):
    closed_on: dt.date
    closing_note: LongText = ""


class ConferenceOut(Schema):
    public_id: uuid.UUID
    unit: UnitRef
    kind: str
    held_on: dt.date
    participants_employer: int
    participants_workers: int
    minutes: str


class GapOut(Schema):
    unit: UnitRef
    kind: str
    kind_label: str
    required: int
    held: int
    ongoing: bool
    rule: RuleOut


class ConferencePlanOut(Schema):
    id: int
    unit: UnitRef
    kind: str
    planned_on: dt.date
    place: str
    note: str
    held_on: dt.date | None = Field(description="Ngày tổ chức, khi đã ghi nhận.")
    overdue: bool = Field(description="Đã qua ngày dự kiến mà chưa ghi nhận hội nghị.")


class ConferencesOut(Schema):
    year: int
    conferences: list[ConferenceOut]
    gaps: list[GapOut]
    plans: list[ConferencePlanOut]


class ConferenceFilters(Schema):
    unit: str = Field(max_length=32)
    year: int | None = Field(None, ge=1900, le=2200, description="Năm; mặc định năm nay.")


class ConferenceIn(Schema):
    unit_code: str = Field(max_length=32)
    kind: Conference.Kind
    held_on: dt.date
    participants_employer: int = Field(ge=0)
    participants_workers: int = Field(ge=0)
    minutes: LongText = ""
    plan_id: int | None = Field(None, description="Lịch hội nghị được ghi nhận (nếu có).")


class ConferencePlanIn(Schema):
    unit_code: str = Field(max_length=32)
    kind: Conference.Kind
    planned_on: dt.date
    place: str = Field("", max_length=200)
    note: str = Field("", max_length=500)


# -- helpers -----------------------------------------------------------------------------


def _unit(actor: Any, code: str) -> Unit:
    try:
        return unit_selectors.unit_get(actor=actor, code=code)
    except NotFound:
        raise NotFound(
            _("Không tìm thấy đơn vị mã “%(code)s”.") % {"code": code}, code="unit_not_found"
        ) from None


def _rule(rule: SupervisionRule | None) -> dict[str, Any] | None:
    if rule is None:
        return None
    return {
        "code": rule.code,
        "amount": rule.amount,
        "citation": rule.citation,
        "to_verify": rule.to_verify,
    }


def _board_out(row: selectors.BoardRow) -> dict[str, Any]:
    b = row.board
    return {
        "public_id": b.public_id,
        "unit": b.unit,
        "kind": b.kind,
        "kind_label": str(b.get_kind_display()),
        "project": b.project,
        "term_start": b.term_start,
        "term_end": b.term_end,
        "members_count": len(row.members),
        "findings": [
            {"code": f.code, "message": f.message, "rule": _rule(f.rule), "villages": f.villages}
            for f in row.findings
        ],
    }


def _plan_out(row: selectors.PlanRow) -> dict[str, Any]:
    p = row.plan
    return {
        "public_id": p.public_id,
        "title": p.title,
        "scope": p.scope,
        "starts_on": p.starts_on,
        "sent_on": p.sent_on,
        "late_notice": row.late_notice,
        "not_sent": row.not_sent,
        "earliest_start": row.earliest_start,
        "notice_rule": _rule(row.rule),
    }


def _board_detail(board: Board) -> dict[str, Any]:
    out = _board_out(selectors.board_rows([board])[0])
    out["members"] = list(selectors.board_members(board))
    out["plans"] = [_plan_out(r) for r in selectors.board_plans(board)]
    return out


def _manage(actor: Any, unit: Unit) -> None:
    policies.require(actor, Perm.DEMOCRACY_MANAGE, unit)


def _rec_out(item: Recommendation) -> dict[str, Any]:
    return {
        "id": item.pk,
        "finding_id": item.finding_id,
        "text": item.text,
        "addressed_to": item.addressed_to,
        "due_date": item.due_date,
        "state": item.state,
        "answer": item.answer,
        "answered_on": item.answered_on,
        "closed_on": item.closed_on,
        "closing_note": item.closing_note,
        "overdue": item.state == Recommendation.State.OPEN and item.due_date < selectors.today(),
    }


def _plan(actor: Any, public_id: uuid.UUID) -> Plan:
    plan = selectors.plan_get(user=actor, public_id=public_id)
    _manage(actor, plan.board.unit)
    return plan


# -- boards ------------------------------------------------------------------------------


@router.get(
    "/supervision/boards",
    response=list[BoardOut],
    summary="Các ban giám sát",
    description="Ban Thanh tra nhân dân và Ban Giám sát đầu tư của cộng đồng của đơn vị và "
    "các đơn vị trực thuộc, với các cảnh báo về thành phần ban.",
)
def board_list(request: HttpRequest, filters: Query[BoardFilters]) -> list[dict[str, Any]]:
    actor = request_actor(request)
    unit = _unit(actor, filters.unit)
    boards = selectors.boards_under(
        user=actor, unit=unit, kind=filters.kind.value if filters.kind else None
    )
    return [_board_out(r) for r in selectors.board_rows(boards)]


@router.post("/supervision/boards", response={201: BoardDetailOut}, summary="Thêm ban")
def board_create(request: HttpRequest, payload: BoardIn) -> Answer[dict[str, Any]]:
    actor = request_actor(request)
    unit = _unit(actor, payload.unit_code)
    _manage(actor, unit)
    board = services.board_create(
        actor=actor,
        unit=unit,
        kind=payload.kind.value,
        term_start=payload.term_start,
        term_end=payload.term_end,
        project=payload.project,
    )
    return Answer(201, _board_detail(board))


@router.get("/supervision/boards/{public_id}", response=BoardDetailOut, summary="Một ban")
def board_detail(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    actor = request_actor(request)
    return _board_detail(selectors.board_get(user=actor, public_id=public_id))


@router.post(
    "/supervision/boards/{public_id}/members",
    response={201: MemberOut},
    summary="Thêm thành viên ban",
    description="Ban Giám sát đầu tư của cộng đồng: tối đa 5 đại diện, 2 phó trưởng ban.",
)
def member_add(
    request: HttpRequest, public_id: uuid.UUID, payload: MemberIn
) -> Answer[BoardMember]:
    actor = request_actor(request)
    board = selectors.board_get(user=actor, public_id=public_id)
    _manage(actor, board.unit)
    village = _unit(actor, payload.village_code) if payload.village_code else None
    member = services.member_add(
        actor=actor,
        board=board,
        full_name=payload.full_name,
        role=payload.role.value,
        village=village,
        term_start=payload.term_start,
        term_end=payload.term_end,
    )
    return Answer(201, member)


@router.post(
    "/supervision/boards/{public_id}/plans",
    response={201: PlanOut},
    summary="Thêm kế hoạch kiểm tra, giám sát",
    description="Kế hoạch gửi trước ít nhất 5 ngày làm việc; gửi muộn vẫn được ghi nhận và "
    "bị cảnh báo (late_notice).",
)
def plan_create(request: HttpRequest, public_id: uuid.UUID, payload: PlanIn) -> Answer[Any]:
    actor = request_actor(request)
    board = selectors.board_get(user=actor, public_id=public_id)
    _manage(actor, board.unit)
    plan = services.plan_create(actor=actor, board=board, **payload.dict())
    return Answer(201, _plan_out(selectors.plan_row(plan)))


@router.post(
    "/supervision/plans/{public_id}/activities",
    response={201: ActivityOut},
    summary="Thêm hoạt động",
)
def activity_add(request: HttpRequest, public_id: uuid.UUID, payload: ActivityIn) -> Answer[Any]:
    actor = request_actor(request)
    plan = _plan(actor, public_id)
    return Answer(201, services.activity_add(actor=actor, plan=plan, **payload.dict()))


@router.post(
    "/supervision/plans/{public_id}/activities/{activity_id}/findings",
    response={201: FindingOut},
    summary="Thêm phát hiện",
)
def finding_add(
    request: HttpRequest, public_id: uuid.UUID, activity_id: int, payload: FindingIn
) -> Answer[Any]:
    actor = request_actor(request)
    plan = _plan(actor, public_id)
    activity = selectors.activity_get(plan=plan, pk=activity_id)
    return Answer(201, services.finding_add(actor=actor, activity=activity, text=payload.text))


@router.post(
    "/supervision/plans/{public_id}/findings/{finding_id}/recommendations",
    response={201: RecommendationOut},
    summary="Thêm kiến nghị",
)
def recommendation_add(
    request: HttpRequest, public_id: uuid.UUID, finding_id: int, payload: RecommendationIn
) -> Answer[Any]:
    actor = request_actor(request)
    plan = _plan(actor, public_id)
    finding = selectors.finding_get(plan=plan, pk=finding_id)
    item = services.recommendation_add(actor=actor, finding=finding, **payload.dict())
    return Answer(201, _rec_out(item))


@router.post(
    "/supervision/recommendations/{rec_id}/answer",
    response=RecommendationOut,
    summary="Ghi nhận trả lời kiến nghị",
)
def recommendation_answer(request: HttpRequest, rec_id: int, payload: AnswerIn) -> Any:
    actor = request_actor(request)
    item = selectors.recommendation_get(user=actor, pk=rec_id)
    _manage(actor, item.finding.activity.plan.board.unit)
    return _rec_out(
        services.recommendation_answer(actor=actor, recommendation=item, **payload.dict())
    )


@router.post(
    "/supervision/recommendations/{rec_id}/close",
    response=RecommendationOut,
    summary="Kết thúc theo dõi kiến nghị",
)
def recommendation_close(request: HttpRequest, rec_id: int, payload: CloseIn) -> Any:
    actor = request_actor(request)
    item = selectors.recommendation_get(user=actor, pk=rec_id)
    _manage(actor, item.finding.activity.plan.board.unit)
    return _rec_out(
        services.recommendation_close(actor=actor, recommendation=item, **payload.dict())
    )


# -- conferences -------------------------------------------------------------------------


@router.get(
    "/supervision/conferences",
    response=ConferencesOut,
    summary="Hội nghị của cơ quan, doanh nghiệp",
    description="Các hội nghị trong năm, lịch hội nghị và các cơ quan, doanh nghiệp chưa tổ"
    " chức đủ.",
)
def conference_list(request: HttpRequest, filters: Query[ConferenceFilters]) -> dict[str, Any]:
    actor = request_actor(request)
    unit = _unit(actor, filters.unit)
    year = filters.year or selectors.today().year
    gaps = selectors.conference_gaps(user=actor, unit=unit, year=year)
    plans = selectors.conference_plans(user=actor, unit=unit, year=year)
    return {
        "year": year,
        "conferences": list(selectors.conferences_under(user=actor, unit=unit, year=year)),
        "gaps": [
            {
                "unit": g.unit,
                "kind": g.kind,
                "kind_label": g.kind_label,
                "required": g.required,
                "held": g.held,
                "ongoing": g.ongoing,
                "rule": _rule(g.rule),
            }
            for g in gaps
        ],
        "plans": [_conference_plan(row.plan, row.overdue) for row in plans],
    }


@router.post(
    "/supervision/conferences",
    response={201: ConferenceOut},
    summary="Ghi nhận hội nghị",
    description="Đối thoại tại nơi làm việc cần ít nhất 3 người mỗi bên.",
)
def conference_create(request: HttpRequest, payload: ConferenceIn) -> Answer[Conference]:
    actor = request_actor(request)
    unit = _unit(actor, payload.unit_code)
    _manage(actor, unit)
    plan = (
        selectors.conference_plan_get(user=actor, pk=payload.plan_id)
        if payload.plan_id is not None
        else None
    )
    conference = services.conference_record(
        actor=actor,
        unit=unit,
        kind=payload.kind.value,
        held_on=payload.held_on,
        participants_employer=payload.participants_employer,
        participants_workers=payload.participants_workers,
        minutes=payload.minutes,
        plan=plan,
    )
    return Answer(201, conference)


def _conference_plan(plan: ConferencePlan, overdue: bool) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "unit": plan.unit,
        "kind": plan.kind,
        "planned_on": plan.planned_on,
        "place": plan.place,
        "note": plan.note,
        "held_on": plan.conference.held_on if plan.conference else None,
        "overdue": overdue,
    }


@router.post(
    "/supervision/conference-plans",
    response={201: ConferencePlanOut},
    summary="Lên lịch hội nghị",
    description="Hội nghị cán bộ của cơ quan; hội nghị người lao động, đối thoại tại nơi làm"
    " việc của doanh nghiệp; ngày dự kiến từ hôm nay trở đi.",
)
def conference_plan_create(request: HttpRequest, payload: ConferencePlanIn) -> Answer[Any]:
    actor = request_actor(request)
    unit = _unit(actor, payload.unit_code)
    _manage(actor, unit)
    plan = services.conference_schedule(
        actor=actor,
        unit=unit,
        kind=payload.kind.value,
        planned_on=payload.planned_on,
        place=payload.place,
        note=payload.note,
    )
    return Answer(201, _conference_plan(plan, overdue=False))
