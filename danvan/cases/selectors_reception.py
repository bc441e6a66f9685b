"""Reads of citizen reception and dialogues, scoped to what the actor may see.

Reading needs Perm.CASE_VIEW on the unit; a record of a unit out of sight answers like a
missing one. The legal minimums and time limits are DutyRule data (danvan.legal): the
warnings here (reception shortfalls, late announcements and publications) name the rule
version they apply, with its citation and its to-verify flag.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm, subtree_q
from danvan.core.errors import DomainError, NotFound
from danvan.legal.duties import DutyBook, duty_rule
from danvan.legal.models import Duty, DutyRule, Measure
from danvan.units.models import Official, Unit

from .models import (
    Case,
    Commitment,
    Dialogue,
    DialogueQuestion,
    ReceptionSchedule,
    ReceptionSession,
)
from .selectors import cases_visible


def today() -> dt.date:
    return timezone.localdate()


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and the last day of a month."""
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _visible(user: Any, unit: Unit) -> bool:
    return policies.has_perm(user, Perm.CASE_VIEW, unit)


def unit_officials(unit: Unit) -> QuerySet[Official]:
    """The officials of *unit* and its bodies (the commune chair sits in the commune's
    People's Committee): who may be named as the leader who receives."""
    return (
        Official.objects.filter(subtree_q(unit, "unit__"))
        .select_related("unit")
        .order_by("unit__path", "full_name", "id")
    )


# --- schedules and sessions --------------------------------------------------------------


def schedules_under(
    *, user: Any, unit: Unit, on: dt.date | None = None
) -> QuerySet[ReceptionSchedule]:
    """The schedules of *unit*'s subtree (only those in force on *on*, if given)."""
    policies.require(user, Perm.CASE_VIEW, unit)
    qs = ReceptionSchedule.objects.filter(policies.subtree_q(unit, "unit__"))
    if on is not None:
        qs = qs.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    return qs.select_related("unit", "leader").order_by(
        "unit__path", "leader__full_name", "-valid_from", "id"
    )


def schedule_get(*, user: Any, pk: int) -> ReceptionSchedule:
    schedule = ReceptionSchedule.objects.select_related("unit", "leader").filter(pk=pk).first()
    if schedule is None or not _visible(user, schedule.unit):
        raise NotFound(_("Không tìm thấy lịch tiếp công dân."), code="schedule_not_found")
    return schedule


def sessions_under(
    *, user: Any, unit: Unit, year: int | None = None, month: int | None = None
) -> QuerySet[ReceptionSession]:
    """The sessions held in *unit*'s subtree, newest first (in one month, if given)."""
    policies.require(user, Perm.CASE_VIEW, unit)
    qs = ReceptionSession.objects.filter(policies.subtree_q(unit, "unit__"))
    if year is not None and month is not None:
        first, last = month_bounds(year, month)
        qs = qs.filter(held_on__gte=first, held_on__lte=last)
    return qs.select_related("unit", "leader", "schedule").order_by("-held_on", "-id")


def session_get(*, user: Any, pk: int) -> ReceptionSession:
    session = (
        ReceptionSession.objects.select_related("unit", "leader", "schedule", "created_by")
        .filter(pk=pk)
        .first()
    )
    if session is None or not _visible(user, session.unit):
        raise NotFound(_("Không tìm thấy buổi tiếp công dân."), code="session_not_found")
    return session


def session_cases(*, user: Any, session: ReceptionSession) -> QuerySet[Case]:
    """The cases opened from *session* that *user* may see (never the senders: aliases)."""
    return (
        cases_visible(user)
        .filter(reception_session=session)
        .select_related("unit")
        .order_by("received_on", "id")
    )


# --- the reception minimum ---------------------------------------------------------------


@dataclass(frozen=True)
class WeekGap:
    """An ISO week with fewer reception days than the minimum."""

    start: dt.date  # Monday
    end: dt.date  # Sunday
    held: int  # distinct days with a session
    ongoing: bool  # the week is not over yet

    @property
    def number(self) -> int:
        return self.start.isocalendar().week

    @property
    def iso(self) -> str:
        year, week, _ = self.start.isocalendar()
        return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Shortfall:
    """A leader who received citizens on fewer days than the legal minimum."""

    unit: Unit
    leader: Official
    duty: str
    measure: str
    amount: int  # the minimum per week or per month
    required: int  # days required over the weeks (or the month) checked
    held: int  # distinct days with a session over the same weeks (or month)
    missing_weeks: tuple[WeekGap, ...]
    ongoing: bool  # the last period checked is not over yet: days may still be added
    rule: DutyRule

    @property
    def duty_label(self) -> str:
        return str(Duty(self.duty).label)

    @property
    def citation(self) -> str:
        return self.rule.citation

    @property
    def to_verify(self) -> bool:
        return self.rule.to_verify

    @property
    def per_week(self) -> bool:
        return self.measure == Measure.DAYS_PER_WEEK


def _overlaps(periods: list[tuple[dt.date, dt.date | None]], start: dt.date, end: dt.date) -> bool:
    return any(
        valid_from <= end and (valid_to is None or valid_to >= start)
        for valid_from, valid_to in periods
    )


def _count(days: set[dt.date], start: dt.date, end: dt.date) -> int:
    return sum(1 for d in days if start <= d <= end)


def reception_shortfalls(*, user: Any, unit: Unit, year: int, month: int) -> list[Shortfall]:
    """Leaders of *unit*'s subtree whose reception days fell short in a month.

    A leader is checked when one of their schedules has a legal duty and is in force
    during the month; the duty's rule is the version in force on the month's first day.
    DAYS_PER_WEEK: every ISO week whose Monday falls in the month (up to today) while a
    schedule is in force must hold at least `amount` distinct days with a session of
    that leader in that unit (a week running into the next month counts those days).
    DAYS_PER_MONTH: at least `amount` distinct days in the month. A month not yet begun
    owes nothing. Leaders without a duty are never checked.
    """
    policies.require(user, Perm.CASE_VIEW, unit)
    first, last = month_bounds(year, month)
    now = today()
    if first > now:
        return []
    schedules = list(
        ReceptionSchedule.objects.filter(policies.subtree_q(unit, "unit__"))
        .exclude(duty="")
        .filter(valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .select_related("unit", "leader")
        .order_by("unit__path", "leader__full_name", "valid_from", "id")
    )
    if not schedules:
        return []
    # One group per leader, unit and duty: a leader whose schedule changed mid-month
    # (another day, another place) is checked once over the union of the schedules.
    groups: dict[tuple[int, int, str], list[ReceptionSchedule]] = {}
    for schedule in schedules:
        groups.setdefault((schedule.unit_id, schedule.leader_id, schedule.duty), []).append(
            schedule
        )
    days: dict[tuple[int, int], set[dt.date]] = defaultdict(set)
    sessions = (
        ReceptionSession.objects.filter(
            unit_id__in={s.unit_id for s in schedules},
            leader_id__in={s.leader_id for s in schedules},
            held_on__gte=first,
            held_on__lte=last + dt.timedelta(days=6),
        )
        .values_list("unit_id", "leader_id", "held_on")
        .distinct()
    )
    for unit_id, leader_id, held_on in sessions:
        days[(unit_id, leader_id)].add(held_on)
    rules: dict[str, DutyRule | None] = {}
    found: list[Shortfall] = []
    for (unit_id, leader_id, duty), group in groups.items():
        if duty not in rules:
            try:
                rules[duty] = duty_rule(duty, on=first)
            except DomainError:
                rules[duty] = None  # no figure in force: nothing to warn about
        rule = rules[duty]
        if rule is None:
            continue
        periods = [(s.valid_from, s.valid_to) for s in group]
        held_days = days[(unit_id, leader_id)]
        shortfall = None
        if rule.measure == Measure.DAYS_PER_WEEK:
            shortfall = weekly_shortfall(group[0], rule, periods, held_days, first, last, now)
        elif rule.measure == Measure.DAYS_PER_MONTH:
            shortfall = monthly_shortfall(group[0], rule, held_days, first, last, now)
        if shortfall is not None:
            found.append(shortfall)
    return found


def weekly_shortfall(
    schedule: ReceptionSchedule,
    rule: DutyRule,
    periods: list[tuple[dt.date, dt.date | None]],
    held_days: set[dt.date],
    first: dt.date,
    last: dt.date,
    now: dt.date,
) -> Shortfall | None:
    monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    weeks = 0
    held = 0
    gaps: list[WeekGap] = []
    while monday <= last and monday <= now:
        sunday = monday + dt.timedelta(days=6)
        if _overlaps(periods, monday, sunday):
            weeks += 1
            count = _count(held_days, monday, sunday)
            held += count
            if count < rule.amount:
                gaps.append(WeekGap(monday, sunday, count, ongoing=now <= sunday))
        monday += dt.timedelta(days=7)
    if not gaps:
        return None
    return Shortfall(
        unit=schedule.unit,
        leader=schedule.leader,
        duty=schedule.duty,
        measure=rule.measure,
        amount=rule.amount,
        required=rule.amount * weeks,
        held=held,
        missing_weeks=tuple(gaps),
        ongoing=gaps[-1].ongoing,
        rule=rule,
    )


def monthly_shortfall(
    schedule: ReceptionSchedule,
    rule: DutyRule,
    held_days: set[dt.date],
    first: dt.date,
    last: dt.date,
    now: dt.date,
) -> Shortfall | None:
    held = _count(held_days, first, last)
    if held >= rule.amount:
        return None
    return Shortfall(
        unit=schedule.unit,
        leader=schedule.leader,
        duty=schedule.duty,
        measure=rule.measure,
        amount=rule.amount,
        required=rule.amount,
        held=held,
        missing_weeks=(),
        ongoing=now <= last,
        rule=rule,
    )


# --- dialogues ---------------------------------------------------------------------------


def dialogues_under(
    *, user: Any, unit: Unit | None, state: str | None = None
) -> QuerySet[Dialogue]:
    """The dialogues of *unit*'s subtree (None: the nation, national grants only), newest
    first."""
    policies.require(user, Perm.CASE_VIEW, unit)
    qs = Dialogue.objects.filter(policies.subtree_q(unit, "unit__") if unit else Q())
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("unit").order_by("-held_on", "-id")


def dialogue_get(*, user: Any, public_id: uuid.UUID | str) -> Dialogue:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound(_("Không tìm thấy hội nghị đối thoại."), code="dialogue_not_found") from None
    dialogue = Dialogue.objects.select_related("unit").filter(public_id=key).first()
    if dialogue is None or not _visible(user, dialogue.unit):
        raise NotFound(_("Không tìm thấy hội nghị đối thoại."), code="dialogue_not_found")
    return dialogue


def dialogue_questions(dialogue: Dialogue) -> QuerySet[DialogueQuestion]:
    return DialogueQuestion.objects.filter(dialogue=dialogue).order_by("id")


def dialogue_commitments(dialogue: Dialogue) -> QuerySet[Commitment]:
    return _with_overdue(Commitment.objects.filter(dialogue=dialogue)).order_by("due_date", "id")


@dataclass(frozen=True)
class DialogueRow:
    """A dialogue with the warnings of the law's time limits (Local Government Law 2025,
    art. 43: announced at least 7 days before, results published within 10 days; the
    figures are the DutyRule versions in force on the dialogue's day)."""

    dialogue: Dialogue
    announce_rule: DutyRule | None
    publish_rule: DutyRule | None
    announce_by: dt.date | None  # the last day to announce in time
    publish_by: dt.date | None  # the last day to publish the results in time
    announce_late: bool  # announced fewer days ahead than the law asks
    announce_overdue: bool  # still not announced, and too late to do it in time
    publish_late: bool  # published after the time limit
    publish_overdue: bool  # held, not published, and the time limit has passed

    @property
    def has_warning(self) -> bool:
        return (
            self.announce_late
            or self.announce_overdue
            or self.publish_late
            or (self.publish_overdue)
        )


def _row(dialogue: Dialogue, book: DutyBook, now: dt.date) -> DialogueRow:
    state = Dialogue.State
    announce = book.on(Duty.DIALOGUE_ANNOUNCE, dialogue.held_on)
    publish = book.on(Duty.DIALOGUE_PUBLISH, dialogue.held_on)
    announce_by = dialogue.held_on - dt.timedelta(days=announce.amount) if announce else None
    publish_by = dialogue.held_on + dt.timedelta(days=publish.amount) if publish else None
    announced_on, published_on = dialogue.announced_on, dialogue.published_on
    return DialogueRow(
        dialogue=dialogue,
        announce_rule=announce,
        publish_rule=publish,
        announce_by=announce_by,
        publish_by=publish_by,
        announce_late=bool(announce_by and announced_on and announced_on > announce_by),
        announce_overdue=bool(
            announce_by and dialogue.state == state.PLANNED and now > announce_by
        ),
        publish_late=bool(publish_by and published_on and published_on > publish_by),
        publish_overdue=bool(publish_by and dialogue.state == state.HELD and now > publish_by),
    )


def dialogue_rows(
    dialogues: Iterable[Dialogue], *, book: DutyBook | None = None
) -> list[DialogueRow]:
    """The dialogues with their warnings, in one query for the rules whatever their number
    (none when the caller already holds the *book* of the two duties)."""
    book = book or DutyBook([Duty.DIALOGUE_ANNOUNCE, Duty.DIALOGUE_PUBLISH])
    now = today()
    return [_row(d, book, now) for d in dialogues]


def dialogue_row(dialogue: Dialogue) -> DialogueRow:
    return dialogue_rows([dialogue])[0]


# --- commitments -------------------------------------------------------------------------


def _with_overdue(qs: QuerySet[Commitment]) -> QuerySet[Commitment]:
    overdue = Q(state=Commitment.State.OPEN) & Q(due_date__lt=today())
    return qs.annotate(overdue=ExpressionWrapper(overdue, output_field=BooleanField()))


def commitments_under(*, user: Any, unit: Unit, open_only: bool = True) -> QuerySet[Commitment]:
    """Commitments of the dialogues of *unit*'s subtree, earliest due first, each with an
    `overdue` flag (open and past its due date), like a task list."""
    policies.require(user, Perm.CASE_VIEW, unit)
    qs = Commitment.objects.filter(policies.subtree_q(unit, "dialogue__unit__"))
    if open_only:
        qs = qs.filter(state=Commitment.State.OPEN)
    return _with_overdue(qs).select_related("dialogue", "dialogue__unit").order_by("due_date", "id")


def commitment_get(*, user: Any, pk: int) -> Commitment:
    item = (
        _with_overdue(Commitment.objects.filter(pk=pk))
        .select_related("dialogue", "dialogue__unit")
        .first()
    )
    if item is None or not _visible(user, item.dialogue.unit):
        raise NotFound(_("Không tìm thấy cam kết."), code="commitment_not_found")
    return item


def question_get(*, dialogue: Dialogue, pk: int) -> DialogueQuestion:
    """A question of *dialogue* (already checked visible by dialogue_get)."""
    item = DialogueQuestion.objects.filter(dialogue=dialogue, pk=pk).first()
    if item is None:
        raise NotFound(_("Không tìm thấy ý kiến."), code="question_not_found")
    item.dialogue = dialogue
    return item
