"""Reads of people's supervision, scoped to what the actor may see.

Reading needs Perm.DEMOCRACY_VIEW on the unit; a record of a unit out of sight answers
like a missing one. The checks here (board size and villages, late plan notices,
overdue recommendations, missing conferences) name the SupervisionRule version they
apply, with its citation and its to-verify flag. Lists compute them in bulk, so a page
runs a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm, subtree_q
from danvan.core.errors import NotFound
from danvan.legal.workdays import WorkCalendar
from danvan.units.models import Unit, UnitKind

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
    SupervisionRule,
)
from .rules.selectors import RuleBook


def today() -> dt.date:
    return timezone.localdate()


def _visible(user: Any, unit: Unit) -> bool:
    return policies.has_perm(user, Perm.DEMOCRACY_VIEW, unit)


# --- boards ------------------------------------------------------------------------------


def boards_under(*, user: Any, unit: Unit | None, kind: str | None = None) -> QuerySet[Board]:
    """The boards of *unit*'s subtree (None: the nation, national grants only; of one
    kind, if given)."""
    policies.require(user, Perm.DEMOCRACY_VIEW, unit)
    qs = Board.objects.filter(subtree_q(unit, "unit__") if unit else Q())
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("unit").order_by("unit__path", "kind", "-term_start", "id")


def board_get(*, user: Any, public_id: uuid.UUID) -> Board:
    board = Board.objects.select_related("unit").filter(public_id=public_id).first()
    if board is None or not _visible(user, board.unit):
        raise NotFound(_("Không tìm thấy ban."), code="board_not_found")
    return board


def board_members(board: Board) -> QuerySet[BoardMember]:
    return board.members.select_related("village").order_by("role", "full_name", "id")


@dataclass(frozen=True)
class BoardFinding:
    """A way a board falls short of (or exceeds) what the law asks."""

    code: str
    message: str
    rule: SupervisionRule
    villages: tuple[Unit, ...] = ()


@dataclass
class BoardRow:
    board: Board
    members: list[BoardMember]  # current on the day of the check
    findings: list[BoardFinding] = field(default_factory=list)


def _villages_of(units: Iterable[Unit]) -> dict[int, list[Unit]]:
    """The villages in force under each commune, in one query."""
    ids = [u.pk for u in units]
    out: dict[int, list[Unit]] = defaultdict(list)
    rows = Unit.objects.filter(
        parent_id__in=ids, kind=UnitKind.VILLAGE, valid_to__isnull=True
    ).order_by("path")
    for village in rows:
        assert village.parent_id is not None
        out[village.parent_id].append(village)
    return out


def composition_findings(
    board: Board, members: list[BoardMember], villages: list[Unit], book: RuleBook, day: dt.date
) -> list[BoardFinding]:
    """What is wrong with a board's make-up on *day*, from rows already loaded (so lists
    and the steering committee's board check many boards without a query each)."""
    out: list[BoardFinding] = []
    if board.kind == Board.Kind.INSPECTION:
        # Law 10/2022/QH15: a people's inspection board has at least 5 members, at least
        # one from each village (figures: rule data).
        least = book.on(RuleCode.INSPECTION_MIN_MEMBERS, day)
        if least is not None and len(members) < least.amount:
            out.append(
                BoardFinding(
                    "too_few_members",
                    _("Ban có %(have)s thành viên, ít hơn mức tối thiểu %(n)s.")
                    % {"have": len(members), "n": least.amount},
                    least,
                )
            )
        per_village = book.on(RuleCode.INSPECTION_MEMBERS_PER_VILLAGE, day)
        if per_village is not None:
            count: dict[int, int] = defaultdict(int)
            for m in members:
                if m.village_id is not None:
                    count[m.village_id] += 1
            missing = tuple(v for v in villages if count[v.pk] < per_village.amount)
            if missing:
                out.append(
                    BoardFinding(
                        "village_without_member",
                        _("%(n)s thôn, tổ dân phố chưa có thành viên: %(names)s.")
                        % {"n": len(missing), "names": ", ".join(v.name for v in missing)},
                        per_village,
                        missing,
                    )
                )
    else:
        most = book.on(RuleCode.INVESTMENT_MAX_REPRESENTATIVES, day)
        if most is not None and len(members) > most.amount:
            out.append(
                BoardFinding(
                    "too_many_representatives",
                    _("Ban có %(have)s đại diện, nhiều hơn mức tối đa %(n)s.")
                    % {"have": len(members), "n": most.amount},
                    most,
                )
            )
        cap = book.on(RuleCode.INVESTMENT_MAX_DEPUTIES, day)
        deputies = sum(1 for m in members if m.role == BoardMember.Role.DEPUTY)
        if cap is not None and deputies > cap.amount:
            out.append(
                BoardFinding(
                    "too_many_deputies",
                    _("Ban có %(have)s phó trưởng ban, nhiều hơn mức tối đa %(n)s.")
                    % {"have": deputies, "n": cap.amount},
                    cap,
                )
            )
    return out


def board_rows(boards: Iterable[Board], *, on: dt.date | None = None) -> list[BoardRow]:
    """The boards with their current members and findings (three queries in all)."""
    boards = list(boards)
    if not boards:
        return []
    day = on or today()
    book = RuleBook()
    members: dict[int, list[BoardMember]] = defaultdict(list)
    for m in BoardMember.objects.filter(board__in=boards).select_related("village"):
        if m.is_current_on(day):
            members[m.board_id].append(m)
    villages = _villages_of({b.unit.pk: b.unit for b in boards}.values())
    rows = []
    for board in boards:
        current = members[board.pk]
        found = composition_findings(board, current, villages[board.unit_id], book, day)
        rows.append(BoardRow(board, current, found))
    return rows


def board_findings(board: Board, *, on: dt.date | None = None) -> list[BoardFinding]:
    """What *board* lacks or has too much of on *on* (default today), with citations."""
    return board_rows([board], on=on)[0].findings


# --- plans -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    plan: Plan
    rule: SupervisionRule | None
    earliest_start: dt.date | None  # the first day the plan may start, given sent_on
    late_notice: bool
    not_sent: bool


def _plan_row(plan: Plan, book: RuleBook, calendar: WorkCalendar) -> PlanRow:
    # Law 10/2022/QH15 / Decree 59/2023: the plan is sent to the body concerned at least
    # N working days before it starts: sent_on + N working days must not pass starts_on.
    rule = book.on(RuleCode.PLAN_NOTICE_WORKING_DAYS, plan.starts_on)
    if rule is None or plan.sent_on is None:
        return PlanRow(plan, rule, None, False, plan.sent_on is None)
    earliest = calendar.add_working_days(plan.sent_on, rule.amount)
    return PlanRow(plan, rule, earliest, plan.starts_on < earliest, False)


def plan_rows(plans: Iterable[Plan]) -> list[PlanRow]:
    book = RuleBook([RuleCode.PLAN_NOTICE_WORKING_DAYS])
    calendar = WorkCalendar()
    return [_plan_row(p, book, calendar) for p in plans]


def plan_row(plan: Plan) -> PlanRow:
    return plan_rows([plan])[0]


def board_plans(board: Board) -> list[PlanRow]:
    return plan_rows(board.plans.order_by("-starts_on", "-id"))


def plan_get(*, user: Any, public_id: uuid.UUID) -> Plan:
    plan = Plan.objects.select_related("board__unit").filter(public_id=public_id).first()
    if plan is None or not _visible(user, plan.board.unit):
        raise NotFound(_("Không tìm thấy kế hoạch."), code="plan_not_found")
    return plan


def _overdue() -> ExpressionWrapper:
    return ExpressionWrapper(
        Q(state=Recommendation.State.OPEN, due_date__lt=today()), output_field=BooleanField()
    )


def plan_activities(plan: Plan) -> list[Activity]:
    """The activities of *plan* with their findings and recommendations (three queries)."""
    recs = Recommendation.objects.annotate(overdue=_overdue()).order_by("due_date", "id")
    findings = Finding.objects.order_by("id").prefetch_related(
        Prefetch("recommendations", queryset=recs)
    )
    return list(
        plan.activities.order_by("date", "id").prefetch_related(
            Prefetch("findings", queryset=findings)
        )
    )


def activity_get(*, plan: Plan, pk: int) -> Activity:
    activity = plan.activities.filter(pk=pk).first()
    if activity is None:
        raise NotFound(_("Không tìm thấy hoạt động."), code="activity_not_found")
    activity.plan = plan
    return activity


def finding_get(*, plan: Plan, pk: int) -> Finding:
    finding = Finding.objects.select_related("activity").filter(pk=pk, activity__plan=plan).first()
    if finding is None:
        raise NotFound(_("Không tìm thấy phát hiện."), code="finding_not_found")
    finding.activity.plan = plan
    return finding


# --- recommendations ---------------------------------------------------------------------

_REC_RELATED = ("finding__activity__plan__board__unit",)


def recommendations_under(
    *, user: Any, unit: Unit, open_only: bool = False
) -> QuerySet[Recommendation]:
    """The recommendations of boards in *unit*'s subtree: open first, then answered, then
    closed; each by due date. `overdue` is annotated."""
    policies.require(user, Perm.DEMOCRACY_VIEW, unit)
    qs = Recommendation.objects.filter(subtree_q(unit, "finding__activity__plan__board__unit__"))
    if open_only:
        qs = qs.exclude(state=Recommendation.State.CLOSED)
    order = Case(
        When(state=Recommendation.State.OPEN, then=Value(0)),
        When(state=Recommendation.State.ANSWERED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        qs.select_related(*_REC_RELATED)
        .annotate(overdue=_overdue(), state_order=order)
        .order_by("state_order", "due_date", "id")
    )


def recommendation_get(*, user: Any, pk: int) -> Recommendation:
    item = (
        Recommendation.objects.select_related(*_REC_RELATED)
        .annotate(overdue=_overdue())
        .filter(pk=pk)
        .first()
    )
    if item is None or not _visible(user, item.finding.activity.plan.board.unit):
        raise NotFound(_("Không tìm thấy kiến nghị."), code="recommendation_not_found")
    return item


# --- conferences -------------------------------------------------------------------------

# What each kind of unit must hold every year, and the rule giving how many times.
REQUIRED_CONFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    UnitKind.AGENCY: ((Conference.Kind.STAFF, RuleCode.STAFF_CONFERENCES_PER_YEAR),),
    UnitKind.ENTERPRISE: (
        (Conference.Kind.WORKERS, RuleCode.WORKERS_CONFERENCES_PER_YEAR),
        (Conference.Kind.DIALOGUE, RuleCode.WORKPLACE_DIALOGUES_PER_YEAR),
    ),
}


def conferences_under(
    *, user: Any, unit: Unit, year: int | None = None, kind: str | None = None
) -> QuerySet[Conference]:
    policies.require(user, Perm.DEMOCRACY_VIEW, unit)
    qs = Conference.objects.filter(subtree_q(unit, "unit__"))
    if year is not None:
        qs = qs.filter(held_on__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("unit").order_by("-held_on", "-id")


@dataclass(frozen=True)
class ConferenceGap:
    """An agency or enterprise that held fewer conferences of a kind than required."""

    unit: Unit
    kind: str
    required: int
    held: int
    rule: SupervisionRule
    ongoing: bool  # the year is not over yet

    @property
    def kind_label(self) -> str:
        return str(Conference.Kind(self.kind).label)


def conference_gaps(*, user: Any, unit: Unit, year: int) -> list[ConferenceGap]:
    """The agencies and enterprises in *unit*'s subtree (in force during *year*) that held
    fewer required conferences in *year* than the rule in force asks (three queries)."""
    policies.require(user, Perm.DEMOCRACY_VIEW, unit)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    now = today()
    day = min(last, max(first, now))
    units = list(
        Unit.objects.filter(subtree_q(unit), kind__in=list(REQUIRED_CONFERENCES))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=last))
        .order_by("path")
    )
    if not units:
        return []
    held: dict[tuple[int, str], int] = {
        (row["unit_id"], row["kind"]): row["n"]
        for row in Conference.objects.filter(
            subtree_q(unit, "unit__"), held_on__gte=first, held_on__lte=last
        )
        .values("unit_id", "kind")
        .annotate(n=Count("id"))
    }
    book = RuleBook(code for pairs in REQUIRED_CONFERENCES.values() for _k, code in pairs)
    gaps = []
    for u in units:
        for kind, code in REQUIRED_CONFERENCES[u.kind]:
            rule = book.on(code, day)
            count = held.get((u.pk, kind), 0)
            if rule is not None and count < rule.amount:
                gaps.append(ConferenceGap(u, kind, rule.amount, count, rule, last >= now))
    return gaps


@dataclass(frozen=True)
class PlanOfConference:
    """A scheduled conference and where it stands on *today*."""

    plan: ConferencePlan
    overdue: bool  # the planned day has passed and no conference was recorded from it


def conference_plans(*, user: Any, unit: Unit, year: int) -> list[PlanOfConference]:
    """The conferences scheduled in *unit*'s subtree for *year* (one query)."""
    policies.require(user, Perm.DEMOCRACY_VIEW, unit)
    now = today()
    rows = (
        ConferencePlan.objects.filter(subtree_q(unit, "unit__"), planned_on__year=year)
        .select_related("unit", "conference")
        .order_by("planned_on", "id")
    )
    return [PlanOfConference(p, p.conference_id is None and p.planned_on < now) for p in rows]


def conference_plan_get(*, user: Any, pk: int) -> ConferencePlan:
    plan = ConferencePlan.objects.select_related("unit").filter(pk=pk).first()
    if plan is None or not policies.has_perm(user, Perm.DEMOCRACY_VIEW, plan.unit):
        raise NotFound(_("Không tìm thấy lịch hội nghị."), code="conference_plan_not_found")
    return plan
