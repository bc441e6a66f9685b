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
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm, scope_q, subtree_q
from danvan.cases.models import Dialogue
from danvan.disclosure.models import DisclosureKind
from danvan.disclosure.selectors import kinds_in_force
from danvan.legal.duties import DutyBook
from danvan.legal.models import Duty
from danvan.supervision.models import Board, Conference, RuleCode
from danvan.supervision.rules.selectors import RuleBook
from danvan.units import rollup
from danvan.units.models import Unit, UnitKind

from ..models import Matter, Outcome, Vote
from . import sql


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


PROBLEM_STATUSES = frozenset({Status.LATE, Status.MISSING})


@dataclass(frozen=True)
class Obligation:
    code: str
    label: Any  # lazy string
    citation: Any
    unit_kinds: frozenset[str]
    # What the page behind a cell asks of the user: the board shows every cell to the
    # steering committee (Perm.DEMOCRACY_VIEW), the link only to those who may open it.
    link_perm: Perm = Perm.DEMOCRACY_VIEW


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
        Perm.CASE_VIEW,
    ),
    Obligation(
        "reception",
        _("Tiếp công dân định kỳ"),
        _("Luật Tiếp công dân 2013 (42/2013/QH13)"),
        _COMMUNE,
        Perm.CASE_VIEW,
    ),
    Obligation(
        "inspection_board",
        _("Ban Thanh tra nhân dân"),
        _("Luật Thực hiện dân chủ ở cơ sở 2022; Nghị định 59/2023/NĐ-CP"),
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
        _("Luật Thực hiện dân chủ ở cơ sở 2022; Bộ luật Lao động 2019, Điều 63"),
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
_LINK_PERMS = frozenset(o.link_perm for o in OBLIGATIONS)
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

    @property
    def has_problems(self) -> bool:
        """Some obligation late or missing (what "problems only" keeps)."""
        return any(c.status in PROBLEM_STATUSES for c in self.cells.values())


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

    @property
    def rows_with_problems(self) -> int:
        return sum(1 for row in self.rows if row.has_problems)

    def by_child(self) -> list[ChildSummary]:
        """One summary per child unit of the board's unit (tree order): how many of its
        units the board has, how many with a problem, and per obligation how many are
        late or missing. One query (the child units)."""
        children = rollup.children_by_id(self.unit, (row.unit.path for row in self.rows))
        out: dict[int | None, ChildSummary] = {}
        for row in self.rows:
            key = rollup.child_id(self.unit, row.unit.path)
            summary = out.get(key)
            if summary is None:
                unit = self.unit if key is None else children[key]
                summary = out[key] = ChildSummary(unit, problems=dict.fromkeys(OBLIGATION_CODES, 0))
            summary.units += 1
            summary.with_problems += row.has_problems
            for code, cell in row.cells.items():
                summary.problems[code] += cell.status in PROBLEM_STATUSES
        return sorted(out.values(), key=lambda s: (s.unit.pk != self.unit.pk, s.unit.path))


@dataclass
class ChildSummary:
    """The board's rows under one child unit, counted (the per-unit summary)."""

    unit: Unit
    units: int = 0
    with_problems: int = 0
    problems: dict[str, int] = field(default_factory=dict)

    @property
    def problem_list(self) -> list[int]:
        """Late or missing units per obligation, in the order of the obligations."""
        return [self.problems[o.code] for o in OBLIGATIONS]


# --- one function per obligation: (units, period) → {unit id: (status, count)} ------------


def _disclosure(
    ids: list[int], start: dt.date, end: dt.date, today: dt.date
) -> dict[int, tuple[str, int]]:
    """Missing mandatory kinds → MISSING; short postings or loudspeaker days → LATE (the
    checks of disclosure.selectors.compliance, computed by the database)."""
    numbers = sorted(
        set(
            kinds_in_force(
                DisclosureKind.objects.filter(mandatory=True, unit_kind=UnitKind.COMMUNE),
                start,
                end,
            ).values_list("number", flat=True)
        )
    )
    counts = sql.disclosure_counts(ids, numbers, start, end, today)
    out: dict[int, tuple[str, int]] = {}
    for pk in ids:
        n, done, late = counts.get(pk, (0, 0, 0))
        if done < len(numbers):
            out[pk] = (Status.MISSING, len(numbers) - done)
        elif late:
            out[pk] = (Status.LATE, late)
        else:
            out[pk] = (Status.DONE, n)
    return out


def _dialogue(
    ids: list[int], start: dt.date, end: dt.date, today: dt.date, book: DutyBook
) -> dict[int, tuple[str, int]]:
    """Held in the period → DONE; results published late, or still unpublished past the
    limit → LATE; none held → MISSING (the publication limit of dialogue_rows: the
    DutyRule version in force on the dialogue's day)."""
    held = Dialogue.objects.filter(
        unit_id__in=ids,
        held_on__gte=start,
        held_on__lte=end,
        state__in=[Dialogue.State.HELD, Dialogue.State.PUBLISHED],
    ).values_list("unit_id", "held_on", "published_on", "state")
    done: dict[int, int] = defaultdict(int)
    late: dict[int, int] = defaultdict(int)
    for unit_id, held_on, published_on, state in held:
        done[unit_id] += 1
        rule = book.on(Duty.DIALOGUE_PUBLISH, held_on)
        if rule is None:
            continue
        publish_by = held_on + dt.timedelta(days=rule.amount)
        if (published_on and published_on > publish_by) or (
            state == Dialogue.State.HELD and today > publish_by
        ):
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


_RECEPTION_DUTIES = (Duty.RECEPTION_COMMUNE_CHAIR, Duty.RECEPTION_PROVINCE_CHAIR)


def _reception(
    ids: list[int], start: dt.date, end: dt.date, today: dt.date, book: DutyBook
) -> dict[int, tuple[str, int]]:
    """No leader's schedule with a legal duty in force → MISSING; a shortfall (a week or a
    month over and short of the minimum) in a month of the period → LATE; else DONE
    (the check of cases.reception.selectors.reception_shortfalls, for every month)."""
    versions: dict[str, list[tuple[dt.date, dt.date | None, int, str]]] = defaultdict(list)
    for rule in book.rows:  # newest first
        if rule.duty not in _RECEPTION_DUTIES:
            continue
        versions[rule.duty].append((rule.valid_from, rule.valid_to, rule.amount, rule.measure))
    calendar = sql.reception_calendar(versions, start, end, today)
    counts = sql.reception_counts(ids, calendar, start, end)
    out: dict[int, tuple[str, int]] = {}
    for pk in ids:
        scheduled, short, held = counts.get(pk, (0, 0, 0))
        if not scheduled:
            out[pk] = (Status.MISSING, 0)
        elif short:
            out[pk] = (Status.LATE, short)
        else:
            out[pk] = (Status.DONE, held)
    return out


def _inspection_board(
    ids: list[int], end: dt.date, today: dt.date, book: RuleBook
) -> dict[int, tuple[str, int]]:
    """A people's inspection board in office at the end of the period (or today): none →
    MISSING; with findings (too few members, a village without one) → LATE; else DONE
    (the findings of supervision.selectors.composition_findings)."""
    day = min(end, today)
    least = book.on(RuleCode.INSPECTION_MIN_MEMBERS, day)
    per_village = book.on(RuleCode.INSPECTION_MEMBERS_PER_VILLAGE, day)
    counts = sql.inspection_counts(
        ids, day, per_village.amount if per_village is not None else None
    )
    out: dict[int, tuple[str, int]] = {}
    for pk in ids:
        if pk not in counts:
            out[pk] = (Status.MISSING, 0)
            continue
        members, villages_short = counts[pk]
        found = int(least is not None and members < least.amount)
        found += int(per_village is not None and villages_short > 0)
        out[pk] = (Status.LATE, found) if found else (Status.DONE, members)
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
    units: list[Unit], ids: list[int], start: dt.date, end: dt.date, today: dt.date, book: RuleBook
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
    # The legal figures, each table read once for all the obligations that use it.
    duties = DutyBook([Duty.DIALOGUE_PUBLISH, *_RECEPTION_DUTIES])
    rules = RuleBook(
        [
            RuleCode.INSPECTION_MIN_MEMBERS.value,
            RuleCode.INSPECTION_MEMBERS_PER_VILLAGE.value,
            *(code for _kind, code in _CONFERENCE_RULES.values()),
        ]
    )
    per: dict[str, dict[int, tuple[str, int]]] = {
        "disclosure": _disclosure(c_ids, start, end, today),
        "dialogue": _dialogue(c_ids, start, end, today, duties),
        "reception": _reception(c_ids, start, end, today, duties),
        "inspection_board": _inspection_board(c_ids, end, today, rules),
        "votes": _votes(c_ids, start, end),
    }
    conferences = _conferences(others, o_ids, start, end, today, rules)
    links = _links(start, end)
    not_applicable = Cell(Status.NOT_APPLICABLE)
    for row in board.rows:
        u = row.unit
        unit_param = quote(u.code)
        may_open = {p: policies.has_perm(user, p, u) for p in _LINK_PERMS}
        for ob in OBLIGATIONS:
            if u.kind not in ob.unit_kinds:
                row.cells[ob.code] = not_applicable
                continue
            if ob.code in per:
                status, count = per[ob.code][u.pk]
            else:
                status, count = conferences[(ob.code, u.pk)]
            base, extra = links[ob.code]
            url = f"{base}?unit={unit_param}{extra}" if may_open[ob.link_perm] else ""
            row.cells[ob.code] = Cell(status, count, url)
    return board


def _links(start: dt.date, end: dt.date) -> dict[str, tuple[str, str]]:
    """Per obligation, the page that lists the records behind a cell and the query string
    after the unit (reversed once per board, not once per cell)."""
    period = "&" + urlencode({"from": f"{start:%d/%m/%Y}", "to": f"{end:%d/%m/%Y}"})
    return {
        "disclosure": (reverse("disclosure:compliance"), period),
        "dialogue": (reverse("dialogues:list"), ""),
        "reception": (reverse("reception:index"), ""),
        "inspection_board": (
            reverse("supervision:boards"),
            "&" + urlencode({"kind": Board.Kind.INSPECTION.value}),
        ),
        "votes": (reverse("democracy:matters"), ""),
        "staff_conference": (reverse("supervision:conferences"), f"&year={start.year}"),
        "workplace_dialogue": (reverse("supervision:conferences"), f"&year={start.year}"),
    }
