"""The reference of bench/democracy_board.py: the compliance board of a subtree written
by hand in SQL.

One statement per obligation (and per kind of unit for the conferences), each returning
(unit id, status, count) for the units the obligation applies to, with the status
decided in SQL and the legal figures read from the rule tables in SQL. Written apart
from danvan.democracy.board.selectors (the same rules, as the law and the apps' docstrings state
them), so that equal cells in the bench check the board as well as time it. The only
Python is the calendar of weeks and months to check, a few dozen constant rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


class Reference:
    def __init__(
        self, connection: Any, root: Any, start: dt.date, end: dt.date, today: dt.date
    ) -> None:
        self.connection = connection
        self.statements = statements(connection, root, start, end, today)
        q = connection.ops.quote_name
        from danvan.units.models import Unit

        self.units_sql = (
            f"SELECT id, code, name, kind FROM {q(Unit._meta.db_table)} WHERE path >= %s"
            f" AND path < %s AND kind IN ('commune', 'agency', 'enterprise')"
            f" AND (valid_to IS NULL OR valid_to >= %s)"
            f" AND (valid_from IS NULL OR valid_from <= %s)"
            f" ORDER BY path"
        )
        self.units_params = [root.path, root.path + "~", start, end]

    def __call__(self) -> dict[tuple[int, str], tuple[str, int]]:
        cells: dict[tuple[int, str], tuple[str, int]] = {}
        with self.connection.cursor() as cur:
            cur.execute(self.units_sql, self.units_params)
            cur.fetchall()
            for code, sql, params in self.statements:
                cur.execute(sql, params)
                for unit_id, status, count in cur.fetchall():
                    cells[(unit_id, code)] = (status, int(count))
        return cells


def statements(
    connection: Any, root: Any, start: dt.date, end: dt.date, today: dt.date
) -> list[tuple[str, str, list[Any]]]:
    from django.utils import timezone

    from danvan.cases.models import Dialogue, ReceptionSchedule, ReceptionSession
    from danvan.democracy.models import Matter, Vote
    from danvan.disclosure.models import Disclosure, DisclosureChannel, DisclosureKind
    from danvan.legal.models import DutyRule
    from danvan.supervision.models import Board, BoardMember, Conference, SupervisionRule
    from danvan.units.models import Unit

    q = connection.ops.quote_name
    U, D, K, C = (
        q(m._meta.db_table) for m in (Unit, Disclosure, DisclosureKind, DisclosureChannel)
    )
    DL, RS, RN = (q(m._meta.db_table) for m in (Dialogue, ReceptionSchedule, ReceptionSession))
    B, BM, CF = (q(m._meta.db_table) for m in (Board, BoardMember, Conference))
    DR, SR = q(DutyRule._meta.db_table), q(SupervisionRule._meta.db_table)
    MT, VT = q(Matter._meta.db_table), q(Vote._meta.db_table)
    END = q("end")

    def dn(col: str) -> str:
        """A date as its day number (date.toordinal())."""
        if connection.vendor == "sqlite":
            return f"(CAST(julianday({col}) AS INTEGER) - 1721424)"
        return f"({col} - DATE '0001-01-01' + 1)"

    units_of = (
        f"SELECT id FROM {U} WHERE path >= %s AND path < %s AND kind = %s"
        f" AND (valid_to IS NULL OR valid_to >= %s) AND (valid_from IS NULL OR valid_from <= %s)"
    )

    def units(kind: str) -> list[Any]:
        return [root.path, root.path + "~", kind, start, end]

    now = today.toordinal()
    day = min(end, today)
    out: list[tuple[str, str, list[Any]]] = []

    # Disclosure (Law 10/2022/QH15, Điều 11–12): every mandatory kind number in force in
    # the period disclosed; each disclosure's longest loudspeaker / posting run (rows
    # that overlap or touch join; an open row runs to today) at least its minimum unless
    # that run is still going.
    out.append(
        (
            "disclosure",
            f"""
            WITH units AS ({units_of}),
            mand AS (SELECT DISTINCT number FROM {K} WHERE mandatory AND unit_kind = 'commune'
                     AND valid_from <= %s AND (valid_to IS NULL OR valid_to >= %s)),
            dis AS (SELECT d.id, d.unit_id, k.unit_kind, k.number,
                           CASE WHEN d.due_on IS NOT NULL AND d.start > d.due_on
                                THEN 1 ELSE 0 END AS late_start,
                           k.loudspeaker_min_days AS lmin, k.posting_min_days AS pmin
                    FROM {D} d JOIN {K} k ON k.id = d.kind_id JOIN units u ON u.id = d.unit_id
                    WHERE d.start <= %s AND (d.{END} IS NULL OR d.{END} >= %s)),
            ch AS (SELECT c.disclosure_id AS did, c.form, {dn("c.start")} AS s,
                          COALESCE({dn(f"c.{END}")}, CASE WHEN {dn("c.start")} > {now}
                                   THEN {dn("c.start")} ELSE {now} END) AS e,
                          CASE WHEN c.{END} IS NULL THEN 1 ELSE 0 END AS o
                   FROM {C} c JOIN dis ON dis.id = c.disclosure_id
                   WHERE (c.form = 'loudspeaker' AND dis.lmin > 0)
                      OR (c.form = 'posting' AND dis.pmin > 0)),
            w AS (SELECT did, form, s, e, o,
                         MAX(e) OVER (PARTITION BY did, form ORDER BY s, e, o
                                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev
                  FROM ch),
            g AS (SELECT did, form, s, e, o,
                         SUM(CASE WHEN prev IS NOT NULL AND s <= prev + 1 THEN 0 ELSE 1 END)
                           OVER (PARTITION BY did, form ORDER BY s, e, o
                                 ROWS UNBOUNDED PRECEDING) AS grp
                  FROM w),
            runs AS (SELECT did, form, MAX(e) - MIN(s) + 1 AS days,
                            CASE WHEN MAX(CASE WHEN o = 1 THEN e END) = MAX(e) THEN 1 ELSE 0 END
                              AS running
                     FROM g GROUP BY did, form, grp),
            best AS (SELECT did, form, MAX(days) AS days,
                            MAX(CASE WHEN running = 1 THEN days END) AS running_days
                     FROM runs GROUP BY did, form),
            per AS (SELECT dis.unit_id, COUNT(*) AS n,
                           COUNT(DISTINCT CASE WHEN dis.unit_kind = 'commune'
                                 AND dis.number IN (SELECT number FROM mand)
                                 THEN dis.number END) AS done,
                           SUM(CASE WHEN dis.lmin > 0 AND (l.did IS NULL OR (l.days < dis.lmin
                                     AND COALESCE(l.running_days, -1) < l.days))
                                    THEN 1 ELSE 0 END
                             + CASE WHEN dis.pmin > 0 AND p.did IS NOT NULL AND p.days < dis.pmin
                                     AND COALESCE(p.running_days, -1) < p.days
                                    THEN 1 ELSE 0 END
                             + dis.late_start) AS late
                    FROM dis LEFT JOIN best l ON l.did = dis.id AND l.form = 'loudspeaker'
                         LEFT JOIN best p ON p.did = dis.id AND p.form = 'posting'
                    GROUP BY dis.unit_id),
            gap AS (SELECT u.id, (SELECT COUNT(*) FROM mand) - COALESCE(per.done, 0) AS missing,
                           COALESCE(per.late, 0) AS late, COALESCE(per.n, 0) AS n
                    FROM units u LEFT JOIN per ON per.unit_id = u.id)
            SELECT id, CASE WHEN missing > 0 THEN 'missing' WHEN late > 0 THEN 'late'
                            ELSE 'done' END,
                       CASE WHEN missing > 0 THEN missing WHEN late > 0 THEN late ELSE n END
            FROM gap
            """,
            [*units("commune"), end, start, end, start],
        )
    )

    # Dialogue (Local Government Law 2025, art. 43): held in the period; results published
    # within the figure in force on the dialogue's day, or still due.
    publish = (
        f"(SELECT r.amount FROM {DR} r WHERE r.duty = 'dialogue_publish'"
        f" AND r.valid_from <= d.held_on AND (r.valid_to IS NULL OR r.valid_to >= d.held_on)"
        f" ORDER BY r.valid_from DESC, r.id DESC LIMIT 1)"
    )
    out.append(
        (
            "dialogue",
            f"""
            WITH units AS ({units_of}),
            per AS (SELECT d.unit_id, COUNT(*) AS n,
                           SUM(CASE WHEN {dn("d.published_on")} > {dn("d.held_on")} + {publish}
                                      OR (d.state = 'held'
                                          AND {now} > {dn("d.held_on")} + {publish})
                                    THEN 1 ELSE 0 END) AS late
                    FROM {DL} d JOIN units u ON u.id = d.unit_id
                    WHERE d.held_on >= %s AND d.held_on <= %s
                      AND d.state IN ('held', 'published')
                    GROUP BY d.unit_id)
            SELECT u.id, CASE WHEN per.late > 0 THEN 'late' WHEN per.n > 0 THEN 'done'
                              ELSE 'missing' END,
                   CASE WHEN per.late > 0 THEN per.late ELSE COALESCE(per.n, 0) END
            FROM units u LEFT JOIN per ON per.unit_id = u.id
            """,
            [*units("commune"), start, end],
        )
    )

    # Reception (Law on Citizen Reception 2013, art. 15): per leader with a duty, every ISO
    # week whose Monday is in a checked month and that is over holds the weekly minimum of
    # distinct days; a monthly duty, every month that is over. A month is checked when a
    # schedule of the duty overlaps it; the figure is the one in force on its first day.
    weeks: list[tuple[str, dt.date, dt.date, dt.date, dt.date]] = []
    year, month = start.year, start.month
    while (year, month) <= (day.year, day.month):
        first = dt.date(year, month, 1)
        last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
        weeks.append(("month", first, last, first, last))
        while monday <= last and monday <= today:
            if monday + dt.timedelta(days=6) < today:
                weeks.append(("week", monday, monday + dt.timedelta(days=6), first, last))
            monday += dt.timedelta(days=7)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    rule = (
        f"(SELECT r.{{col}} FROM {DR} r WHERE r.duty = s.duty AND r.valid_from <= w.m_first"
        f" AND (r.valid_to IS NULL OR r.valid_to >= w.m_first)"
        f" ORDER BY r.valid_from DESC, r.id DESC LIMIT 1)"
    )
    out.append(
        (
            "reception",
            f"""
            WITH units AS ({units_of}),
            w(span, p_first, p_last, m_first, m_last) AS (
                VALUES {", ".join(["(%s, %s, %s, %s, %s)"] * len(weeks))}),
            s AS (SELECT unit_id, leader_id, duty, valid_from AS vf, valid_to AS vt
                  FROM {RS} WHERE unit_id IN (SELECT id FROM units) AND duty <> ''
                  AND valid_from <= %s AND (valid_to IS NULL OR valid_to >= %s)),
            months AS (SELECT DISTINCT s.unit_id, s.leader_id, s.duty, w.m_first, w.m_last,
                              {rule.format(col="amount")} AS amount,
                              {rule.format(col="measure")} AS measure
                       FROM s JOIN w ON w.span = 'month' AND s.vf <= w.m_last
                            AND (s.vt IS NULL OR s.vt >= w.m_first)),
            periods AS (SELECT mo.unit_id, mo.leader_id, mo.duty, mo.m_first, w.p_first,
                               w.p_last, mo.amount
                        FROM months mo JOIN w ON w.span = 'week' AND w.m_first = mo.m_first
                        WHERE mo.measure = 'days_per_week' AND EXISTS (
                            SELECT 1 FROM s WHERE s.unit_id = mo.unit_id
                              AND s.leader_id = mo.leader_id AND s.duty = mo.duty
                              AND s.vf <= w.p_last AND (s.vt IS NULL OR s.vt >= w.p_first))
                        UNION ALL
                        SELECT unit_id, leader_id, duty, m_first, m_first, m_last, amount
                        FROM months WHERE measure = 'days_per_month' AND m_last < %s),
            short AS (SELECT DISTINCT p.unit_id, p.leader_id, p.duty, p.m_first FROM periods p
                      WHERE p.amount > (SELECT COUNT(DISTINCT x.held_on) FROM {RN} x
                            WHERE x.leader_id = p.leader_id AND x.unit_id = p.unit_id
                              AND x.held_on >= p.p_first AND x.held_on <= p.p_last)),
            per AS (SELECT unit_id, COUNT(*) AS n FROM short GROUP BY unit_id),
            seen AS (SELECT unit_id, COUNT(DISTINCT held_on) AS n FROM {RN}
                     WHERE unit_id IN (SELECT id FROM units) AND held_on >= %s
                       AND held_on <= %s
                     GROUP BY unit_id),
            cell AS (SELECT u.id, EXISTS (SELECT 1 FROM s WHERE s.unit_id = u.id) AS scheduled,
                            COALESCE(per.n, 0) AS short, COALESCE(seen.n, 0) AS held
                     FROM units u LEFT JOIN per ON per.unit_id = u.id
                          LEFT JOIN seen ON seen.unit_id = u.id)
            SELECT id, CASE WHEN NOT scheduled THEN 'missing' WHEN short > 0 THEN 'late'
                            ELSE 'done' END,
                       CASE WHEN NOT scheduled THEN 0 WHEN short > 0 THEN short ELSE held END
            FROM cell
            """,
            [*units("commune"), *(v for w in weeks for v in w), end, start, today, start, end],
        )
    )

    def figure(code: str) -> str:
        return (
            f"(SELECT r.amount FROM {SR} r WHERE r.code = '{code}' AND r.valid_from <= %s"
            f" AND (r.valid_to IS NULL OR r.valid_to >= %s)"
            f" ORDER BY r.valid_from DESC, r.id DESC LIMIT 1)"
        )

    # The people's inspection board (Law 10/2022/QH15, art. 35–36): the latest board in
    # office at the end of the period, with at least the minimum members and the figure
    # per village in force.
    out.append(
        (
            "inspection_board",
            f"""
            WITH units AS ({units_of}),
            least AS (SELECT {figure("inspection_min_members")} AS n),
            each AS (SELECT {figure("inspection_members_per_village")} AS n),
            live AS (SELECT b.id, b.unit_id, b.term_start FROM {B} b
                     JOIN units u ON u.id = b.unit_id
                     WHERE b.kind = 'inspection' AND b.term_start <= %s
                       AND (b.term_end IS NULL OR b.term_end >= %s)),
            cur AS (SELECT b.id, b.unit_id FROM live b WHERE NOT EXISTS (
                        SELECT 1 FROM live o WHERE o.unit_id = b.unit_id
                          AND (o.term_start > b.term_start
                               OR (o.term_start = b.term_start AND o.id < b.id)))),
            m AS (SELECT bm.board_id, bm.village_id FROM {BM} bm JOIN cur ON cur.id = bm.board_id
                  WHERE (bm.term_start IS NULL OR bm.term_start <= %s)
                    AND (bm.term_end IS NULL OR bm.term_end >= %s)),
            per AS (SELECT cur.unit_id, (SELECT COUNT(*) FROM m WHERE m.board_id = cur.id) AS n,
                           (SELECT COUNT(*) FROM {U} v WHERE v.parent_id = cur.unit_id
                              AND v.kind = 'village' AND v.valid_to IS NULL
                              AND (SELECT COUNT(*) FROM m WHERE m.board_id = cur.id
                                   AND m.village_id = v.id) < (SELECT n FROM each)) AS bare
                    FROM cur),
            f AS (SELECT unit_id, n,
                         CASE WHEN n < (SELECT n FROM least) THEN 1 ELSE 0 END
                         + CASE WHEN bare > 0 THEN 1 ELSE 0 END AS findings
                  FROM per)
            SELECT u.id, CASE WHEN f.unit_id IS NULL THEN 'missing'
                              WHEN f.findings > 0 THEN 'late' ELSE 'done' END,
                   CASE WHEN f.unit_id IS NULL THEN 0 WHEN f.findings > 0 THEN f.findings
                        ELSE f.n END
            FROM units u LEFT JOIN f ON f.unit_id = u.id
            """,
            [*units("commune"), day, day, day, day, day, day, day, day],
        )
    )

    # Votes (Law 10/2022/QH15, art. 15–23): a vote of a village closed in the period with
    # a result; an invalid one must be followed by another.
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    out.append(
        (
            "votes",
            f"""
            WITH units AS ({units_of}),
            closed AS (SELECT vi.parent_id AS unit_id, v.outcome,
                              (SELECT COUNT(*) FROM {VT} f WHERE f.follows_id = v.id) AS followed
                       FROM {VT} v JOIN {MT} mt ON mt.id = v.matter_id
                            JOIN {U} vi ON vi.id = mt.unit_id
                       WHERE vi.parent_id IN (SELECT id FROM units)
                         AND v.closed_at >= %s AND v.closed_at < %s),
            per AS (SELECT unit_id,
                           SUM(CASE WHEN outcome IN ('passed', 'failed') THEN 1 ELSE 0 END) AS ok,
                           SUM(CASE WHEN outcome = 'invalid' AND followed = 0 THEN 1 ELSE 0 END)
                             AS open,
                           SUM(CASE WHEN outcome = 'invalid' AND followed > 0 THEN 1 ELSE 0 END)
                             AS redone
                    FROM closed GROUP BY unit_id),
            raised AS (SELECT vi.parent_id AS unit_id, COUNT(*) AS n FROM {MT} mt
                       JOIN {U} vi ON vi.id = mt.unit_id
                       WHERE vi.parent_id IN (SELECT id FROM units)
                         AND mt.raised_on >= %s AND mt.raised_on <= %s
                       GROUP BY vi.parent_id)
            SELECT u.id,
                   CASE WHEN per.ok > 0 THEN 'done' WHEN per.open > 0 THEN 'late'
                        WHEN per.redone > 0 THEN 'done' WHEN raised.n > 0 THEN 'missing'
                        ELSE 'not_applicable' END,
                   CASE WHEN per.ok > 0 THEN per.ok WHEN per.open > 0 THEN per.open
                        WHEN per.redone > 0 THEN per.redone ELSE COALESCE(raised.n, 0) END
            FROM units u LEFT JOIN per ON per.unit_id = u.id
                 LEFT JOIN raised ON raised.unit_id = u.id
            """,
            [*units("commune"), lo, hi, start, end],
        )
    )

    # Conferences of agencies and enterprises: the yearly figure in force (1 if none).
    on = min(end, max(start, today))
    for code, unit_kind, kind, rule_code in (
        ("staff_conference", "agency", "staff", "staff_conferences_per_year"),
        ("staff_conference", "enterprise", "workers", "workers_conferences_per_year"),
        ("workplace_dialogue", "enterprise", "dialogue", "workplace_dialogues_per_year"),
    ):
        out.append(
            (
                code,
                f"""
                WITH units AS ({units_of}),
                need AS (SELECT COALESCE({figure(rule_code)}, 1) AS n),
                per AS (SELECT c.unit_id, COUNT(*) AS n FROM {CF} c
                        JOIN units u ON u.id = c.unit_id
                        WHERE c.kind = %s AND c.held_on >= %s AND c.held_on <= %s
                        GROUP BY c.unit_id)
                SELECT u.id, CASE WHEN COALESCE(per.n, 0) >= (SELECT n FROM need) THEN 'done'
                                  WHEN per.n > 0 THEN 'late' ELSE 'missing' END,
                       COALESCE(per.n, 0)
                FROM units u LEFT JOIN per ON per.unit_id = u.id
                """,
                [*units(unit_kind), on, on, kind, start, end],
            )
        )
    return out
