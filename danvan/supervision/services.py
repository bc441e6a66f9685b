"""Every write of people's supervision: boards and their members, plans, activities,
findings, recommendations tracked to closure, and conferences of agencies and
enterprises.

Each service checks Perm.DEMOCRACY_MANAGE on the unit concerned, validates, writes in
one transaction and records the audit row. A refused write raises DomainError with a
Vietnamese message and writes nothing. Limits the law sets on what may exist (the size
of a community investment supervision board, the people on each side of a workplace
dialogue) are refused; facts the law asks to be otherwise but which did happen (a
plan sent late, a board short of members) are recorded and flagged by the selectors.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.audit import services as audit
from danvan.core.errors import Checks, DomainError
from danvan.core.validators import future_date_message, one_of
from danvan.units.models import Unit, UnitKind

from .errors import SupervisionError
from .models import (
    Activity,
    Board,
    BoardMember,
    Conference,
    ConferencePlan,
    Finding,
    Plan,
    Recommendation,
    RuleCode,
)
from .rules.selectors import rule_on

RecState = Recommendation.State

# The one table of which recommendation action is allowed from which state.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    # A second answer corrects or completes the first.
    "answer": (RecState.OPEN, RecState.ANSWERED),
    "close": (RecState.ANSWERED,),
}

# Which kind of unit holds which conference (Law 10/2022/QH15 for agencies; Labour Code
# 2019 and Decree 145/2020 for enterprises).
CONFERENCE_UNIT_KINDS: dict[str, tuple[str, ...]] = {
    Conference.Kind.STAFF: (UnitKind.AGENCY,),
    Conference.Kind.WORKERS: (UnitKind.ENTERPRISE,),
    Conference.Kind.DIALOGUE: (UnitKind.ENTERPRISE,),
}


def today() -> dt.date:
    return timezone.localdate()


def _error(code: SupervisionError, message: str, field: str | None = None) -> DomainError:
    return DomainError(code.value, message, field=field)


def _require(actor: Any, unit: Unit) -> None:
    # actor None: the system itself (a loader, a command), as in the other services.
    if actor is not None:
        policies.require(actor, Perm.DEMOCRACY_MANAGE, unit)


def _creator(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise _error(SupervisionError.EMPTY, message, field)
    return value


def _not_future(value: dt.date, field: str) -> None:
    if value > today():
        raise _error(SupervisionError.BAD_DATE, future_date_message(value, today()), field)


def _not_before(value: dt.date, earliest: dt.date, field: str, message: str) -> None:
    if value < earliest:
        raise _error(SupervisionError.BAD_DATE, message % {"d": f"{earliest:%d/%m/%Y}"}, field)


def allowed(action: str, recommendation: Recommendation) -> bool:
    return recommendation.state in TRANSITIONS[action]


# --- boards and members ------------------------------------------------------------------


def board_checks(data: dict[str, Any]) -> None:
    """The rules on a board's own fields, for the keys present in *data* (board_create's
    keyword names); one DomainError lists every problem. BoardForm runs it too."""
    checks = Checks()
    kind = data.get("kind")
    if "kind" in data and kind not in Board.Kind.values:
        checks.refuse(
            SupervisionError.BAD_UNIT,
            one_of(_("Loại ban"), Board.Kind.labels),
            field="kind",
        )
    if "project" in data:
        project = (data["project"] or "").strip()
        if kind == Board.Kind.INVESTMENT and not project:
            checks.refuse(
                SupervisionError.EMPTY,
                _("Ban Giám sát đầu tư của cộng đồng cần ghi tên dự án, công trình."),
                field="project",
            )
        elif kind == Board.Kind.INSPECTION and project:
            checks.refuse(
                SupervisionError.BAD_UNIT,
                _("Ban Thanh tra nhân dân không gắn với một dự án: để trống ô này."),
                field="project",
            )
    start, end = data.get("term_start"), data.get("term_end")
    if start is not None and end is not None and end < start:
        checks.refuse(
            SupervisionError.BAD_DATE,
            _("Ngày kết thúc nhiệm kỳ phải từ ngày bắt đầu (%(d)s) trở đi.")
            % {"d": f"{start:%d/%m/%Y}"},
            field="term_end",
        )
    checks.raise_if_any()


def plan_checks(data: dict[str, Any]) -> None:
    """The rules on a plan's fields, for the keys present in *data* (plan_create's
    keyword names); one DomainError lists every problem. PlanForm runs it too."""
    checks = Checks()
    if "title" in data and not (data["title"] or "").strip():
        checks.refuse(SupervisionError.EMPTY, _("Cần ghi tên kế hoạch."), field="title")
    sent_on, starts_on = data.get("sent_on"), data.get("starts_on")
    if sent_on is not None:
        with checks.collect():
            _not_future(sent_on, "sent_on")
        if starts_on is not None and sent_on > starts_on:
            checks.refuse(
                SupervisionError.BAD_DATE,
                _("Ngày gửi kế hoạch phải trước hoặc đúng ngày bắt đầu (%(d)s).")
                % {"d": f"{starts_on:%d/%m/%Y}"},
                field="sent_on",
            )
    checks.raise_if_any()


@transaction.atomic
def board_create(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    term_start: dt.date,
    term_end: dt.date | None = None,
    project: str = "",
) -> Board:
    """Record a people's inspection board or a community investment supervision board of
    the commune *unit* (Law 10/2022/QH15)."""
    _require(actor, unit)
    if unit.kind != UnitKind.COMMUNE or unit.is_historical:
        raise _error(
            SupervisionError.BAD_UNIT,
            _("Ban chỉ được thành lập ở xã, phường, đặc khu đang hoạt động."),
            "unit",
        )
    board_checks({"kind": kind, "project": project, "term_start": term_start, "term_end": term_end})
    project = (project or "").strip()
    board = Board.objects.create(
        unit=unit,
        kind=kind,
        project=project,
        term_start=term_start,
        term_end=term_end,
        created_by=_creator(actor),
    )
    audit.record_create(actor=actor, instance=board)
    return board


def _current_members(board: Board, day: dt.date) -> list[BoardMember]:
    return [m for m in board.members.all() if m.is_current_on(day)]


def _check_investment_limits(board: Board, role: str, day: dt.date) -> None:
    """Law 10/2022/QH15: a community investment supervision board has at most 5
    representatives of the community, of whom at most 2 deputies (figures: rule data)."""
    members = _current_members(board, day)
    most = rule_on(RuleCode.INVESTMENT_MAX_REPRESENTATIVES, day)
    # Every member of this board (head and deputies included) represents the community.
    if len(members) + 1 > most.amount:
        raise _error(
            SupervisionError.TOO_MANY_REPRESENTATIVES,
            _(
                "Ban Giám sát đầu tư của cộng đồng có tối đa %(n)s đại diện (%(citation)s); "
                "ban đã có %(have)s người."
            )
            % {"n": most.amount, "citation": most.citation, "have": len(members)},
            "role",
        )
    if role == BoardMember.Role.DEPUTY:
        deputies = sum(1 for m in members if m.role == BoardMember.Role.DEPUTY)
        cap = rule_on(RuleCode.INVESTMENT_MAX_DEPUTIES, day)
        if deputies + 1 > cap.amount:
            raise _error(
                SupervisionError.TOO_MANY_DEPUTIES,
                _(
                    "Ban Giám sát đầu tư của cộng đồng có tối đa %(n)s phó trưởng ban "
                    "(%(citation)s); ban đã có %(have)s phó trưởng ban."
                )
                % {"n": cap.amount, "citation": cap.citation, "have": deputies},
                "role",
            )


def member_checks(data: dict[str, Any], *, board: Board) -> None:
    """The rules on a new member of *board* that need no lock, for the keys present in
    *data* (member_add's keyword names); one DomainError lists every problem. MemberForm
    runs it too (one pass). The board's legal size counts its current members, so it is
    checked in member_add under the board's lock."""
    checks = Checks()
    if "full_name" in data and not (data["full_name"] or "").strip():
        checks.refuse(SupervisionError.EMPTY, _("Cần ghi họ và tên thành viên."), field="full_name")
    role = data.get("role")
    if "role" in data and role not in BoardMember.Role.values:
        checks.refuse(
            SupervisionError.BAD_MEMBER, one_of(_("Vai trò"), BoardMember.Role.labels), field="role"
        )
    elif role == BoardMember.Role.REPRESENTATIVE and board.kind != Board.Kind.INVESTMENT:
        # Law 10/2022/QH15: community representatives sit on the community investment
        # supervision board; a people's inspection board has a head, deputies, members.
        checks.refuse(
            SupervisionError.BAD_MEMBER,
            _(
                "Vai trò “Đại diện cộng đồng” chỉ dùng cho Ban Giám sát đầu tư của cộng đồng; "
                "%(kind)s có Trưởng ban, Phó trưởng ban và Thành viên."
            )
            % {"kind": board.get_kind_display()},
            field="role",
        )
    village = data.get("village")
    if village is not None and (
        village.kind != UnitKind.VILLAGE
        or village.parent_id != board.unit_id
        or village.is_historical
    ):
        checks.refuse(
            SupervisionError.BAD_MEMBER,
            _("Chọn một thôn, tổ dân phố đang hoạt động của %(unit)s, hoặc để trống.")
            % {"unit": board.unit.name},
            field="village",
        )
    start, end = data.get("term_start"), data.get("term_end")
    if start is not None and end is not None and end < start:
        checks.refuse(
            SupervisionError.BAD_DATE,
            _("Ngày kết thúc phải từ ngày bắt đầu (%(d)s) trở đi.") % {"d": f"{start:%d/%m/%Y}"},
            field="term_end",
        )
    checks.raise_if_any()


@transaction.atomic
def member_add(
    *,
    actor: Any,
    board: Board,
    full_name: str,
    role: str,
    village: Unit | None = None,
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
) -> BoardMember:
    """Add a member to *board*; an investment board over its legal size is refused."""
    _require(actor, board.unit)
    member_checks(
        {
            "full_name": full_name,
            "role": role,
            "village": village,
            "term_start": term_start,
            "term_end": term_end,
        },
        board=board,
    )
    # Lock the board so two additions at once cannot both pass the size check.
    board = Board.objects.select_for_update().select_related("unit").get(pk=board.pk)
    full_name = (full_name or "").strip()
    if board.kind == Board.Kind.INVESTMENT:
        _check_investment_limits(board, role, max(term_start or today(), today()))
    member = BoardMember.objects.create(
        board=board,
        full_name=full_name,
        role=role,
        village=village,
        term_start=term_start,
        term_end=term_end,
    )
    audit.record_create(actor=actor, instance=member)
    return member


# --- plans, activities, findings ---------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    board: Board,
    title: str,
    starts_on: dt.date,
    scope: str = "",
    sent_on: dt.date | None = None,
) -> Plan:
    """Record a plan of *board*. A plan sent fewer working days ahead than the law asks
    is recorded as it happened and flagged by the selectors (plan_row), not refused."""
    _require(actor, board.unit)
    plan_checks({"title": title, "starts_on": starts_on, "sent_on": sent_on})
    plan = Plan.objects.create(
        board=board,
        title=title.strip(),
        scope=(scope or "").strip(),
        starts_on=starts_on,
        sent_on=sent_on,
    )
    audit.record_create(actor=actor, instance=plan)
    return plan


@transaction.atomic
def activity_add(*, actor: Any, plan: Plan, date: dt.date, description: str) -> Activity:
    """Record what the board did on *date* under *plan*."""
    _require(actor, plan.board.unit)
    description = _text(description, "description", _("Cần ghi nội dung đã thực hiện."))
    _not_future(date, "date")
    _not_before(date, plan.starts_on, "date", _("Ngày không được trước ngày bắt đầu (%(d)s)."))
    activity = Activity.objects.create(plan=plan, date=date, description=description)
    audit.record_create(actor=actor, instance=activity)
    return activity


@transaction.atomic
def finding_add(*, actor: Any, activity: Activity, text: str) -> Finding:
    _require(actor, activity.plan.board.unit)
    finding = Finding.objects.create(
        activity=activity, text=_text(text, "text", _("Cần ghi nội dung phát hiện."))
    )
    audit.record_create(actor=actor, instance=finding)
    return finding


# --- recommendations ---------------------------------------------------------------------


@transaction.atomic
def recommendation_add(
    *, actor: Any, finding: Finding, text: str, addressed_to: str, due_date: dt.date
) -> Recommendation:
    """Record a recommendation from *finding*, to be tracked until the board closes it."""
    _require(actor, finding.activity.plan.board.unit)
    text = _text(text, "text", _("Cần ghi nội dung kiến nghị."))
    addressed_to = _text(addressed_to, "addressed_to", _("Cần ghi cơ quan, người nhận kiến nghị."))
    _not_before(
        due_date,
        finding.activity.date,
        "due_date",
        _("Hạn trả lời không được trước ngày hoạt động (%(d)s)."),
    )
    item = Recommendation.objects.create(
        finding=finding, text=text, addressed_to=addressed_to, due_date=due_date
    )
    audit.record_create(actor=actor, instance=item)
    return item


def _locked(recommendation: Recommendation) -> Recommendation:
    return (
        Recommendation.objects.select_for_update()
        .select_related("finding__activity__plan__board__unit")
        .get(pk=recommendation.pk)
    )


def _check_allowed(action: str, item: Recommendation) -> None:
    if not allowed(action, item):
        raise _error(
            SupervisionError.BAD_STATE,
            _("Không thực hiện được thao tác này khi kiến nghị đang ở trạng thái “%(s)s”.")
            % {"s": item.get_state_display()},
        )


@transaction.atomic
def recommendation_answer(
    *, actor: Any, recommendation: Recommendation, answer: str, answered_on: dt.date
) -> Recommendation:
    """Record the answer of the body the recommendation was addressed to."""
    _require(actor, recommendation.finding.activity.plan.board.unit)
    item = _locked(recommendation)
    _check_allowed("answer", item)
    answer = _text(answer, "answer", _("Cần ghi nội dung trả lời."))
    _not_future(answered_on, "answered_on")
    _not_before(
        answered_on,
        item.finding.activity.date,
        "answered_on",
        _("Ngày trả lời không được trước ngày hoạt động (%(d)s)."),
    )
    before = audit.snapshot(item)
    item.answer = answer
    item.answered_on = answered_on
    item.state = RecState.ANSWERED
    item.save()
    audit.record_update(actor=actor, instance=item, before=before)
    return item


@transaction.atomic
def recommendation_close(
    *, actor: Any, recommendation: Recommendation, closed_on: dt.date, closing_note: str = ""
) -> Recommendation:
    """Close an answered recommendation: the board has followed it to its end."""
    _require(actor, recommendation.finding.activity.plan.board.unit)
    item = _locked(recommendation)
    _check_allowed("close", item)
    _not_future(closed_on, "closed_on")
    assert item.answered_on is not None  # answered is the only state close starts from
    _not_before(
        closed_on,
        item.answered_on,
        "closed_on",
        _("Ngày kết thúc không được trước ngày trả lời (%(d)s)."),
    )
    before = audit.snapshot(item)
    item.closed_on = closed_on
    item.closing_note = (closing_note or "").strip()
    item.state = RecState.CLOSED
    item.save()
    audit.record_update(actor=actor, instance=item, before=before)
    return item


# --- conferences of agencies and enterprises -----------------------------------------------


def _conference_unit_checks(checks: Checks, data: dict[str, Any]) -> None:
    """Which kind of unit holds which conference (CONFERENCE_UNIT_KINDS), for the keys
    *kind* and *unit* present in *data*."""
    kind, unit = data.get("kind"), data.get("unit")
    if "kind" in data and kind not in CONFERENCE_UNIT_KINDS:
        checks.refuse(
            SupervisionError.BAD_UNIT,
            one_of(_("Loại hội nghị"), [Conference.Kind(k).label for k in CONFERENCE_UNIT_KINDS]),
            field="kind",
        )
    elif (
        unit is not None
        and kind is not None
        and (unit.kind not in CONFERENCE_UNIT_KINDS[kind] or unit.is_historical)
    ):
        checks.refuse(
            SupervisionError.BAD_UNIT,
            _(
                "%(kind)s chỉ ghi nhận cho %(units)s đang hoạt động; “%(unit)s” không phải "
                "là đơn vị như vậy."
            )
            % {
                "kind": Conference.Kind(kind).label,
                "units": ", ".join(str(UnitKind(k).label) for k in CONFERENCE_UNIT_KINDS[kind]),
                "unit": unit.name,
            },
            field="unit",
        )


def conference_checks(data: dict[str, Any]) -> None:
    """The rules on recording a conference that need no lock, for the keys present in
    *data* (conference_record's keyword names); one DomainError lists every problem.
    ConferenceForm runs it too (one pass). Whether the schedule entry (*plan*) is still
    open is checked in conference_record, under its lock."""
    checks = Checks()
    _conference_unit_checks(checks, data)
    held_on = data.get("held_on")
    if held_on is not None:
        with checks.collect():
            _not_future(held_on, "held_on")
    counts = {
        name: data[name]
        for name in ("participants_employer", "participants_workers")
        if data.get(name) is not None
    }
    for name, count in counts.items():
        if count < 0:
            checks.refuse(
                SupervisionError.TOO_FEW_PARTICIPANTS,
                _("Số người không được âm: nhập 0 hoặc số dương."),
                field=name,
            )
    if data.get("kind") == Conference.Kind.DIALOGUE and held_on is not None:
        # Labour Code 2019 art. 63, Decree 145/2020: at least the legal number of people
        # on each side of a workplace dialogue (the figure in force on the day: rule data).
        with checks.collect():
            rule = rule_on(RuleCode.WORKPLACE_DIALOGUE_MIN_PER_SIDE, held_on)
            for name, count in counts.items():
                if 0 <= count < rule.amount:
                    checks.refuse(
                        SupervisionError.TOO_FEW_PARTICIPANTS,
                        _(
                            "Đối thoại tại nơi làm việc cần ít nhất %(n)s người mỗi bên "
                            "(%(citation)s); bên này có %(have)s người."
                        )
                        % {"n": rule.amount, "citation": rule.citation, "have": count},
                        field=name,
                    )
    checks.raise_if_any()


def conference_plan_checks(data: dict[str, Any]) -> None:
    """The rules on putting a conference on the schedule, for the keys present in *data*
    (conference_schedule's keyword names); one DomainError lists every problem.
    ConferencePlanForm runs it too (one pass)."""
    checks = Checks()
    _conference_unit_checks(checks, data)
    planned_on = data.get("planned_on")
    if planned_on is not None and planned_on < today():
        checks.refuse(
            SupervisionError.BAD_DATE,
            _(
                "Ngày dự kiến đã qua: chỉ lên lịch từ hôm nay (%(today)s) trở đi; hội nghị "
                "đã tổ chức thì ghi nhận hội nghị."
            )
            % {"today": f"{today():%d/%m/%Y}"},
            field="planned_on",
        )
    checks.raise_if_any()


@transaction.atomic
def conference_record(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    held_on: dt.date,
    participants_employer: int,
    participants_workers: int,
    minutes: str = "",
    minutes_file: UploadedFile | None = None,
    plan: ConferencePlan | None = None,
) -> Conference:
    """Record a conference held by an agency or an enterprise (from its *plan*, if it
    was put on the schedule: the plan is then linked to it).

    A workplace dialogue needs at least the legal number of people on each side (Labour
    Code 2019 art. 63, Decree 145/2020; figure: rule data): fewer is refused.
    """
    _require(actor, unit)
    conference_checks(
        {
            "unit": unit,
            "kind": kind,
            "held_on": held_on,
            "participants_employer": participants_employer,
            "participants_workers": participants_workers,
        }
    )
    if plan is not None:
        plan = ConferencePlan.objects.select_for_update().get(pk=plan.pk)
        if plan.unit_id != unit.pk or plan.kind != kind or plan.conference_id is not None:
            raise _error(
                SupervisionError.BAD_STATE,
                _("Lịch này không khớp (đơn vị, loại hội nghị) hoặc đã được ghi nhận."),
                "plan",
            )
    conference = Conference(
        unit=unit,
        kind=kind,
        held_on=held_on,
        participants_employer=participants_employer,
        participants_workers=participants_workers,
        minutes=(minutes or "").strip(),
        created_by=_creator(actor),
    )
    if minutes_file is not None:
        conference.minutes_file = minutes_file
    conference.save()
    audit.record_create(actor=actor, instance=conference)
    if plan is not None:
        before = audit.snapshot(plan)
        plan.conference = conference
        plan.save(update_fields=["conference", "updated_at"])
        audit.record_update(actor=actor, instance=plan, before=before)
    return conference


@transaction.atomic
def conference_schedule(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    planned_on: dt.date,
    place: str = "",
    note: str = "",
) -> ConferencePlan:
    """Put a conference on an agency's or an enterprise's schedule (today or later: a
    conference already held is recorded with conference_record)."""
    _require(actor, unit)
    conference_plan_checks({"unit": unit, "kind": kind, "planned_on": planned_on})
    plan = ConferencePlan.objects.create(
        unit=unit,
        kind=kind,
        planned_on=planned_on,
        place=(place or "").strip(),
        note=(note or "").strip(),
        created_by=_creator(actor),
    )
    audit.record_create(actor=actor, instance=plan)
    return plan
