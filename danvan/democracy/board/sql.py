"""The three heavy cells of the compliance board, each one SQL statement per board.

A province's board covers ~100–150 communes × a year: some 2,000 disclosures with their
channels, 5,000–10,000 reception sessions over 52 weeks, the inspection boards with their
members and villages. Loading those rows as model instances and checking them in Python
cost 60–70× the SQL that computes the same cells (bench/democracy_board.py), so these
cells are computed by the database and only (unit, count) rows come back.

Each statement encodes the rule of the owning app's page, which stays the reference for
one unit (disclosure.selectors.channel_findings / longest_run,
cases.reception.selectors.weekly_shortfall / monthly_shortfall,
supervision.selectors.composition_findings); democracy/tests/test_board_consistency.py
checks on a mixed data set that the board and those pages agree unit by unit.

Dates are compared as day numbers (``date.toordinal()``) so the same arithmetic runs on
SQLite and PostgreSQL; the legal figures come from the rule tables, resolved in Python
(a handful of rows) and passed as parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

from danvan.cases.models import ReceptionSchedule, ReceptionSession
from danvan.disclosure.models import Disclosure, DisclosureChannel, DisclosureForm, DisclosureKind
from danvan.legal.models import Measure
from danvan.supervision.models import Board, BoardMember
from danvan.units.models import Unit, UnitKind


def _t(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def day_number(column: str) -> str:
    """SQL for a date column as its proleptic Gregorian ordinal, like date.toordinal()."""
    if connection.vendor == "sqlite":
        # julianday('0001-01-01') is 1721425.5.
        return f"(CAST(julianday({column}) AS INTEGER) - 1721424)"
    return f"({column} - DATE '0001-01-01' + 1)"


def _marks(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _run(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return list(cur.fetchall())


# --- disclosure ---------------------------------------------------------------------------


def disclosure_counts(
    ids: Sequence[int],
    mandatory_numbers: Sequence[int],
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> dict[int, tuple[int, int, int]]:
    """Per unit: (disclosures overlapping the period, mandatory kind numbers among them,
    channel findings), for communes.

    A finding is what disclosure.selectors.channel_findings reports for one disclosure:
    a start after the disclosure's due date (late); a kind with a loudspeaker minimum
    (Law 10/2022/QH15, Điều 12) and no loudspeaker channel, or whose longest loudspeaker
    run is shorter and not running; a posting whose longest run is shorter than its
    minimum and not running. Runs join channel
    rows that overlap or touch (gaps and islands over a window), an open row runs to
    *today*, and a run is "running" when one of its open rows reaches its last day.
    """
    c, d, k = "c", "d", "k"
    d_start, d_end = f'{d}."start"', f"{d}.{_q('end')}"
    c_start, c_end = f'{c}."start"', f"{c}.{_q('end')}"
    ids_sql = _marks(ids)
    numbers_sql = _marks(mandatory_numbers) if mandatory_numbers else "NULL"
    overlap = (
        f"{d}.unit_id IN ({ids_sql}) AND {d_start} <= %s AND ({d_end} IS NULL OR {d_end} >= %s)"
    )
    today_n = today.toordinal()
    # Table names come from the models, every value is a parameter.
    sql = f"""
    WITH ch AS (
        SELECT {c}.disclosure_id AS did, {c}.form AS form, {day_number(c_start)} AS s,
               CASE WHEN {c_end} IS NOT NULL THEN {day_number(c_end)}
                    WHEN {day_number(c_start)} > %s THEN {day_number(c_start)}
                    ELSE %s END AS e,
               CASE WHEN {c_end} IS NULL THEN 1 ELSE 0 END AS o
        FROM {_t(DisclosureChannel)} {c}
        JOIN {_t(Disclosure)} {d} ON {d}.id = {c}.disclosure_id
        JOIN {_t(DisclosureKind)} {k} ON {k}.id = {d}.kind_id
        WHERE {overlap}
          AND (({c}.form = %s AND {k}.loudspeaker_min_days > 0)
               OR ({c}.form = %s AND {k}.posting_min_days > 0))
    ), marked AS (
        SELECT did, form, s, e, o,
               CASE WHEN s <= MAX(e) OVER (PARTITION BY did, form ORDER BY s, e, o
                                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1
                    THEN 0 ELSE 1 END AS fresh
        FROM ch
    ), numbered AS (
        SELECT did, form, s, e, o,
               SUM(fresh) OVER (PARTITION BY did, form ORDER BY s, e, o
                                ROWS UNBOUNDED PRECEDING) AS run
        FROM marked
    ), runs AS (
        SELECT did, form, MAX(e) - MIN(s) + 1 AS days,
               CASE WHEN MAX(CASE WHEN o = 1 THEN e END) = MAX(e) THEN 1 ELSE 0 END AS ongoing
        FROM numbered GROUP BY did, form, run
    ), best AS (
        SELECT did, form, MAX(days) AS days, MAX(CASE WHEN ongoing = 1 THEN days END) AS open_days
        FROM runs GROUP BY did, form
    )
    SELECT {d}.unit_id, COUNT(*),
           COUNT(DISTINCT CASE WHEN {k}.unit_kind = %s AND {k}.number IN ({numbers_sql})
                               THEN {k}.number END),
           SUM(CASE WHEN {k}.loudspeaker_min_days > 0
                     AND (l.days IS NULL OR (l.days < {k}.loudspeaker_min_days
                          AND (l.open_days IS NULL OR l.open_days < l.days)))
                    THEN 1 ELSE 0 END
             + CASE WHEN {k}.posting_min_days > 0 AND p.days IS NOT NULL
                     AND p.days < {k}.posting_min_days
                     AND (p.open_days IS NULL OR p.open_days < p.days)
                    THEN 1 ELSE 0 END
             + CASE WHEN {d}.due_on IS NOT NULL AND {d_start} > {d}.due_on
                    THEN 1 ELSE 0 END)
    FROM {_t(Disclosure)} {d}
    JOIN {_t(DisclosureKind)} {k} ON {k}.id = {d}.kind_id
    LEFT JOIN best l ON l.did = {d}.id AND l.form = %s
    LEFT JOIN best p ON p.did = {d}.id AND p.form = %s
    WHERE {overlap}
    GROUP BY {d}.unit_id
    """  # noqa: S608
    loud, post = DisclosureForm.LOUDSPEAKER.value, DisclosureForm.POSTING.value
    params: list[Any] = [today_n, today_n, *ids, end, start, loud, post]
    params += [UnitKind.COMMUNE.value, *mandatory_numbers, loud, post, *ids, end, start]
    return {row[0]: (row[1], row[2], int(row[3] or 0)) for row in _run(sql, params)}


# --- reception ----------------------------------------------------------------------------


def reception_counts(
    ids: Sequence[int],
    calendar: Sequence[tuple[str, int, dt.date, dt.date, dt.date, dt.date]],
    start: dt.date,
    end: dt.date,
) -> dict[int, tuple[int, int, int]]:
    """Per unit with a schedule: (schedules with a legal duty overlapping the period,
    leader-months short of the minimum, distinct days with a session in the period).

    *calendar* holds the periods to check, each (duty, minimum days, first day, last day,
    month's first day, month's last day): the ISO weeks whose Monday falls in a month
    (DAYS_PER_WEEK), or the months (DAYS_PER_MONTH), that are over by *today*, with the
    figure in force on the month's first day (see reception_calendar). A period is
    checked for a leader when one of their schedules of that duty overlaps it and one
    overlaps its month (cases.reception.selectors.weekly_shortfall); it is short when the
    leader held fewer distinct days than the minimum in it (the sessions are read through
    the (leader, held_on) index, one range per period).
    """
    sched_t, sess_t = _t(ReceptionSchedule), _t(ReceptionSession)
    ids_sql = _marks(ids)
    if calendar:
        cal_sql = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(calendar))
        cal_params: list[Any] = [v for row in calendar for v in row]
    else:
        cal_sql, cal_params = "(%s, %s, %s, %s, %s, %s)", ["", 0, start, start, start, start]
    # Table names come from the models, every value is a parameter.
    sql = f"""
    WITH cal(duty, amount, p_first, p_last, m_first, m_last) AS (VALUES {cal_sql}),
    sched AS (
        SELECT unit_id, leader_id, duty, valid_from AS vf, valid_to AS vt
        FROM {sched_t}
        WHERE unit_id IN ({ids_sql}) AND duty <> '' AND valid_from <= %s
          AND (valid_to IS NULL OR valid_to >= %s)
    ), checks AS (
        SELECT DISTINCT s.unit_id, s.leader_id, s.duty, cal.m_first, cal.p_first,
               cal.p_last, cal.amount
        FROM sched s JOIN cal ON cal.duty = s.duty
             AND s.vf <= cal.p_last AND (s.vt IS NULL OR s.vt >= cal.p_first)
        WHERE EXISTS (
            SELECT 1 FROM sched m
            WHERE m.unit_id = s.unit_id AND m.leader_id = s.leader_id AND m.duty = s.duty
              AND m.vf <= cal.m_last AND (m.vt IS NULL OR m.vt >= cal.m_first))
    ), counted AS (
        SELECT ch.unit_id, ch.leader_id, ch.duty, ch.m_first, ch.amount,
               (SELECT COUNT(DISTINCT r.held_on) FROM {sess_t} r
                 WHERE r.leader_id = ch.leader_id AND r.unit_id = ch.unit_id
                   AND r.held_on >= ch.p_first AND r.held_on <= ch.p_last) AS n
        FROM checks ch
    ), short AS (
        SELECT unit_id, COUNT(*) AS n FROM (
            SELECT DISTINCT unit_id, leader_id, duty, m_first FROM counted WHERE n < amount
        ) x GROUP BY unit_id
    ), scheduled AS (
        SELECT unit_id, COUNT(*) AS n FROM sched GROUP BY unit_id
    ), seen AS (
        SELECT unit_id, COUNT(DISTINCT held_on) AS n FROM {sess_t}
        WHERE unit_id IN ({ids_sql}) AND held_on >= %s AND held_on <= %s GROUP BY unit_id
    )
    SELECT scheduled.unit_id, scheduled.n, COALESCE(short.n, 0), COALESCE(seen.n, 0)
    FROM scheduled LEFT JOIN short ON short.unit_id = scheduled.unit_id
         LEFT JOIN seen ON seen.unit_id = scheduled.unit_id
    """  # noqa: S608
    params = [*cal_params, *ids, end, start, *ids, start, end]
    return {row[0]: (row[1], row[2], row[3]) for row in _run(sql, params)}


def reception_calendar(
    duties: dict[str, list[tuple[dt.date, dt.date | None, int, str]]],
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> list[tuple[str, int, dt.date, dt.date, dt.date, dt.date]]:
    """The periods reception_counts checks, from the versions of each duty's rule
    (valid_from, valid_to, amount, measure), newest first.

    Months from the period's first month to the month of min(end, today), each with the
    version in force on its first day; per month, the ISO weeks whose Monday is in the
    month and whose Sunday is past (DAYS_PER_WEEK), or the month once it is over
    (DAYS_PER_MONTH): a period still running never counts as short.
    """
    out: list[tuple[str, int, dt.date, dt.date, dt.date, dt.date]] = []
    stop = min(end, today)
    year, month = start.year, start.month
    while (year, month) <= (stop.year, stop.month):
        first = dt.date(year, month, 1)
        nxt = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
        last = nxt - dt.timedelta(days=1)
        for duty, versions in duties.items():
            rule = next(
                (v for v in versions if v[0] <= first and (v[1] is None or v[1] >= first)),
                None,
            )
            if rule is None:
                continue
            amount, measure = rule[2], rule[3]
            if measure == Measure.DAYS_PER_WEEK:
                monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
                while monday <= last and monday <= today:
                    sunday = monday + dt.timedelta(days=6)
                    if sunday < today:
                        out.append((duty, amount, monday, sunday, first, last))
                    monday += dt.timedelta(days=7)
            elif measure == Measure.DAYS_PER_MONTH and last < today:
                out.append((duty, amount, first, last, first, last))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


# --- the people's inspection board ---------------------------------------------------------


def inspection_counts(
    ids: Sequence[int], day: dt.date, per_village: int | None
) -> dict[int, tuple[int, int]]:
    """Per unit with a people's inspection board in office on *day* (the latest to start):
    (its members in office on *day*, villages in force under the unit with fewer than
    *per_village* of them; 0 when no figure is in force)."""
    board_t, member_t = _t(Board), _t(BoardMember)
    ids_sql = _marks(ids)
    # Table names come from the models, every value is a parameter.
    sql = f"""
    WITH ranked AS (
        SELECT id, unit_id,
               ROW_NUMBER() OVER (PARTITION BY unit_id ORDER BY term_start DESC, id) AS rn
        FROM {board_t}
        WHERE unit_id IN ({ids_sql}) AND kind = %s AND term_start <= %s
          AND (term_end IS NULL OR term_end >= %s)
    ), cur AS (SELECT id, unit_id FROM ranked WHERE rn = 1),
    mem AS (
        SELECT m.board_id, m.village_id FROM {member_t} m JOIN cur ON cur.id = m.board_id
        WHERE (m.term_start IS NULL OR m.term_start <= %s)
          AND (m.term_end IS NULL OR m.term_end >= %s)
    )
    SELECT cur.unit_id,
           (SELECT COUNT(*) FROM mem WHERE mem.board_id = cur.id),
           (SELECT COUNT(*) FROM {_t(Unit)} v
             WHERE v.parent_id = cur.unit_id AND v.kind = %s AND v.valid_to IS NULL
               AND (SELECT COUNT(*) FROM mem WHERE mem.board_id = cur.id
                      AND mem.village_id = v.id) < %s)
    FROM cur
    """  # noqa: S608
    params = [*ids, Board.Kind.INSPECTION.value, day, day, day, day]
    params += [UnitKind.VILLAGE.value, per_village if per_village is not None else 0]
    return {row[0]: (row[1], row[2]) for row in _run(sql, params)}
