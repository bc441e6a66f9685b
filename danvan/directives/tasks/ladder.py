"""The ladder for late work (domain.md §9, issue 12 item 6): a daily job moves each open
task that is late, or about to be, up one step — remind (nhắc) when it is due soon, urge
(đôn đốc) once it is overdue, request an explanation (yêu cầu giải trình) once it is a
number of working days overdue, escalate (báo cáo cấp trên) when the request stays
unanswered or the task stays late for longer.

The figures are rule data, not constants: effective-dated `DutyRule`s (danvan/legal,
Duty.TASK_*) in working days of the calendar (danvan/legal/workdays.py).

Decisions:
- Only OPEN tasks climb. A submitted task waits on its assigner, not on its lead unit;
  closed and cancelled tasks are done with.
- One step a day at most, never down, never skipping: a row moves only from the step it
  is on to the next, and only if its last step was on an earlier day (`ladder_at`), so a
  task due tomorrow is reminded today and urged once overdue, and a task recorded long
  after its deadline still climbs every step in turn, one per working day.
- The job climbs on working days only (nobody reads an urge on a Sunday); on another day
  it does nothing.
- Set-based: the boundary DATES are computed once in Python from the calendar, then ONE
  UPDATE moves every qualifying row up one rung (a CASE on its current step; each rung's
  condition OR-ed in the WHERE), with ONE INSERT … SELECT of their TaskEvents and one of
  the Explanation rows of those reaching the request step — no row travels through
  Python. (One statement per rung would pass over the table four times: the rows of each
  rung lie on every page.) PostgreSQL does it all in one statement (data-modifying WITH
  … UPDATE … RETURNING); SQLite lists the moving rows once in a temporary table and
  inserts, updates and counts from it.
- The events carry the step's figures in `data` and no note (bytes count at 10^6 rows);
  the history page words them (templates/directive_tasks/_ladder_event.html).
- One transaction per run; a second run the same day finds no row whose `ladder_at` is
  earlier than today on the step below, so it changes nothing.
- On SQLite the foreign keys are not looked up during the run's transaction: its rows
  point only at the task ids it reads in that transaction (see ladder_run).
- The job writes TaskEvents (the task's append-only history, which the inspection reads)
  and no audit rows: the actor is the system and the event is the record.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from danvan.legal.duties import duty_rule
from danvan.legal.models import Duty
from danvan.legal.workdays import WorkCalendar

from .models import Explanation, LadderStep, Task, TaskEvent, TaskState


@dataclass(frozen=True)
class Rules:
    """The ladder's figures in force on a day, in working days."""

    remind_before: int
    explain_after: int
    escalate_unanswered: int
    escalate_overdue: int

    @classmethod
    def on(cls, day: dt.date) -> Rules:
        return cls(
            remind_before=duty_rule(Duty.TASK_REMIND, on=day).amount,
            explain_after=duty_rule(Duty.TASK_EXPLAIN, on=day).amount,
            escalate_unanswered=duty_rule(Duty.TASK_ESCALATE_UNANSWERED, on=day).amount,
            escalate_overdue=duty_rule(Duty.TASK_ESCALATE_OVERDUE, on=day).amount,
        )


def _back(calendar: WorkCalendar, today: dt.date, n: int) -> dt.date:
    """The latest day D with at least *n* working days after D up to and including
    *today* (WorkCalendar.working_days_between(D, today) >= n): a task due on or before
    D is *n* working days overdue."""
    day, counted = today, 0
    while counted < n:
        if calendar.is_working_day(day):
            counted += 1
        day -= dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class Boundaries:
    """The dates each step compares with, computed once per run from the calendar."""

    today: dt.date
    remind_until: dt.date  # due on or before: within remind_before working days
    explain_by: dt.date  # due on or before: explain_after working days overdue
    escalate_due_by: dt.date  # due on or before: escalate_overdue working days overdue
    escalate_asked_by: dt.date  # asked on or before: escalate_unanswered working days ago

    @classmethod
    def compute(cls, *, today: dt.date, rules: Rules, calendar: WorkCalendar) -> Boundaries:
        # Due within n working days: working_days_between(today, due) <= n, i.e. before
        # the (n+1)-th working day after today.
        first_too_far = calendar.add_working_days(today, rules.remind_before + 1)
        return cls(
            today=today,
            remind_until=first_too_far - dt.timedelta(days=1),
            explain_by=_back(calendar, today, max(rules.explain_after, 1)),
            escalate_due_by=_back(calendar, today, max(rules.escalate_overdue, 1)),
            escalate_asked_by=_back(calendar, today, rules.escalate_unanswered),
        )


@dataclass(frozen=True)
class LadderResult:
    day: dt.date
    reminded: int = 0
    urged: int = 0
    explanation_requested: int = 0
    escalated: int = 0
    skipped: bool = False  # not a working day: nothing climbs

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "reminded": self.reminded,
            "urged": self.urged,
            "explanation_requested": self.explanation_requested,
            "escalated": self.escalated,
            "skipped": self.skipped,
        }


@dataclass(frozen=True)
class Step:
    """One rung: the rows on *source* that qualify by *condition* move to *target*.

    The events carry no note: a few bytes a row count at 10^6 rows. The history page
    words each step from its kind and its *data* (the rule's figures, the day).
    """

    source: str
    target: str
    condition: str  # SQL over the task table's columns, with %s placeholders
    params: list[Any]
    data: dict[str, Any]


# The SQL below is built from quoted table names of the models and constant text only;
# every value is a parameter (hence the S608 waivers).
def _tables() -> dict[str, str]:
    qn = connection.ops.quote_name
    return {
        "task": qn(Task._meta.db_table),
        "event": qn(TaskEvent._meta.db_table),
        "expl": qn(Explanation._meta.db_table),
    }


def _open_request(t: dict[str, str]) -> str:
    """SQL: the task has a request for an explanation waiting for its answer."""
    return (
        f"EXISTS (SELECT 1 FROM {t['expl']} WHERE {t['expl']}.task_id = {t['task']}.id"  # noqa: S608
        f" AND {t['expl']}.answered_at IS NULL)"
    )


def steps(b: Boundaries, rules: Rules) -> list[Step]:
    """The rungs, from the top down (a row is on one step: one rung applies to it)."""
    t = _tables()
    d = connection.ops.adapt_datefield_value
    return [
        # Escalate: M working days overdue, or the request unanswered for N working days.
        Step(
            LadderStep.EXPLANATION_REQUESTED,
            LadderStep.ESCALATED,
            f"(due_on <= %s OR (ladder_at <= %s AND {_open_request(t)}))",
            [d(b.escalate_due_by), d(b.escalate_asked_by)],
            {"overdue": rules.escalate_overdue, "unanswered": rules.escalate_unanswered},
        ),
        # Request an explanation: N working days overdue (none waiting already).
        Step(
            LadderStep.URGED,
            LadderStep.EXPLANATION_REQUESTED,
            f"due_on <= %s AND NOT {_open_request(t)}",
            [d(b.explain_by)],
            {"overdue": rules.explain_after},
        ),
        # Urge: overdue.
        Step(LadderStep.REMINDED, LadderStep.URGED, "due_on < %s", [d(b.today)], {}),
        # Remind: due within N working days (or already due).
        Step(
            LadderStep.NONE,
            LadderStep.REMINDED,
            "due_on <= %s",
            [d(b.remind_until)],
            {"before": rules.remind_before},
        ),
    ]


def _where(all_steps: list[Step], today: dt.date) -> tuple[str, list[Any]]:
    """SQL: the rows that climb today — open, not moved today, and past the boundary of
    the step they are on."""
    d = connection.ops.adapt_datefield_value
    rungs = " OR ".join(f"(ladder_step = %s AND {step.condition})" for step in all_steps)
    params: list[Any] = [TaskState.OPEN.value, d(today)]
    for step in all_steps:
        params += [step.source, *step.params]
    return f"state = %s AND (ladder_at IS NULL OR ladder_at < %s) AND ({rungs})", params


def _case(column: str, pairs: list[tuple[str, Any]], wrap: str = "%s") -> tuple[str, list[Any]]:
    """SQL: CASE column WHEN key THEN value … END, every key and value a parameter."""
    whens = " ".join(f"WHEN %s THEN {wrap}" for _pair in pairs)
    return f"CASE {column} {whens} END", [x for pair in pairs for x in pair]


def _climb(all_steps: list[Step], today: dt.date, now: dt.datetime) -> dict[str, int]:
    """Move every qualifying row up one rung and write its event (and, on the request
    step, its request): set-based SQL, the rows never leave the database. Returns the
    rows moved, by the step reached."""
    t = _tables()
    where, where_params = _where(all_steps, today)
    at = connection.ops.adapt_datetimefield_value(now)
    day = connection.ops.adapt_datefield_value(today)
    pg = connection.vendor == "postgresql"
    target, target_params = _case("ladder_step", [(s.source, s.target) for s in all_steps])
    data, data_params = _case(
        "kind",
        [(s.target, json.dumps({"on": today.isoformat(), **s.data})) for s in all_steps],
        "CAST(%s AS jsonb)" if pg else "%s",
    )
    event_cols = "(task_id, kind, actor_id, at, note, percent, evidence, data)"
    # *kind* is the step reached (the event kinds are named as the steps).
    event_vals = f"task_id, kind, NULL, %s, '', NULL, '', {data}"
    event_params = [at, *data_params]
    expl_cols = (
        "(created_at, updated_at, task_id, requested_at, requested_by_id, request_note,"
        " answered_at, answered_by_id, cause, remedy, proposed_due_on, decision, decided_at,"
        " decided_by_id, decision_note)"
    )
    expl_vals = "%s, %s, task_id, %s, NULL, '', NULL, NULL, '', '', NULL, '', NULL, NULL, ''"
    expl_params = [at, at, at]
    asked = LadderStep.EXPLANATION_REQUESTED.value

    with connection.cursor() as cursor:
        if pg:
            # One statement: the update hands the moved rows (with the step reached) to
            # the inserts of their requests and events.
            cursor.execute(
                f"WITH moved AS (UPDATE {t['task']} SET ladder_step = {target}, ladder_at = %s"  # noqa: S608
                f" WHERE {where} RETURNING id AS task_id, ladder_step AS kind),"
                f" asked AS (INSERT INTO {t['expl']} {expl_cols} SELECT {expl_vals}"
                " FROM moved WHERE kind = %s),"
                f" logged AS (INSERT INTO {t['event']} {event_cols} SELECT {event_vals}"
                " FROM moved)"
                " SELECT kind, COUNT(*) FROM moved GROUP BY kind",
                [*target_params, day, *where_params, *expl_params, asked, *event_params],
            )
            return {kind: int(n) for kind, n in cursor.fetchall()}

        # SQLite has no UPDATE inside WITH: the rows that climb are listed once in a
        # temporary table (the writer holds the database's write lock from the first
        # statement to the commit, so nothing changes them in between), then the
        # inserts, the update by id and the counts read that list.
        cursor.execute("DROP TABLE IF EXISTS temp.ladder_moved")
        cursor.execute(
            "CREATE TEMP TABLE ladder_moved AS"  # noqa: S608
            f" SELECT id AS task_id, {target} AS kind FROM {t['task']} WHERE {where}",
            [*target_params, *where_params],
        )
        cursor.execute(
            f"INSERT INTO {t['event']} {event_cols} SELECT {event_vals} FROM ladder_moved",  # noqa: S608
            event_params,
        )
        cursor.execute(
            f"INSERT INTO {t['expl']} {expl_cols} SELECT {expl_vals}"  # noqa: S608
            " FROM ladder_moved WHERE kind = %s",
            [*expl_params, asked],
        )
        cursor.execute(
            f"UPDATE {t['task']} SET ladder_step = {target}, ladder_at = %s"  # noqa: S608
            " WHERE id IN (SELECT task_id FROM ladder_moved)",
            [*target_params, day],
        )
        cursor.execute("SELECT kind, COUNT(*) FROM ladder_moved GROUP BY kind")
        moved = {kind: int(n) for kind, n in cursor.fetchall()}
        cursor.execute("DROP TABLE temp.ladder_moved")
        return moved


def ladder_run(*, today: dt.date, calendar: WorkCalendar | None = None) -> LadderResult:
    """Move every open late task up one step of the ladder, once for *today*."""
    calendar = calendar or WorkCalendar()
    if not calendar.is_working_day(today):
        return LadderResult(day=today, skipped=True)
    rules = Rules.on(today)
    bounds = Boundaries.compute(today=today, rules=rules, calendar=calendar)
    # Every row the run inserts points at a task id it has just read from the task table
    # in the same write transaction, and at no user: no foreign key can break. SQLite
    # would still look each parent up (one B-tree search per event and per request,
    # a third of the inserts' time at 10^6 tasks), so its checks are off for the run's
    # transaction (Django's constraint_checks_disabled: only outside a transaction, as
    # SQLite allows; inside one, as in the tests, the checks stay on and cost their
    # time). PostgreSQL checks its deferred keys at commit whatever is said here.
    with connection.constraint_checks_disabled(), transaction.atomic():
        moved = _climb(steps(bounds, rules), today, timezone.now())
    return LadderResult(
        day=today,
        reminded=moved.get(LadderStep.REMINDED, 0),
        urged=moved.get(LadderStep.URGED, 0),
        explanation_requested=moved.get(LadderStep.EXPLANATION_REQUESTED, 0),
        escalated=moved.get(LadderStep.ESCALATED, 0),
    )
