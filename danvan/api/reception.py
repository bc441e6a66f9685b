"""The API of reception days and dialogues (mounted under /api/v1/): thin doors onto the
selectors and services of danvan.cases.reception and danvan.cases.dialogues, with the
same policy checks as the pages.

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
from danvan.cases.dialogues import selectors as dialogue_selectors
from danvan.cases.dialogues import services as dialogue_services
from danvan.cases.dialogues.selectors import DialogueRow
from danvan.cases.models import (
    Commitment,
    Dialogue,
    DialogueQuestion,
    ReceptionSchedule,
    ReceptionSession,
)
from danvan.cases.reception import selectors as reception_selectors
from danvan.cases.reception import services as reception_services
from danvan.cases.reception.selectors import Shortfall, WeekGap
from danvan.core.errors import NotFound
from danvan.legal.models import DutyRule
from danvan.units import selectors as unit_selectors
from danvan.units.models import Official, Unit

from .auth import request_actor
from .schemas import UnitRef

router = Router(tags=["Tiếp công dân, đối thoại"])


# -- schemas -----------------------------------------------------------------------------


class OfficialRef(Schema):
    id: int
    full_name: str
    position: str


class UnitFilter(Schema):
    unit: str = Field(max_length=32, description="Mã đơn vị: gồm cả các đơn vị trực thuộc.")


class MonthFilter(UnitFilter):
    year: int | None = Field(None, ge=1900, le=2200, description="Năm; mặc định năm nay.")
    month: int | None = Field(None, ge=1, le=12, description="Tháng; mặc định tháng này.")


class ScheduleOut(Schema):
    id: int
    unit: UnitRef
    leader: OfficialRef
    duty: str
    duty_label: str
    pattern: str
    day: int = Field(description="Hằng tuần: 0 = thứ Hai … 6 = Chủ nhật; hằng tháng: 1–28.")
    place: str
    valid_from: dt.date
    valid_to: dt.date | None
    note: str

    @staticmethod
    def resolve_duty_label(obj: ReceptionSchedule) -> str:
        return str(obj.get_duty_display()) if obj.duty else ""


class ScheduleIn(Schema):
    unit_code: str = Field(max_length=32)
    leader_id: int = Field(description="Mã số cán bộ (danh bạ cán bộ của đơn vị).")
    duty: str = Field(
        "",
        max_length=32,
        description="reception_commune_chair, reception_province_chair hoặc để trống.",
    )
    pattern: ReceptionSchedule.Pattern
    day: int = Field(ge=0, le=28)
    place: str = Field(max_length=200)
    valid_from: dt.date
    valid_to: dt.date | None = None
    note: str = Field("", max_length=300)


class ScheduleEndIn(Schema):
    valid_to: dt.date = Field(description="Ngày áp dụng cuối cùng của lịch.")


class SessionOut(Schema):
    id: int
    unit: UnitRef
    leader: OfficialRef
    schedule_id: int | None
    held_on: dt.date
    place: str
    citizens_count: int
    citizens: str
    content: str


class SessionIn(Schema):
    unit_code: str = Field(max_length=32)
    leader_id: int
    held_on: dt.date = Field(description="Ngày đã tiếp (không ở tương lai).")
    place: str = Field(max_length=200)
    citizens_count: int = Field(0, ge=0)
    citizens: LongText = ""
    content: LongText = ""
    schedule_id: int | None = None


class WeekOut(Schema):
    iso: str = Field(description="Tuần ISO, ví dụ 2026-W10.")
    start: dt.date
    end: dt.date
    held: int
    ongoing: bool


class ShortfallOut(Schema):
    unit: UnitRef
    leader: OfficialRef
    duty: str
    duty_label: str
    measure: str
    amount: int
    required: int
    held: int
    ongoing: bool
    missing_weeks: list[WeekOut]
    citation: str
    to_verify: bool


class RuleOut(Schema):
    days: int
    citation: str
    to_verify: bool


class DialogueOut(Schema):
    public_id: uuid.UUID
    unit: UnitRef
    title: str
    held_on: dt.date
    place: str
    chair: str
    state: str
    state_label: str
    announced_on: dt.date | None
    published_on: dt.date | None
    participants_count: int
    participants: str
    results: str
    announce_by: dt.date | None = Field(description="Hạn thông báo đúng quy định.")
    publish_by: dt.date | None = Field(description="Hạn công khai kết quả đúng quy định.")
    announce_late: bool
    announce_overdue: bool
    publish_late: bool
    publish_overdue: bool
    announce_rule: RuleOut | None
    publish_rule: RuleOut | None


class DialoguePage(Schema):
    count: int
    items: list[DialogueOut]


class QuestionOut(Schema):
    id: int
    question: str
    asked_by: str
    answer: str
    answered_by: str


class CommitmentOut(Schema):
    id: int
    dialogue_id: uuid.UUID
    dialogue_title: str
    unit: UnitRef
    question_id: int | None
    text: str
    responsible: str
    due_date: dt.date
    state: str
    done_on: dt.date | None
    result: str
    overdue: bool

    @staticmethod
    def resolve_dialogue_id(obj: Commitment) -> uuid.UUID:
        return obj.dialogue.public_id

    @staticmethod
    def resolve_dialogue_title(obj: Commitment) -> str:
        return obj.dialogue.title

    @staticmethod
    def resolve_unit(obj: Commitment) -> Unit:
        return obj.dialogue.unit

    @staticmethod
    def resolve_overdue(obj: Commitment) -> bool:
        return bool(getattr(obj, "overdue", False))


class DialogueDetailOut(DialogueOut):
    questions: list[QuestionOut]
    commitments: list[CommitmentOut]


class DialogueFilters(UnitFilter):
    state: Dialogue.State | None = None
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0)


class DialogueIn(Schema):
    unit_code: str = Field(max_length=32)
    title: str = Field(max_length=300)
    held_on: dt.date
    place: str = Field(max_length=200)
    chair: str = Field(max_length=200)


class AnnounceIn(Schema):
    announced_on: dt.date


class HoldIn(Schema):
    participants_count: int = Field(ge=0)
    participants: LongText = ""


class PublishIn(Schema):
    results: LongText
    published_on: dt.date


class QuestionIn(Schema):
    question: LongText
    asked_by: str = Field("", max_length=200)
    answer: LongText = ""
    answered_by: str = Field("", max_length=200)


class AnswerIn(Schema):
    answer: LongText
    answered_by: str = Field("", max_length=200)


class CommitmentIn(Schema):
    text: LongText
    responsible: str = Field(max_length=200)
    due_date: dt.date
    question_id: int | None = None


class CommitmentFilters(UnitFilter):
    open: bool = Field(True, description="Chỉ các cam kết đang thực hiện.")


class DoneIn(Schema):
    done_on: dt.date
    result: LongText


# -- helpers -----------------------------------------------------------------------------


def _unit(actor: Any, code: str) -> Unit:
    try:
        return unit_selectors.unit_get(actor=actor, code=code)
    except NotFound:
        raise NotFound(
            _("Không tìm thấy đơn vị mã “%(code)s”.") % {"code": code}, code="unit_not_found"
        ) from None


def _official(actor: Any, pk: int) -> Official:
    try:
        return unit_selectors.official_get(actor=actor, pk=pk)
    except NotFound:
        raise NotFound(_("Không tìm thấy cán bộ."), code="official_not_found") from None


def _month(filters: MonthFilter) -> tuple[int, int]:
    now = reception_selectors.today()
    return filters.year or now.year, filters.month or now.month


def _rule(rule: DutyRule | None) -> dict[str, Any] | None:
    if rule is None:
        return None
    return {"days": rule.amount, "citation": rule.citation, "to_verify": rule.to_verify}


def _dialogue_out(row: DialogueRow) -> dict[str, Any]:
    d = row.dialogue
    return {
        "public_id": d.public_id,
        "unit": d.unit,
        "title": d.title,
        "held_on": d.held_on,
        "place": d.place,
        "chair": d.chair,
        "state": d.state,
        "state_label": str(d.get_state_display()),
        "announced_on": d.announced_on,
        "published_on": d.published_on,
        "participants_count": d.participants_count,
        "participants": d.participants,
        "results": d.results,
        "announce_by": row.announce_by,
        "publish_by": row.publish_by,
        "announce_late": row.announce_late,
        "announce_overdue": row.announce_overdue,
        "publish_late": row.publish_late,
        "publish_overdue": row.publish_overdue,
        "announce_rule": _rule(row.announce_rule),
        "publish_rule": _rule(row.publish_rule),
    }


def _dialogue_detail(dialogue: Dialogue) -> dict[str, Any]:
    out = _dialogue_out(dialogue_selectors.dialogue_row(dialogue))
    out["questions"] = list(dialogue_selectors.dialogue_questions(dialogue))
    out["commitments"] = list(
        dialogue_selectors.dialogue_commitments(dialogue).select_related(
            "dialogue", "dialogue__unit"
        )
    )
    return out


def _week(gap: WeekGap) -> dict[str, Any]:
    return {
        "iso": gap.iso,
        "start": gap.start,
        "end": gap.end,
        "held": gap.held,
        "ongoing": gap.ongoing,
    }


def _shortfall(s: Shortfall) -> dict[str, Any]:
    return {
        "unit": s.unit,
        "leader": s.leader,
        "duty": s.duty,
        "duty_label": s.duty_label,
        "measure": s.measure,
        "amount": s.amount,
        "required": s.required,
        "held": s.held,
        "ongoing": s.ongoing,
        "missing_weeks": [_week(w) for w in s.missing_weeks],
        "citation": s.citation,
        "to_verify": s.to_verify,
    }


def _dialogue(actor: Any, public_id: uuid.UUID) -> Dialogue:
    return dialogue_selectors.dialogue_get(user=actor, public_id=public_id)


def _fresh(actor: Any, dialogue: Dialogue) -> dict[str, Any]:
    return _dialogue_detail(_dialogue(actor, dialogue.public_id))


# -- schedules and sessions ----------------------------------------------------------------


@router.get(
    "/reception/schedules",
    response=list[ScheduleOut],
    summary="Lịch tiếp công dân",
    description="Lịch tiếp công dân của lãnh đạo đơn vị và các đơn vị trực thuộc.",
)
@paginate(LimitOffsetPagination)
def schedule_list(
    request: HttpRequest, filters: Query[UnitFilter], current: bool = False
) -> QuerySet[ReceptionSchedule]:
    actor = request_actor(request)
    unit = _unit(actor, filters.unit)
    return reception_selectors.schedules_under(
        user=actor, unit=unit, on=reception_selectors.today() if current else None
    )


@router.post(
    "/reception/schedules",
    response={201: ScheduleOut},
    summary="Thêm lịch tiếp công dân",
    description="Người tiếp phải là cán bộ của đơn vị; nghĩa vụ cấp xã chỉ cho đơn vị cấp xã, "
    "nghĩa vụ cấp tỉnh chỉ cho đơn vị cấp tỉnh.",
)
def schedule_create(request: HttpRequest, payload: ScheduleIn) -> Answer[ReceptionSchedule]:
    actor = request_actor(request)
    unit = _unit(actor, payload.unit_code)
    policies.require(actor, Perm.RECEPTION_MANAGE, unit)
    schedule = reception_services.schedule_create(
        actor=actor,
        unit=unit,
        leader=_official(actor, payload.leader_id),
        duty=payload.duty,
        pattern=payload.pattern.value,
        day=payload.day,
        place=payload.place,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        note=payload.note,
    )
    return Answer(201, schedule)


@router.post(
    "/reception/schedules/{schedule_id}/end",
    response=ScheduleOut,
    summary="Kết thúc lịch tiếp công dân",
)
def schedule_end(
    request: HttpRequest, schedule_id: int, payload: ScheduleEndIn
) -> ReceptionSchedule:
    actor = request_actor(request)
    schedule = reception_selectors.schedule_get(user=actor, pk=schedule_id)
    return reception_services.schedule_end(
        actor=actor, schedule=schedule, valid_to=payload.valid_to
    )


@router.get(
    "/reception/sessions",
    response=list[SessionOut],
    summary="Các buổi tiếp công dân",
    description="Các buổi tiếp đã diễn ra của đơn vị và các đơn vị trực thuộc, mới nhất trước; "
    "lọc theo tháng khi có `year` và `month`.",
)
@paginate(LimitOffsetPagination)
def session_list(request: HttpRequest, filters: Query[MonthFilter]) -> QuerySet[ReceptionSession]:
    actor = request_actor(request)
    unit = _unit(actor, filters.unit)
    year, month = (filters.year, filters.month) if filters.year and filters.month else (None, None)
    return reception_selectors.sessions_under(user=actor, unit=unit, year=year, month=month)


@router.post(
    "/reception/sessions",
    response={201: SessionOut},
    summary="Ghi buổi tiếp công dân",
    description="Chỉ ghi buổi tiếp đã diễn ra; người chủ trì phải là cán bộ của đơn vị.",
)
def session_create(request: HttpRequest, payload: SessionIn) -> Answer[ReceptionSession]:
    actor = request_actor(request)
    unit = _unit(actor, payload.unit_code)
    policies.require(actor, Perm.CASE_INTAKE, unit)
    schedule = (
        reception_selectors.schedule_get(user=actor, pk=payload.schedule_id)
        if payload.schedule_id is not None
        else None
    )
    session = reception_services.session_record(
        actor=actor,
        unit=unit,
        leader=_official(actor, payload.leader_id),
        held_on=payload.held_on,
        place=payload.place,
        citizens_count=payload.citizens_count,
        citizens=payload.citizens,
        content=payload.content,
        schedule=schedule,
    )
    return Answer(201, session)


@router.get(
    "/reception/shortfalls",
    response=list[ShortfallOut],
    summary="Cảnh báo chưa đủ số ngày tiếp công dân tối thiểu",
    description="Lãnh đạo có nghĩa vụ tiếp công dân (Chủ tịch UBND cấp xã ít nhất 1 ngày mỗi "
    "tuần, cấp tỉnh ít nhất 1 ngày mỗi tháng, theo quy định đang có hiệu lực) chưa tiếp đủ "
    "trong tháng, kèm các tuần còn thiếu và căn cứ pháp lý.",
)
def shortfall_list(request: HttpRequest, filters: Query[MonthFilter]) -> list[dict[str, Any]]:
    actor = request_actor(request)
    unit = _unit(actor, filters.unit)
    year, month = _month(filters)
    found = reception_selectors.reception_shortfalls(user=actor, unit=unit, year=year, month=month)
    return [_shortfall(s) for s in found]


# -- dialogues ------------------------------------------------------------------------------


@router.get(
    "/dialogues",
    response=DialoguePage,
    summary="Hội nghị đối thoại",
    description="Hội nghị đối thoại của đơn vị và các đơn vị trực thuộc, mới nhất trước, với "
    "cảnh báo thông báo muộn, công khai kết quả muộn hoặc quá hạn.",
)
def dialogue_list(request: HttpRequest, filters: Query[DialogueFilters]) -> dict[str, Any]:
    actor = request_actor(request)
    unit = _unit(actor, filters.unit)
    rows = dialogue_selectors.dialogues_under(
        user=actor, unit=unit, state=filters.state.value if filters.state else None
    )
    page = rows[filters.offset : filters.offset + filters.limit]
    return {
        "count": rows.count(),
        "items": [_dialogue_out(row) for row in dialogue_selectors.dialogue_rows(page)],
    }


@router.post(
    "/dialogues",
    response={201: DialogueDetailOut},
    summary="Lên kế hoạch hội nghị đối thoại",
)
def dialogue_create(request: HttpRequest, payload: DialogueIn) -> Answer[dict[str, Any]]:
    actor = request_actor(request)
    unit = _unit(actor, payload.unit_code)
    dialogue = dialogue_services.dialogue_create(
        actor=actor,
        unit=unit,
        title=payload.title,
        held_on=payload.held_on,
        place=payload.place,
        chair=payload.chair,
    )
    return Answer(201, _fresh(actor, dialogue))


@router.get(
    "/dialogues/{public_id}",
    response=DialogueDetailOut,
    summary="Chi tiết hội nghị đối thoại",
    description="Hội nghị, các ý kiến và trả lời, các cam kết.",
)
def dialogue_detail(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    actor = request_actor(request)
    return _dialogue_detail(_dialogue(actor, public_id))


@router.post(
    "/dialogues/{public_id}/announce",
    response=DialogueDetailOut,
    summary="Ghi nhận đã thông báo hội nghị",
    description="Thông báo muộn hơn quy định vẫn được ghi nhận, kèm cảnh báo `announce_late`.",
)
def dialogue_announce(
    request: HttpRequest, public_id: uuid.UUID, payload: AnnounceIn
) -> dict[str, Any]:
    actor = request_actor(request)
    dialogue = dialogue_services.dialogue_announce(
        actor=actor, dialogue=_dialogue(actor, public_id), announced_on=payload.announced_on
    )
    return _fresh(actor, dialogue)


@router.post(
    "/dialogues/{public_id}/hold",
    response=DialogueDetailOut,
    summary="Ghi nhận đã tổ chức hội nghị",
    description="Chỉ từ ngày đối thoại trở đi, sau khi đã thông báo.",
)
def dialogue_hold(request: HttpRequest, public_id: uuid.UUID, payload: HoldIn) -> dict[str, Any]:
    actor = request_actor(request)
    dialogue = dialogue_services.dialogue_hold(
        actor=actor,
        dialogue=_dialogue(actor, public_id),
        participants=payload.participants,
        participants_count=payload.participants_count,
    )
    return _fresh(actor, dialogue)


@router.post(
    "/dialogues/{public_id}/publish",
    response=DialogueDetailOut,
    summary="Công khai kết quả đối thoại",
    description="Chỉ sau khi đã tổ chức; công khai muộn hơn quy định được ghi nhận kèm cảnh báo "
    "`publish_late`.",
)
def dialogue_publish(
    request: HttpRequest, public_id: uuid.UUID, payload: PublishIn
) -> dict[str, Any]:
    actor = request_actor(request)
    dialogue = dialogue_services.dialogue_publish(
        actor=actor,
        dialogue=_dialogue(actor, public_id),
        results=payload.results,
        published_on=payload.published_on,
    )
    return _fresh(actor, dialogue)


@router.post(
    "/dialogues/{public_id}/questions",
    response={201: QuestionOut},
    summary="Thêm ý kiến, câu hỏi",
)
def question_add(
    request: HttpRequest, public_id: uuid.UUID, payload: QuestionIn
) -> Answer[DialogueQuestion]:
    actor = request_actor(request)
    item = dialogue_services.question_add(
        actor=actor, dialogue=_dialogue(actor, public_id), **payload.model_dump()
    )
    return Answer(201, item)


@router.post(
    "/dialogues/{public_id}/questions/{question_id}/answer",
    response=QuestionOut,
    summary="Ghi trả lời ý kiến",
)
def question_answer(
    request: HttpRequest, public_id: uuid.UUID, question_id: int, payload: AnswerIn
) -> DialogueQuestion:
    actor = request_actor(request)
    question = dialogue_selectors.question_get(dialogue=_dialogue(actor, public_id), pk=question_id)
    return dialogue_services.question_answer(
        actor=actor, question=question, answer=payload.answer, answered_by=payload.answered_by
    )


@router.post(
    "/dialogues/{public_id}/commitments",
    response={201: CommitmentOut},
    summary="Thêm cam kết",
)
def commitment_add(
    request: HttpRequest, public_id: uuid.UUID, payload: CommitmentIn
) -> Answer[Commitment]:
    actor = request_actor(request)
    dialogue = _dialogue(actor, public_id)
    question = (
        dialogue_selectors.question_get(dialogue=dialogue, pk=payload.question_id)
        if payload.question_id is not None
        else None
    )
    item = dialogue_services.commitment_add(
        actor=actor,
        dialogue=dialogue,
        text=payload.text,
        responsible=payload.responsible,
        due_date=payload.due_date,
        question=question,
    )
    return Answer(201, dialogue_selectors.commitment_get(user=actor, pk=item.pk))


@router.get(
    "/commitments",
    response=list[CommitmentOut],
    summary="Cam kết tại hội nghị đối thoại",
    description="Cam kết của các hội nghị đối thoại của đơn vị và các đơn vị trực thuộc, hạn "
    "sớm nhất trước, với cờ `overdue` (quá hạn mà chưa hoàn thành).",
)
@paginate(LimitOffsetPagination)
def commitment_list(
    request: HttpRequest, filters: Query[CommitmentFilters]
) -> QuerySet[Commitment]:
    actor = request_actor(request)
    unit = _unit(actor, filters.unit)
    return dialogue_selectors.commitments_under(user=actor, unit=unit, open_only=filters.open)


@router.post(
    "/commitments/{commitment_id}/done",
    response=CommitmentOut,
    summary="Ghi nhận hoàn thành cam kết",
)
def commitment_done(request: HttpRequest, commitment_id: int, payload: DoneIn) -> Commitment:
    actor = request_actor(request)
    item = dialogue_services.commitment_done(
        actor=actor,
        commitment=dialogue_selectors.commitment_get(user=actor, pk=commitment_id),
        done_on=payload.done_on,
        result=payload.result,
    )
    return dialogue_selectors.commitment_get(user=actor, pk=item.pk)
