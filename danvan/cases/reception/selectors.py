"""Reads of citizen reception: the leaders' schedules, the sessions held, the cases
opened from them, and the reception minimum.

Reading needs Perm.CASE_VIEW on the unit; a record of a unit out of sight answers like a
missing one. The legal minimums are DutyRule data (danvan.legal): a shortfall names the
rule version it applies, with its citation and its to-verify flag. The portal reads only
public_schedules, which carries nothing personal (domain.md §5, §7).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm, subtree_q
from danvan.core.errors import DomainError, NotFound
from danvan.legal.duties import duty_rule
from danvan.legal.models import Duty, DutyRule, Measure
from danvan.units.models import Official, Unit

from ..models import Case, ReceptionSchedule, ReceptionSession
from ..selectors import cases_visible


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


# --- the portal ---------------------------------------------------------------------------


def public_schedules(*, on: dt.date, unit: Unit | None = None) -> QuerySet[ReceptionSchedule]:
    """Reception schedules in force on *on* (in *unit*'s subtree if given), for citizens:
    who receives, when and where; no actor, no scoping, nothing personal."""
    qs = ReceptionSchedule.objects.filter(valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    if unit is not None:
        qs = qs.filter(subtree_q(unit, "unit__"))
    return qs.select_related("unit", "leader").order_by("unit__path", "leader__full_name")
