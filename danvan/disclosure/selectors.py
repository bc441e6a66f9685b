"""Reads of disclosures, scoped to what the actor may see, and the compliance check.

Reading needs Perm.DEMOCRACY_VIEW on the unit; a disclosure of a unit out of sight
answers like a missing one. What must be disclosed and for how long is DisclosureKind
data: every finding of the compliance check names the kind version it applies, with its
citation and its to-verify flag.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm, subtree_q
from danvan.core.errors import NotFound
from danvan.units import rollup
from danvan.units.models import Unit

from .models import (
    RULE_KIND_OF_UNIT,
    Disclosure,
    DisclosureChannel,
    DisclosureEvidence,
    DisclosureForm,
    DisclosureKind,
)


def today() -> dt.date:
    return timezone.localdate()


def _visible(user: Any, unit: Unit) -> bool:
    return policies.has_perm(user, Perm.DEMOCRACY_VIEW, unit)


def kinds_in_force(qs: QuerySet[DisclosureKind], start: dt.date, end: dt.date) -> QuerySet[Any]:
    """Kind versions in force on at least one day of [start, end]."""
    return qs.filter(valid_from__lte=end).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))


# --- the catalogue -------------------------------------------------------------------------


def kinds_catalogue(*, unit_kind: str | None = None) -> QuerySet[DisclosureKind]:
    """Every version of every kind (national rule data: anyone signed in may read it)."""
    qs = DisclosureKind.objects.all()
    if unit_kind:
        qs = qs.filter(unit_kind=unit_kind)
    return qs.order_by("unit_kind", "number", "-valid_from", "id")


def kinds_for_unit(unit: Unit, on: dt.date | None = None) -> QuerySet[DisclosureKind]:
    """The kinds *unit* may record (of its list), in force on *on* if given."""
    rule_kind = RULE_KIND_OF_UNIT.get(unit.kind)
    if rule_kind is None:
        return DisclosureKind.objects.none()
    qs = DisclosureKind.objects.filter(unit_kind=rule_kind)
    if on is not None:
        qs = kinds_in_force(qs, on, on)
    return qs.order_by("number", "-valid_from", "id")


# --- disclosures ---------------------------------------------------------------------------


def _with_rows(qs: QuerySet[Disclosure]) -> QuerySet[Disclosure]:
    return qs.select_related("unit", "kind").prefetch_related(
        Prefetch("channels", queryset=DisclosureChannel.objects.order_by("start", "id"))
    )


def disclosures_under(
    *, user: Any, unit: Unit | None, kind_number: int | None = None
) -> QuerySet[Disclosure]:
    """The disclosures of *unit*'s subtree (None: the nation, national grants only),
    newest first, with their kind and forms."""
    policies.require(user, Perm.DEMOCRACY_VIEW, unit)
    qs = Disclosure.objects.filter(subtree_q(unit, "unit__") if unit else Q())
    if kind_number is not None:
        qs = qs.filter(kind__number=kind_number)
    return _with_rows(qs).order_by("-start", "-id")


def disclosure_get(*, user: Any, public_id: uuid.UUID | str) -> Disclosure:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound(
            _("Không tìm thấy nội dung công khai."), code="disclosure_not_found"
        ) from None
    disclosure = (
        _with_rows(Disclosure.objects.filter(public_id=key))
        .select_related("created_by")
        .prefetch_related(
            Prefetch("evidence", queryset=DisclosureEvidence.objects.order_by("created_at", "id"))
        )
        .first()
    )
    if disclosure is None or not _visible(user, disclosure.unit):
        raise NotFound(_("Không tìm thấy nội dung công khai."), code="disclosure_not_found")
    return disclosure


def evidence_get(*, disclosure: Disclosure, pk: int) -> DisclosureEvidence:
    """An evidence file of *disclosure* (already checked visible by disclosure_get)."""
    item = DisclosureEvidence.objects.filter(disclosure=disclosure, pk=pk).first()
    if item is None:
        raise NotFound(_("Không tìm thấy minh chứng."), code="evidence_not_found")
    return item


def channel_get(*, disclosure: Disclosure, pk: int) -> DisclosureChannel:
    item = DisclosureChannel.objects.filter(disclosure=disclosure, pk=pk).first()
    if item is None:
        raise NotFound(_("Không tìm thấy hình thức công khai."), code="channel_not_found")
    item.disclosure = disclosure
    return item


def public_disclosures(
    *,
    unit: Unit | None = None,
    kind: tuple[str, int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[Disclosure]:
    """What the portal shows: disclosures marked public, newest first (no evidence files,
    no author).

    *kind* is (unit_kind, number): every version of that item of the law's list. *start*
    and *end* keep the disclosures whose period meets [start, end] (one still running,
    without an end, meets every later day).
    """
    qs = Disclosure.objects.filter(is_public=True)
    if unit is not None:
        qs = qs.filter(subtree_q(unit, "unit__"))
    if kind is not None:
        qs = qs.filter(kind__unit_kind=kind[0], kind__number=kind[1])
    if end is not None:
        qs = qs.filter(start__lte=end)
    if start is not None:
        qs = qs.filter(Q(end__isnull=True) | Q(end__gte=start))
    return _with_rows(qs).order_by("-start", "-id")


def public_kinds() -> list[DisclosureKind]:
    """One row per item of the law's lists (the newest version), for the portal's filter:
    (unit_kind, number) identifies the item across its versions."""
    newest: dict[tuple[str, int], DisclosureKind] = {}
    for kind in DisclosureKind.objects.order_by("unit_kind", "number", "-valid_from", "-id"):
        newest.setdefault((kind.unit_kind, kind.number), kind)
    return list(newest.values())


def public_disclosure_get(public_id: uuid.UUID) -> Disclosure | None:
    """A disclosure marked public, with its forms and only its documents marked public;
    None for one not public (the portal answers it like a missing one)."""
    return (
        _with_rows(Disclosure.objects.filter(public_id=public_id, is_public=True))
        .select_related("unit__parent")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=DisclosureEvidence.objects.filter(is_public=True).order_by(
                    "created_at", "id"
                ),
                to_attr="public_documents",
            )
        )
        .first()
    )


def public_document_get(*, public_id: uuid.UUID, pk: int) -> DisclosureEvidence | None:
    """A document the portal may serve: marked public, of a disclosure marked public.
    Images never qualify, whatever the flag says (services.evidence_add refuses them)."""
    return (
        DisclosureEvidence.objects.filter(
            pk=pk, is_public=True, disclosure__public_id=public_id, disclosure__is_public=True
        )
        .exclude(content_type__startswith="image/")
        .first()
    )


@dataclass(frozen=True)
class PostingPeriod:
    """How long a disclosure stays posted, as the portal tells it on *on*.

    *end* is the disclosure's own end date; without one, the kind's minimum posting days
    counted from the start (Law 10/2022/QH15, Điều 12: posting lasts at least
    posting_min_days consecutive days, 30 in the baseline data); None when neither is set.
    """

    start: dt.date
    end: dt.date | None
    min_days: int
    on: dt.date

    @property
    def state(self) -> str:
        if self.on < self.start:
            return "upcoming"
        if self.end is not None and self.on > self.end:
            return "ended"
        return "running"

    @property
    def days_left(self) -> int:
        """Days still posted, today included (0 without an end or once ended)."""
        if self.end is None or self.on > self.end:
            return 0
        return (self.end - max(self.on, self.start)).days + 1


def posting_period(disclosure: Disclosure, on: dt.date) -> PostingPeriod:
    min_days = disclosure.kind.posting_min_days
    end = disclosure.end
    if end is None and min_days:
        end = disclosure.start + dt.timedelta(days=min_days - 1)
    return PostingPeriod(start=disclosure.start, end=end, min_days=min_days, on=on)


# --- compliance ----------------------------------------------------------------------------


class Problem:
    MISSING = "missing"
    LOUDSPEAKER_MISSING = "loudspeaker_missing"
    LOUDSPEAKER_SHORT = "loudspeaker_short"
    POSTING_SHORT = "posting_short"
    LATE = "late"


@dataclass(frozen=True)
class Finding:
    """One shortcoming of a unit's disclosures in a period."""

    unit: Unit
    kind: DisclosureKind
    problem: str
    disclosure: Disclosure | None = None
    required_days: int = 0
    actual_days: int = 0

    @property
    def citation(self) -> str:
        return self.kind.citation

    @property
    def to_verify(self) -> bool:
        # A posting figure may be unverified even where the kind itself is checked.
        if self.problem == Problem.POSTING_SHORT:
            return self.kind.to_verify or self.kind.posting_to_verify
        return self.kind.to_verify

    @property
    def message(self) -> str:
        if self.problem == Problem.MISSING:
            return _("Chưa công khai nội dung bắt buộc trong kỳ.")
        if self.problem == Problem.LOUDSPEAKER_MISSING:
            return _("Chưa phát trên hệ thống truyền thanh (cần ít nhất %(n)s ngày liên tục).") % {
                "n": self.required_days
            }
        if self.problem == Problem.LOUDSPEAKER_SHORT:
            return _(
                "Phát trên hệ thống truyền thanh %(got)s ngày liên tục, cần ít nhất %(n)s ngày."
            ) % {"got": self.actual_days, "n": self.required_days}
        if self.problem == Problem.LATE:
            assert self.disclosure is not None
            assert self.disclosure.due_on is not None
            return _("Bắt đầu công khai ngày %(start)s, chậm %(n)s ngày so với hạn %(due)s.") % {
                "start": f"{self.disclosure.start:%d/%m/%Y}",
                "due": f"{self.disclosure.due_on:%d/%m/%Y}",
                "n": self.actual_days,
            }
        return _("Niêm yết %(got)s ngày liên tục, cần ít nhất %(n)s ngày.") % {
            "got": self.actual_days,
            "n": self.required_days,
        }


@dataclass(frozen=True)
class Run:
    """The longest stretch of consecutive days one form ran, and whether it still runs."""

    days: int
    ongoing: bool


def longest_run(channels: Iterable[DisclosureChannel], form: str, now: dt.date) -> Run | None:
    """The longest run of consecutive days covered by *channels* of *form*.

    Rows that overlap or touch (one ends the day before the next starts) join into one
    run: three one-day loudspeaker rows on 1, 2 and 3 March are 3 consecutive days. A
    row without an end runs up to *now* and makes its run ongoing. None: form not used.
    """
    spans = sorted(
        (c.start, c.end if c.end is not None else max(now, c.start), c.end is None)
        for c in channels
        if c.form == form
    )
    if not spans:
        return None
    runs: list[Run] = []
    run_start, run_end, run_open = spans[0]
    for start, end, is_open in spans[1:]:
        if start <= run_end + dt.timedelta(days=1):
            if end > run_end:
                run_end, run_open = end, is_open
            elif end == run_end:
                run_open = run_open or is_open
            continue
        runs.append(Run((run_end - run_start).days + 1, run_open))
        run_start, run_end, run_open = start, end, is_open
    runs.append(Run((run_end - run_start).days + 1, run_open))
    return max(runs, key=lambda r: (r.days, r.ongoing))


def channel_findings(unit: Unit, disclosure: Disclosure, now: dt.date) -> list[Finding]:
    kind = disclosure.kind
    channels = list(disclosure.channels.all())
    found: list[Finding] = []
    # Started after the time limit the governing text set (entered as due_on).
    if disclosure.due_on is not None and disclosure.start > disclosure.due_on:
        late_by = (disclosure.start - disclosure.due_on).days
        found.append(Finding(unit, kind, Problem.LATE, disclosure, 0, late_by))
    # Law 10/2022/QH15, Điều 12: items 7–12 of Điều 11 also go on the loudspeakers for
    # at least 3 consecutive days (the figure is kind.loudspeaker_min_days).
    if kind.loudspeaker_min_days:
        run = longest_run(channels, DisclosureForm.LOUDSPEAKER, now)
        if run is None:
            found.append(
                Finding(
                    unit,
                    kind,
                    Problem.LOUDSPEAKER_MISSING,
                    disclosure,
                    kind.loudspeaker_min_days,
                    0,
                )
            )
        elif run.days < kind.loudspeaker_min_days and not run.ongoing:
            found.append(
                Finding(
                    unit,
                    kind,
                    Problem.LOUDSPEAKER_SHORT,
                    disclosure,
                    kind.loudspeaker_min_days,
                    run.days,
                )
            )
    # Posting at the headquarters lasts at least posting_min_days consecutive days
    # (30 in the baseline data, to verify). A posting still running is not short yet.
    if kind.posting_min_days:
        run = longest_run(channels, DisclosureForm.POSTING, now)
        if run is not None and run.days < kind.posting_min_days and not run.ongoing:
            found.append(
                Finding(
                    unit, kind, Problem.POSTING_SHORT, disclosure, kind.posting_min_days, run.days
                )
            )
    return found


def compliance(*, user: Any, unit: Unit, start: dt.date, end: dt.date) -> list[Finding]:
    """The shortcomings of the disclosures of *unit*'s subtree over [start, end].

    Checked units are those of a kind the law gives a list to (communes, agencies and
    public service units, enterprises) that existed during the period. For each: every
    mandatory kind in force during the period and not disclosed (no disclosure of that
    kind number overlapping the period) is missing; every disclosure overlapping the
    period is checked for its loudspeaker and posting days. Four queries, whatever the
    number of units and disclosures.
    """
    return compliance_check(user=user, unit=unit, start=start, end=end).findings


@dataclass(frozen=True)
class ComplianceCheck:
    """The units checked (tree order) and what was found (unit by unit, in that order)."""

    unit: Unit
    units: list[Unit]
    findings: list[Finding]


def compliance_check(*, user: Any, unit: Unit, start: dt.date, end: dt.date) -> ComplianceCheck:
    """compliance(), with the list of the units checked (for the totals and summaries)."""
    policies.require(user, Perm.DEMOCRACY_VIEW, unit)
    now = today()
    units = list(
        Unit.objects.filter(subtree_q(unit))
        .filter(kind__in=list(RULE_KIND_OF_UNIT))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        .order_by("path")
    )
    if not units:
        return ComplianceCheck(unit, [], [])
    kinds = list(
        kinds_in_force(DisclosureKind.objects.filter(mandatory=True), start, end).order_by(
            "unit_kind", "number", "-valid_from"
        )
    )
    # One version per kind number: the newest in force during the period.
    latest: dict[str, dict[int, DisclosureKind]] = defaultdict(dict)
    for kind in kinds:
        latest[kind.unit_kind].setdefault(kind.number, kind)
    disclosures = list(
        _with_rows(
            Disclosure.objects.filter(unit_id__in=[u.pk for u in units])
            .filter(start__lte=end)
            .filter(Q(end__isnull=True) | Q(end__gte=start))
        ).order_by("unit__path", "kind__number", "start", "id")
    )
    by_unit: dict[int, list[Disclosure]] = defaultdict(list)
    for disclosure in disclosures:
        by_unit[disclosure.unit_id].append(disclosure)
    found: list[Finding] = []
    for u in units:
        own = by_unit.get(u.pk, [])
        done = {(d.kind.unit_kind, d.kind.number) for d in own}
        rule_kind = RULE_KIND_OF_UNIT[u.kind]
        for number, kind in sorted(latest[rule_kind].items()):
            if (rule_kind, number) not in done:
                found.append(Finding(u, kind, Problem.MISSING))
        for disclosure in own:
            disclosure.unit = u
            found.extend(channel_findings(u, disclosure, now))
    return ComplianceCheck(unit, units, found)


# The columns of the per-unit summary: which problems each one counts.
SUMMARY_COLUMNS: dict[str, tuple[str, ...]] = {
    "missing": (Problem.MISSING,),
    "late": (Problem.LATE,),
    "loudspeaker": (Problem.LOUDSPEAKER_MISSING, Problem.LOUDSPEAKER_SHORT),
    "posting": (Problem.POSTING_SHORT,),
}
_COLUMN_OF = {p: col for col, problems in SUMMARY_COLUMNS.items() for p in problems}


@dataclass
class ComplianceSummary:
    """Counts over a set of checked units: how many, how many with a finding, and the
    findings per summary column."""

    unit: Unit
    units: int = 0
    with_problems: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SUMMARY_COLUMNS, 0))

    @property
    def findings(self) -> int:
        return sum(self.counts.values())

    @property
    def has_problems(self) -> bool:
        return self.with_problems > 0


def compliance_summary(
    check: ComplianceCheck,
) -> tuple[ComplianceSummary, list[ComplianceSummary]]:
    """The totals of *check*, and one summary per child unit of the checked unit that
    holds checked units (the unit's own row first when it is checked itself), in tree
    order. One query (the child units)."""
    unit = check.unit
    children = rollup.children_by_id(unit, (u.path for u in check.units))
    total = ComplianceSummary(unit)
    rows: dict[int | None, ComplianceSummary] = {}
    problem_units: set[int] = {f.unit.pk for f in check.findings}
    for u in check.units:
        key = rollup.child_id(unit, u.path)
        row = rows.get(key)
        if row is None:
            row = rows[key] = ComplianceSummary(unit if key is None else children[key])
        for summary in (total, row):
            summary.units += 1
            summary.with_problems += u.pk in problem_units
    by_path = {u.pk: u.path for u in check.units}
    for f in check.findings:
        column = _COLUMN_OF[f.problem]
        total.counts[column] += 1
        rows[rollup.child_id(unit, by_path[f.unit.pk])].counts[column] += 1
    ordered = sorted(rows.values(), key=lambda r: (r.unit.pk != unit.pk, r.unit.path))
    return total, ordered
