"""The legal clock: every due date of a case comes from here.

A due date is computed from the rule version in force on the day the clock starts
(`DeadlineRule`, effective-dated data with its citation), counting calendar or working
days on the working-day calendar (workdays.py). Calendar-day deadlines that fall on a
day off move to the next working day where the rule says so (Civil Code 2015,
art. 148(5)).

That roll-over moves the day a deadline is *due*, never the end of the period the law
counts: an extension runs from the end of the period it extends, and a pause moves
that end, so a denunciation with two extensions is due 30 + 30 + 30 days after its
acceptance, rolled once to a working day (Law on Denunciations 2018, art. 30(1);
domain.md §5), not 30 → roll → +30 → roll → +30 → roll. `Deadline.end` keeps the end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.db.models import Q
from django.utils.translation import gettext as _

from danvan.core import docnumber
from danvan.core.errors import DomainError

from .models import Action, CaseKind, DayKind, DeadlineRule
from .workdays import WorkCalendar


@dataclass(frozen=True)
class Deadline:
    start: dt.date
    due: dt.date
    rule: DeadlineRule
    extensions: tuple[str, ...] = ()  # the decision numbers of the extensions granted
    paused_days: int = 0
    # The last day of the period as the law counts it, before the roll-over to a working
    # day (*due*). None when only the due date is known (a clock read back for display).
    end: dt.date | None = None

    @property
    def period_end(self) -> dt.date:
        return self.end if self.end is not None else self.due

    def explain(self) -> str:
        """ "30 ngày (dương lịch) kể từ 02/06/2025 — Luật Khiếu nại 2011, Điều 28" """
        text = _("%(days)s %(kind)s kể từ %(start)s — %(citation)s") % {
            "days": self.rule.days,
            "kind": self.rule.get_day_kind_display(),
            "start": f"{self.start:%d/%m/%Y}",
            "citation": self.rule.citation,
        }
        if self.extensions:
            text += _("; gia hạn %(n)s lần (%(numbers)s)") % {
                "n": len(self.extensions),
                "numbers": ", ".join(self.extensions),
            }
        if self.paused_days:
            text += _("; tạm dừng %(n)s ngày") % {"n": self.paused_days}
        return text


def _error(code: str, message: str, field: str | None = None) -> DomainError:
    return DomainError(code, message, field=field)


def rule_for(
    *,
    case_kind: str,
    action: str,
    on: dt.date,
    round: int = 0,
    complex: bool = False,
    remote: bool = False,
) -> DeadlineRule:
    """The version of the matching rule in force on *on* (the latest to take effect)."""
    if case_kind not in CaseKind.values:
        raise _error(
            "deadline_unknown_kind",
            _("Loại vụ việc “%(kind)s” không có trong quy định thời hạn.") % {"kind": case_kind},
            "case_kind",
        )
    if action not in Action.values:
        raise _error(
            "deadline_unknown_action",
            _("Không có quy định thời hạn cho việc “%(action)s”.") % {"action": action},
            "action",
        )
    rule = (
        DeadlineRule.objects.filter(
            case_kind=case_kind, action=action, round=round, complex=complex, remote=remote
        )
        .filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from", "-id")
        .first()
    )
    if rule is None:
        raise _error(
            "deadline_no_rule",
            _("Chưa có quy định thời hạn “%(action)s” cho %(kind)s có hiệu lực ngày %(day)s.")
            % {
                "action": Action(action).label,
                "kind": CaseKind(case_kind).label.lower(),
                "day": f"{on:%d/%m/%Y}",
            },
        )
    return rule


def _period_end(rule: DeadlineRule, start: dt.date, calendar: WorkCalendar) -> dt.date:
    """The last day of *rule*'s period counted from *start*, before any roll-over."""
    if rule.day_kind == DayKind.WORKING:
        return calendar.add_working_days(start, rule.days)
    return start + dt.timedelta(days=rule.days)


def _due(rule: DeadlineRule, end: dt.date, calendar: WorkCalendar) -> dt.date:
    """The day a period of *rule* (extended or paused or not) ending on *end* is due: the
    next working day when it ends on a day off and the rule rolls (Civil Code 2015,
    art. 148(5)); a working-day count always ends on a working day."""
    if rule.day_kind == DayKind.WORKING or rule.roll_to_working_day:
        return calendar.next_working_day(end)
    return end


def due_date(
    *,
    case_kind: str,
    action: str,
    start: dt.date,
    round: int = 0,
    complex: bool = False,
    remote: bool = False,
    calendar: WorkCalendar | None = None,
    rule: DeadlineRule | None = None,
) -> Deadline:
    """The deadline for *action* on a case whose clock starts on *start*.

    Pass *rule* to keep the version a case was accepted under.
    """
    if rule is None:
        rule = rule_for(
            case_kind=case_kind,
            action=action,
            on=start,
            round=round,
            complex=complex,
            remote=remote,
        )
    calendar = calendar or WorkCalendar()
    end = _period_end(rule, start, calendar)
    return Deadline(start=start, due=_due(rule, end, calendar), rule=rule, end=end)


def _extension_rule(deadline: Deadline) -> DeadlineRule:
    return rule_for(case_kind=deadline.rule.case_kind, action=Action.EXTEND, on=deadline.start)


def restore(
    *,
    start: dt.date,
    rule: DeadlineRule,
    extensions: tuple[str, ...] = (),
    paused_days: int = 0,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """The deadline of a clock started on *start* under *rule*, after *extensions* (their
    decision numbers, in order) and *paused_days*: computed again from the law rather
    than read from a stored due date, which has been rolled to a working day."""
    calendar = calendar or WorkCalendar()
    end = _period_end(rule, start, calendar)
    if extensions:
        ext = _extension_rule(Deadline(start=start, due=end, rule=rule))
        for _number in extensions:
            end = _period_end(ext, end, calendar)
    end += dt.timedelta(days=paused_days)
    return Deadline(
        start=start,
        due=_due(rule, end, calendar),
        rule=rule,
        extensions=extensions,
        paused_days=paused_days,
        end=end,
    )


def extend(
    deadline: Deadline,
    *,
    complexity: int,
    decision_number: str,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """Extend a resolution deadline by written decision.

    Law on Denunciations 2018, art. 30(1): one extension of at most 30 days when the
    case is complex (*complexity* 1), two when it is especially complex (*complexity* 2).
    """
    ext = _extension_rule(deadline)
    allowed = min(complexity, ext.max_extensions)
    if allowed <= 0:
        raise _error(
            "deadline_extension_not_allowed",
            _("Chỉ được gia hạn khi vụ việc phức tạp (%(citation)s).") % {"citation": ext.citation},
            "complexity",
        )
    if len(deadline.extensions) >= allowed:
        raise _error(
            "deadline_extension_limit",
            _("Đã gia hạn %(n)s lần, là số lần tối đa cho vụ việc này (%(citation)s).")
            % {"n": len(deadline.extensions), "citation": ext.citation},
            "complexity",
        )
    try:
        number = docnumber.parse(decision_number)
    except docnumber.DocumentNumberError as exc:
        raise _error("deadline_extension_decision", str(exc), "decision_number") from exc
    calendar = calendar or WorkCalendar()
    # From the end of the period extended, not from the day it was rolled to; the
    # extended period is the resolution's, rolled by its rule.
    end = _period_end(ext, deadline.period_end, calendar)
    return replace(
        deadline,
        due=_due(deadline.rule, end, calendar),
        end=end,
        extensions=(*deadline.extensions, number.raw),
    )


def pause(
    deadline: Deadline,
    *,
    paused_from: dt.date,
    resumed_on: dt.date,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """Stop the clock from *paused_from* until *resumed_on* (a suspension the law allows,
    e.g. Law on Denunciations 2018, art. 31): the end of the period moves by the days
    paused (from the end, not from the rolled due date), then rolls to a working day."""
    if resumed_on < paused_from:
        raise _error(
            "deadline_bad_pause",
            _("Ngày tiếp tục phải sau ngày tạm dừng."),
            "resumed_on",
        )
    days = (resumed_on - paused_from).days
    end = deadline.period_end + dt.timedelta(days=days)
    due = _due(deadline.rule, end, calendar or WorkCalendar())
    return replace(deadline, due=due, end=end, paused_days=deadline.paused_days + days)
