"""The steering committee's compliance board: units × obligations, each cell done, late,
missing or not applicable, with a count and a link to the records behind it.

The obligations are listed once here (OBLIGATIONS), each with its label, its citation and
the kinds of unit it applies to. The board reads the records of the whole subtree once per
table (a fixed number of queries whatever the number of units) and buckets them by unit in
Python; the per-record checks are those of the owning apps (disclosure compliance, the
dialogue time limits, the reception minimum, the inspection board's composition, the
conference rules), so the board and their pages never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm, scope_q, subtree_q
from danvan.cases.models import Dialogue, ReceptionSchedule, ReceptionSession
from danvan.cases.selectors_reception import (
    dialogue_rows,
    month_bounds,
    monthly_shortfall,
    weekly_shortfall,
)
from danvan.disclosure.models import Disclosure, DisclosureKind
from danvan.disclosure.selectors import Problem, channel_findings, kinds_in_force
from danvan.legal.duties import DutyBook
from danvan.legal.models import Duty, Measure
from danvan.supervision.models import Board, BoardMember, Conference, RuleCode
from danvan.supervision.rules import RuleBook
from danvan.supervision.selectors import composition_findings
from danvan.units.models import Unit, UnitKind

from .models import Matter, Outcome, Vote


class Status:
    DONE = "done"
    LATE = "late"
    MISSING = "missing"
    NOT_APPLICABLE = "not_applicable"

    LABELS = {
        DONE: _("Đã thực hiện"),
        LATE: _("Chậm, chưa đủ"),
        MISSING: _("Chưa thực hiện"),
        NOT_APPLICABLE: _("Không áp dụng"),
    }
    ORDER = (DONE, LATE, MISSING, NOT_APPLICABLE)


@dataclass(frozen=True)
class Obligation:
    code: str
    label: Any  # lazy string
    citation: Any
    unit_kinds: frozenset[str]


_COMMUNE = frozenset({UnitKind.COMMUNE.value})

# The one list of obligations: the columns of the board, the API and the Excel export.
OBLIGATIONS: tuple[Obligation, ...] = (
    Obligation(
        "disclosure",
        _("Công khai đủ nội dung bắt buộc"),
        _("Luật Thực hiện dân chủ ở cơ sở 2022, Điều 11–13"),
        _COMMUNE,
    ),
    Obligation(
        "dialogue",
        _("Hội nghị đối thoại"),
        _("Luật Tổ chức chính quyền địa phương 2025, Điều 43"),
        _COMMUNE,
    ),
    Obligation(
        "reception",
        _("Tiếp công dân định kỳ"),
        _("Luật Tiếp công dân 2013, Điều 15"),
        _COMMUNE,
    ),
    Obligation(
        "inspection_board",
        _("Ban Thanh tra nhân dân"),
        _("Luật Thực hiện dân chủ ở cơ sở 2022, Điều 35–36"),
        _COMMUNE,
    ),
    Obligation(
        "votes",
        _("Biểu quyết của cộng đồng"),
        _("Luật Thực hiện dân chủ ở cơ sở 2022, Điều 15–23"),
        _COMMUNE,
    ),
    Obligation(
        "staff_conference",
        _("Hội nghị cán bộ, người lao động"),
        _("Luật Thực hiện dân chủ ở cơ sở 2022, Chương III; Bộ luật Lao động 2019, Điều 63"),
        frozenset({UnitKind.AGENCY.value, UnitKind.ENTERPRISE.value}),
    ),
    Obligation(
        "workplace_dialogue",
        _("Đối thoại tại nơi làm việc"),
        _("Bộ luật Lao động 2019, Điều 63; Nghị định 145/2020/NĐ-CP"),
        frozenset({UnitKind.ENTERPRISE.value}),
    ),
)
OBLIGATION_CODES = tuple(o.code for o in OBLIGATIONS)
ROW_KINDS = (UnitKind.COMMUNE.value, UnitKind.AGENCY.value, UnitKind.ENTERPRISE.value)

# Which conference kind and rule each conference obligation checks, per unit kind.
_CONFERENCE_RULES: dict[tuple[str, str], tuple[str, str]] = {
    ("staff_conference", UnitKind.AGENCY.value): (
        Conference.Kind.STAFF.value,
        RuleCode.STAFF_CONFERENCES_PER_YEAR.value,
    ),
    ("staff_conference", UnitKind.ENTERPRISE.value): (
        Conference.Kind.WORKERS.value,
        RuleCode.WORKERS_CONFERENCES_PER_YEAR.value,
    ),
    ("workplace_dialogue", UnitKind.ENTERPRISE.value): (
        Conference.Kind.DIALOGUE.value,
        RuleCode.WORKPLACE_DIALOGUES_PER_YEAR.value,
    ),
}


@dataclass(frozen=True)
class Cell:
    status: str
    count: int = 0
    url: str = ""

    @property
    def label(self) -> str:
        return str(Status.LABELS[self.status])


@dataclass
class Row:
    unit: Unit
    cells: dict[str, Cell] = field(default_factory=dict)

    @property
    def cell_list(self) -> list[Cell]:
        """The cells in the order of the obligations (for templates)."""
        return [self.cells[o.code] for o in OBLIGATIONS]


@dataclass
class ComplianceBoard:
    unit: Unit
    start: dt.date
    end: dt.date
    obligations: tuple[Obligation, ...]
    rows: list[Row]

    def totals(self) -> dict[str, dict[str, int]]:
        """Per obligation, the number of units in each status."""
        out = {o.code: dict.fromkeys(Status.ORDER, 0) for o in self.obligations}
        for row in self.rows:
            for code, cell in row.cells.items():
                out[code][cell.status] += 1
        return out

    def total_rows(self) -> list[tuple[Obligation, dict[str, int]]]:
        totals = self.totals()
        return [(o, totals[o.code]) for o in self.obligations]


def _link(name: str, unit: Unit, **params: Any) -> str:
    return f"{reverse(name)}?{urlencode({'unit': unit.code, **params})}"


def _months(start: dt.date, end: dt.date) -> Iterable[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


# --- one function per obligation: (units, period) → {unit id: (status, count)} ------------


def _disclosure(
    units: list[Unit], ids: list[int], start: dt.date, end: dt.date, today: dt.date
) -> dict[int, tuple[str, int]]:
    """Missing mandatory kinds → MISSING; short postings or loudspeaker days → LATE (the
    query shape and the checks of disclosure.selectors.compliance)."""
    latest: dict[str, dict[int, DisclosureKind]] = defaultdict(dict)
    kinds = kinds_in_force(DisclosureKind.objects.filter(mandatory=True), start, end)
    for kind in kinds.order_by("unit_kind", "number", "-valid_from"):
        latest[kind.unit_kind].setdefault(kind.number, kind)
    disclosures = (
        Disclosure.objects.filter(unit_id__in=ids, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .select_related("kind")
        .prefetch_related("channels")
        .order_by("unit_id", "start", "id")
    )
    by_unit: dict[int, list[Disclosure]] = defaultdict(list)
    for d in disclosures:
        by_unit[d.unit_id].append(d)
    out: dict[int, tuple[str, int]] = {}
    for u in units:
        own = by_unit.get(u.pk, [])
        done = {d.kind.number for d in own if d.kind.unit_kind == u.kind}
        missing = [n for n in latest[u.kind] if n not in done]
        if missing:
            out[u.pk] = (Status.MISSING, len(missing))
            continue
        late = [f for d in own for f in channel_findings(u, d, today)]
        late = [f for f in late if f.problem != Problem.MISSING]
        out[u.pk] = (Status.LATE, len(late)) if late else (Status.DONE, len(own))
    return out


def _dialogue(ids: list[int], start: dt.date, end: dt.date) -> dict[int, tuple[str, int]]:
    """Held in the period → DONE; results published late, or still unpublished past the
    limit → LATE; none held → MISSING."""
    held = Dialogue.objects.filter(
        unit_id__in=ids,
        held_on__gte=start,
        held_on__lte=end,
        state__in=[Dialogue.State.HELD, Dialogue.State.PUBLISHED],
    ).order_by("unit_id", "held_on", "id")
    done: dict[int, int] = defaultdict(int)
    late: dict[int, int] = defaultdict(int)
    for row in dialogue_rows(held):
        unit_id = row.dialogue.unit_id
        done[unit_id] += 1
        if row.publish_late or row.publish_overdue:
            late[unit_id] += 1
    out: dict[int, tuple[str, int]] = {}
    for pk in ids:
        if late.get(pk):
            out[pk] = (Status.LATE, late[pk])
        elif done.get(pk):
            out[pk] = (Status.DONE, done[pk])
        else:
            out[pk] = (Status.MISSING, 0)
    return out


def _reception(
    ids: list[int], start: dt.date, end: dt.date, today: dt.date
) -> dict[int, tuple[str, int]]:
    """No leader's schedule with a legal duty in force → MISSING; a shortfall (a week or a
    month over and short of the minimum) in a month of the period → LATE; else DONE
    (the check of cases.selectors_reception.reception_shortfalls, for every month)."""
    schedules = list(
        ReceptionSchedule.objects.filter(unit_id__in=ids)
        .exclude(duty="")
        .filter(valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .select_related("unit", "leader")
        .order_by("unit_id", "leader_id", "valid_from", "id")
    )
    groups: dict[tuple[int, int, str], list[ReceptionSchedule]] = defaultdict(list)
    for s in schedules:
        groups[(s.unit_id, s.leader_id, s.duty)].append(s)
    days: dict[tuple[int, int], set[dt.date]] = defaultdict(set)
    sessions = (
        ReceptionSession.objects.filter(
            unit_id__in=ids,
            held_on__gte=start.replace(day=1),
            held_on__lte=end + dt.timedelta(days=37),
        )
        .values_list("unit_id", "leader_id", "held_on")
        .distinct()
    )
    held: dict[int, set[dt.date]] = defaultdict(set)
    for unit_id, leader_id, held_on in sessions:
        days[(unit_id, leader_id)].add(held_on)
        if start <= held_on <= end:
            held[unit_id].add(held_on)
    book = DutyBook([Duty.RECEPTION_COMMUNE_CHAIR, Duty.RECEPTION_PROVINCE_CHAIR])
    short: dict[int, int] = defaultdict(int)
    checked: set[int] = set()
    for (unit_id, leader_id, duty), group in groups.items():
        periods = [(s.valid_from, s.valid_to) for s in group]
        for year, month in _months(start, min(end, today)):
            first, last = month_bounds(year, month)
            if not any(f <= last and (t is None or t >= first) for f, t in periods):
                continue
            rule = book.on(duty, first)
            if rule is None:
                continue
            checked.add(unit_id)
            leader_days = days[(unit_id, leader_id)]
            if rule.measure == Measure.DAYS_PER_WEEK:
                found = weekly_shortfall(group[0], rule, periods, leader_days, first, last, today)
                if found is not None and any(not g.ongoing for g in found.missing_weeks):
                    short[unit_id] += 1
            elif rule.measure == Measure.DAYS_PER_MONTH:
                found = monthly_shortfall(group[0], rule, leader_days, first, last, today)
                if found is not None and not found.ongoing:
                    short[unit_id] += 1
    scheduled = {s.unit_id for s in schedules}
    out: dict[int, tuple[str, int]] = {}
    for pk in ids:
        if pk not in scheduled:
            out[pk] = (Status.MISSING, 0)
        elif short.get(pk):
            out[pk] = (Status.LATE, short[pk])
        else:
            out[pk] = (Status.DONE, len(held.get(pk, ())))
    return out


def _inspection_board(
    units: list[Unit], ids: list[int], end: dt.date, today: dt.date
) -> dict[int, tuple[str, int]]:
    """A people's inspection board current at the end of the period (or today): none →
    MISSING; with findings (too few members, a village without one) → LATE; else DONE."""
    day = min(end, today)
    boards = list(
        Board.objects.filter(unit_id__in=ids, kind=Board.Kind.INSPECTION, term_start__lte=day)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=day))
        .order_by("unit_id", "-term_start", "id")
    )
    members: dict[int, list[BoardMember]] = defaultdict(list)
    member_rows = BoardMember.objects.filter(
        board__unit_id__in=ids, board__kind=Board.Kind.INSPECTION
    ).order_by("id")
    for m in member_rows:
        if m.is_current_on(day):
            members[m.board_id].append(m)
    villages: dict[int, list[Unit]] = defaultdict(list)
    for village in Unit.objects.filter(
        parent_id__in=ids, kind=UnitKind.VILLAGE, valid_to__isnull=True
    ).order_by("path"):
        assert village.parent_id is not None
        villages[village.parent_id].append(village)
    book = RuleBook(
        [RuleCode.INSPECTION_MIN_MEMBERS.value, RuleCode.INSPECTION_MEMBERS_PER_VILLAGE.value]
    )
    by_id = {u.pk: u for u in units}
    current: dict[int, Board] = {}
    for b in boards:
        current.setdefault(b.unit_id, b)
    out: dict[int, tuple[str, int]] = {}
    for pk in ids:
        board = current.get(pk)
        if board is None:
            out[pk] = (Status.MISSING, 0)
            continue
        board.unit = by_id[pk]
        found = composition_findings(board, members[board.pk], villages[pk], book, day)
        out[pk] = (Status.LATE, len(found)) if found else (Status.DONE, len(members[board.pk]))
    return out


def _votes(ids: list[int], start: dt.date, end: dt.date) -> dict[int, tuple[str, int]]:
    """Votes closed in the period with a result → DONE; only invalid ones (not more than
    half of the households) not followed by another vote → LATE; matters raised in the
    period without a vote closed → MISSING; nothing raised → NOT_APPLICABLE."""
    # A matter belongs to a village: it counts for the village's commune.
    raised = dict(
        Matter.objects.filter(unit__parent_id__in=ids, raised_on__gte=start, raised_on__lte=end)
        .values("unit__parent_id")
        .annotate(n=Count("id"))
        .values_list("unit__parent_id", "n")
    )
    closed = (
        Vote.objects.filter(matter__unit__parent_id__in=ids, closed_at__date__gte=start)
        .filter(closed_at__date__lte=end)
        .annotate(followed=Count("followups"))
        .values_list("matter__unit__parent_id", "outcome", "followed")
    )
    valid: dict[int, int] = defaultdict(int)
    unfollowed: dict[int, int] = defaultdict(int)
    followed: dict[int, int] = defaultdict(int)
    for unit_id, outcome, n in closed:
        if unit_id is None:
            continue
        if outcome in (Outcome.PASSED, Outcome.FAILED):
            valid[unit_id] += 1
        elif outcome == Outcome.INVALID:
            if n:
                followed[unit_id] += 1
            else:
                unfollowed[unit_id] += 1
    out: dict[int, tuple[str, int]] = {}
    for pk in ids:
        if valid.get(pk):
            out[pk] = (Status.DONE, valid[pk])
        elif unfollowed.get(pk):
            out[pk] = (Status.LATE, unfollowed[pk])
        elif followed.get(pk):
            out[pk] = (Status.DONE, followed[pk])
        elif raised.get(pk):
            out[pk] = (Status.MISSING, raised[pk])
        else:
            out[pk] = (Status.NOT_APPLICABLE, 0)
    return out


def _conferences(
    units: list[Unit], ids: list[int], start: dt.date, end: dt.date, today: dt.date
) -> dict[tuple[str, int], tuple[str, int]]:
    """Conferences held in the period against the yearly figure in force (the rule of
    supervision.selectors.conference_gaps): enough → DONE; some → LATE; none → MISSING."""
    held = {
        (row["unit_id"], row["kind"]): row["n"]
        for row in Conference.objects.filter(unit_id__in=ids, held_on__gte=start)
        .filter(held_on__lte=end)
        .values("unit_id", "kind")
        .annotate(n=Count("id"))
    }
    book = RuleBook({code for _kind, code in _CONFERENCE_RULES.values()})
    day = min(end, max(start, today))
    out: dict[tuple[str, int], tuple[str, int]] = {}
    for u in units:
        for (code, unit_kind), (kind, rule_code) in _CONFERENCE_RULES.items():
            if unit_kind != u.kind:
                continue
            rule = book.on(rule_code, day)
            count = held.get((u.pk, kind), 0)
            needed = rule.amount if rule is not None else 1
            if count >= needed:
                out[(code, u.pk)] = (Status.DONE, count)
            elif count:
                out[(code, u.pk)] = (Status.LATE, count)
            else:
                out[(code, u.pk)] = (Status.MISSING, 0)
    return out


# --- the board -----------------------------------------------------------------------------


def board_units(*, user: Any, unit: Unit, start: dt.date, end: dt.date) -> list[Unit]:
    """The communes, agencies and enterprises of *unit*'s subtree that existed during the
    period and that *user* may see (Perm.DEMOCRACY_VIEW), in tree order."""
    return list(
        Unit.objects.filter(subtree_q(unit), scope_q(user, Perm.DEMOCRACY_VIEW))
        .filter(kind__in=ROW_KINDS)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        .order_by("path")
    )


def compliance_board(
    *, user: Any, unit: Unit, start: dt.date, end: dt.date, today: dt.date
) -> ComplianceBoard:
    """The board of *unit*'s subtree over [start, end], as seen on *today*.

    The unit must be in the user's sight with Perm.DEMOCRACY_VIEW (else NotFound, like a
    missing unit). A fixed number of queries whatever the number of units.
    """
    policies.require(user, Perm.DEMOCRACY_VIEW, unit)
    units = board_units(user=user, unit=unit, start=start, end=end)
    board = ComplianceBoard(unit, start, end, OBLIGATIONS, [Row(u) for u in units])
    if not units:
        return board
    communes = [u for u in units if u.kind == UnitKind.COMMUNE]
    commune_ids = [u.pk for u in communes]
    others = [u for u in units if u.kind != UnitKind.COMMUNE]
    other_ids = [u.pk for u in others]
    # Lists of ids: when there is no commune (or no agency), pass a sentinel so each
    # table is still read once and the number of queries does not depend on the rows.
    c_ids = commune_ids or [0]
    o_ids = other_ids or [0]
    per: dict[str, dict[int, tuple[str, int]]] = {
        "disclosure": _disclosure(communes, c_ids, start, end, today),
        "dialogue": _dialogue(c_ids, start, end),
        "reception": _reception(c_ids, start, end, today),
        "inspection_board": _inspection_board(communes, c_ids, end, today),
        "votes": _votes(c_ids, start, end),
    }
    conferences = _conferences(others, o_ids, start, end, today)
    period = {"from": f"{start:%Y-%m-%d}", "to": f"{end:%Y-%m-%d}"}
    for row in board.rows:
        u = row.unit
        for ob in OBLIGATIONS:
            if u.kind not in ob.unit_kinds:
                row.cells[ob.code] = Cell(Status.NOT_APPLICABLE)
                continue
            if ob.code in per:
                status, count = per[ob.code][u.pk]
            else:
                status, count = conferences[(ob.code, u.pk)]
            row.cells[ob.code] = Cell(status, count, _cell_url(ob.code, u, period, start))
    return board


def _cell_url(code: str, unit: Unit, period: dict[str, str], start: dt.date) -> str:
    if code == "disclosure":
        return _link("disclosure:compliance", unit, **period)
    if code == "dialogue":
        return _link("dialogues:list", unit)
    if code == "reception":
        return _link("reception:index", unit)
    if code == "inspection_board":
        return _link("supervision:boards", unit, kind=Board.Kind.INSPECTION.value)
    if code == "votes":
        return _link("democracy:matters", unit)
    return _link("supervision:conferences", unit, year=start.year)
