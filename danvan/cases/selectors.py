"""Reads of cases, always scoped to what the actor may see (a hidden case is a missing one)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as CaseWhen
from django.db.models import Count, DateField, F, Func, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from danvan.accounts import policies
from danvan.accounts.models import Role, User
from danvan.accounts.policies import ROLE_PERMS, Perm
from danvan.core.errors import NotFound
from danvan.units.models import Unit

from .models import Alert, Case, CaseDocument, CitizenVerdict, PublicState, Status, Verdict

# The statistics' table of units with most cases shows this many.
BY_UNIT_LIMIT = 50


def cases_visible(user: Any) -> QuerySet[Case]:
    return Case.objects.filter(policies.scope_q(user, Perm.CASE_VIEW, "unit__"))


def case_get(user: Any, public_id: uuid.UUID | str) -> Case:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise NotFound() from exc
    case = (
        Case.objects.select_related("unit", "rule", "resolve_rule", "handler", "previous")
        .select_related("transferred_to", "transferred_from", "reception_session")
        .filter(public_id=key)
        .first()
    )
    if case is None:
        raise NotFound()
    visible = policies.has_perm(user, Perm.CASE_VIEW, case.unit)
    # An identity keeper assigned to a case sees it even without a handling role.
    if not visible and not policies.can_view_identity(user, case):
        raise NotFound()
    return case


def _list(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("unit", "handler").order_by("due_date", "id")


# Django 5.2 writes `is_open=True` as a bare `AND "is_open"` on SQLite, which no index
# answers (fixed after 5.2, Django ticket #36492): the queues hold up to 10^6 rows, so they
# filter with an IN of one value, which both SQLite's and PostgreSQL's planners take as an
# equality on the index's second column (bench/cases_queue.py).
_OPEN = {"is_open__in": [True]}


def queue_for(user: Any) -> QuerySet[Case]:
    """The officer's queue: open cases they lead, earliest due first, read in order from
    the case_queue index. The handler is *user*, so it is not joined (the extra join made
    SQLite sort the whole queue). The queue page itself reads through queue.py."""
    return (
        Case.objects.filter(handler=user, **_OPEN).select_related("unit").order_by("due_date", "id")
    )


def inbox_for(user: Any, unit: Unit) -> QuerySet[Case]:
    """Open cases of *unit* with nobody in charge yet (index case_unit_queue)."""
    policies.require(user, Perm.CASE_VIEW, unit)
    return _list(Case.objects.filter(unit=unit, handler__isnull=True, **_OPEN))


def cases_under(user: Any, unit: Unit | None) -> QuerySet[Case]:
    """Every case of *unit*'s subtree the user may see (None: the nation, for a national
    grant only)."""
    policies.require(user, Perm.CASE_VIEW, unit)
    if unit is None:
        return _list(cases_visible(user))
    return _list(cases_visible(user).filter(policies.subtree_q(unit, "unit__")))


def overdue_under(user: Any, unit: Unit | None, *, today: dt.date) -> QuerySet[Case]:
    """Open cases past their due date in *unit*'s subtree (whether or not swept yet)."""
    return (
        cases_under(user, unit)
        .filter(is_open=True, due_date__lt=today)
        .exclude(status=Status.PAUSED)
    )


def alert_counts(user: Any, unit: Unit | None) -> dict[str, int]:
    row = (
        cases_under(user, unit)
        .filter(is_open=True)
        .aggregate(
            overdue=Count("id", filter=Q(alert=Alert.OVERDUE)),
            due_soon=Count("id", filter=Q(alert=Alert.DUE_SOON)),
            open=Count("id"),
        )
    )
    return {k: int(v or 0) for k, v in row.items()}


class MonthOf(Func):
    """The first day of a date's month, computed in the database.

    PostgreSQL truncates the date taken as a timestamp WITHOUT time zone (``to_char`` or
    ``date_trunc`` on the date as it is go through the time zone for every row: 1.3–1.5x
    slower over 10^6 cases). SQLite stores dates as ISO text: the first seven characters
    and ``-01`` (Django's TruncMonth calls a Python function there, once per row).
    """

    output_field = DateField()
    template = "substr(%(expressions)s, 1, 7) || '-01'"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="date_trunc('month', %(expressions)s::timestamp)::date"
        )


class Scanned(Func):
    """A date column to compare with a wide window: as it is on PostgreSQL; on SQLite
    behind a unary ``+``, which keeps SQLite's planner from reading the window through an
    index.

    Without histograms SQLite takes any date range for a narrow one and reads the cases
    unit by unit through ``case_unit_received``, then each case from the table: for a
    window holding most cases (the statistics' usual year) that is 3–6x slower than one
    scan of the table (bench/cases_stats.py). PostgreSQL's planner weighs the range with
    its statistics and needs no hint.
    """

    output_field = DateField()
    template = "%(expressions)s"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="+%(expressions)s")


# How a case received in the window stands against its due date (the page's "timing"
# table and the on-time charts). A closed case without a due date, or an open one without
# one, is in none of them.
TIMING_KEYS = ("on_time", "late", "open_in_time", "open_overdue")


def settled_on_time_q(*, by: dt.date | None = None) -> Q:
    """Cases settled on time: closed (resolved, refused, withdrawn …) on or before their
    due date, the one definition of "giải quyết đúng hạn" that the statistics, the list,
    the public counts and the periodic reports share. A case without a due date is
    neither on time nor late.

    *by*: as it stood at the end of that day (a report's cut-off): a case closed later
    was still open then, so it does not count, even if it was closed before its due date.
    """
    q = Q(is_open=False, closed_on__lte=F("due_date"))
    if by is not None:
        q &= Q(closed_on__lte=by)
    return q


def received_q(
    start: dt.date | None = None, end: dt.date | None = None, *, settled_on_time: bool = False
) -> Q:
    """Cases received between *start* and *end* (both days included; None: no bound) and,
    with *settled_on_time*, settled on time by *end* (``settled_on_time_q``).

    What the cases list's "Tiếp nhận từ ngày … đến ngày" and "Giải quyết đúng hạn"
    filter, and what the periodic reports count over their data period
    (reports.queries: cases_received, cases_settled_on_time, cases_received_by_kind),
    so that a report's figure opens the list of exactly the cases it counts.
    """
    q = Q()
    if start is not None:
        q &= Q(received_on__gte=start)
    if end is not None:
        q &= Q(received_on__lte=end)
    if settled_on_time:
        q &= settled_on_time_q(by=end)
    return q


def cases_received(
    start: dt.date, end: dt.date, *, settled_on_time: bool = False
) -> QuerySet[Case]:
    """Every case received in [start, end] (``received_q``), of every unit, with no
    actor: for counts over a subtree whose reader is checked elsewhere (the periodic
    reports count everything in the reporting unit's subtree)."""
    return Case.objects.filter(received_q(start, end, settled_on_time=settled_on_time))


def _counted(q: Q) -> Sum:
    """How many rows of a group match *q*: ``SUM(CASE WHEN … THEN 1 ELSE 0 END)``.

    Not ``COUNT(id) FILTER (…)``: counting a column makes the database read it (no index
    answers then), and Django refuses ``COUNT(*)`` with a filter; the sum of a CASE is
    also the fastest form on both databases (bench/cases_stats.py).
    """
    return Sum(CaseWhen(When(q, then=Value(1)), default=Value(0)))


def _timing_counts(today: dt.date) -> dict[str, Any]:
    return {
        "total": Count("*"),
        "on_time": _counted(settled_on_time_q()),
        "late": _counted(Q(is_open=False, closed_on__gt=F("due_date"))),
        "open_in_time": _counted(Q(is_open=True, due_date__gte=today)),
        "open_overdue": _counted(Q(is_open=True, due_date__lt=today)),
    }


def statistics(
    user: Any, unit: Unit | None, *, start: dt.date, end: dt.date, today: dt.date
) -> dict[str, Any]:
    """Cases received in [start, end] under *unit* (None: the whole country, for a national
    grant): by kind, by status, by month, how many were settled on time or late or are
    still open in time or past their due date, and the 50 units with most cases.
    Counts only: no names.

    Two passes over the cases, whatever their number: ONE grouped query by kind, status
    and month received with a conditional count per timing (every figure but the units
    is a sum of its rows), and one grouped by unit (its top 50; their names in a third,
    tiny query). bench/cases_stats.py times it against hand-written SQL at 10^6 cases.
    """
    rows = (
        cases_under(user, unit)
        .alias(received=Scanned("received_on"))
        .filter(received__gte=start, received__lte=end)
        .order_by()
    )
    timing = _timing_counts(today)
    by_kind: dict[str, int] = {}
    by_status: dict[str, int] = {}
    by_month: dict[str, dict[str, int]] = {}
    totals = dict.fromkeys(timing, 0)
    grouped = (
        rows.annotate(month=MonthOf("received_on"))
        .values("kind", "status", "month")
        .annotate(**timing)
        .order_by()
    )
    for row in grouped:
        n = int(row["total"])
        by_kind[row["kind"]] = by_kind.get(row["kind"], 0) + n
        by_status[row["status"]] = by_status.get(row["status"], 0) + n
        month = by_month.setdefault(f"{row['month']:%Y-%m}", dict.fromkeys(timing, 0))
        for key in timing:
            month[key] += int(row[key])
            totals[key] += int(row[key])
    top = list(
        # COUNT(*): PostgreSQL then reads case_unit_received alone (an index-only scan).
        rows.values("unit_id").annotate(n=Count("*")).order_by("-n", "unit_id")[:BY_UNIT_LIMIT]
    )
    names = Unit.objects.in_bulk([r["unit_id"] for r in top])
    by_unit = [
        {"unit": names[r["unit_id"]].name, "code": names[r["unit_id"]].code, "n": int(r["n"])}
        for r in top
        if r["unit_id"] in names
    ]
    return {
        "by_kind": by_kind,
        "by_status": by_status,
        "timing": totals,
        "by_month": dict(sorted(by_month.items())),
        "by_unit": by_unit,
    }


def case_by_lookup_code(code: str) -> Case | None:
    """The case a citizen's code names, following transfers to where it is now."""
    case = Case.objects.select_related("unit").filter(lookup_code=code).first()
    seen = 0
    while case is not None and case.status == Status.TRANSFERRED and seen < 10:
        nxt = case.transfers.select_related("unit").order_by("id").first()
        if nxt is None:
            break
        case, seen = nxt, seen + 1
    return case


def handler_candidates(unit: Unit) -> QuerySet[User]:
    """Active users who may handle cases of *unit*: a handling role on it or above it.

    National administrators are left out: they hold every permission but do not handle
    a commune's cases. The service checks each choice again.
    """
    roles = [
        r for r, perms in ROLE_PERMS.items() if Perm.CASE_HANDLE in perms and r != Role.SYSTEM_ADMIN
    ]
    return (
        User.objects.filter(
            is_active=True,
            grants__role__in=roles,
            grants__unit_id__in=[*unit.ancestor_ids, unit.pk],
        )
        .distinct()
        .order_by("full_name", "username")
    )


# --- what the public reads of the cases (portal place page, open data) ----------------------


def published_cases() -> QuerySet[Case]:
    """Feedback and petitions whose public summary an officer published (nothing else:
    the citizen's own text, an unmoderated or hidden case never reaches the public)."""
    from .services import PUBLIC_KINDS

    return Case.objects.filter(public_state=PublicState.PUBLISHED, kind__in=PUBLIC_KINDS)


def public_photos_of(case_ids: list[int]) -> dict[int, list[CaseDocument]]:
    """The published photos of published cases, by case id, in one query."""
    photos: dict[int, list[CaseDocument]] = {}
    rows = CaseDocument.objects.filter(
        case_id__in=case_ids,
        citizen_photo=True,
        public=True,
        case__public_state=PublicState.PUBLISHED,
    ).order_by("id")
    for document in rows.only("id", "case_id", "content_type"):
        photos.setdefault(document.case_id, []).append(document)
    return photos


def public_photo(pk: int) -> CaseDocument | None:
    """A photo the public may see: published by the moderator, of a published case."""
    return (
        CaseDocument.objects.filter(
            pk=pk, citizen_photo=True, public=True, case__public_state=PublicState.PUBLISHED
        )
        .select_related("case")
        .first()
    )


@dataclass(frozen=True)
class PublicFeedback:
    """A commune's (or subtree's) feedback as the public sees it: counts over a period,
    and the latest published summaries (each case with ``public_photos``: its published
    photos)."""

    received: int
    answered: int
    on_time: int
    late: int
    since: dt.date | None
    published: Sequence[Case]

    @property
    def on_time_rate(self) -> int | None:
        """Per cent of the answered cases (with a due date) answered by their due date."""
        judged = self.on_time + self.late
        return round(100 * self.on_time / judged) if judged else None


def public_feedback(unit: Unit, *, limit: int = 10, since: dt.date | None = None) -> PublicFeedback:
    """Counts of the feedback and petitions received under *unit* (since *since*, when
    given; every channel, the unmoderated too: counts reveal nothing), and its *limit*
    latest published cases with their published summary, place and photos. Three queries
    whatever the numbers.

    A case transferred to another body is counted where it went, not where it came in.
    """
    from .services import PUBLIC_KINDS

    under = (
        Case.objects.filter(subtree_q_unit(unit), kind__in=PUBLIC_KINDS)
        .exclude(status=Status.TRANSFERRED)
        .order_by()
    )
    if since is not None:
        under = under.filter(received_on__gte=since)
    counts = under.aggregate(
        received=Count("*"),
        answered=_counted(Q(is_open=False)),
        on_time=_counted(settled_on_time_q()),
        late=_counted(Q(is_open=False, closed_on__gt=F("due_date"))),
    )
    photos = Prefetch(
        "documents",
        queryset=CaseDocument.objects.filter(citizen_photo=True, public=True).only(
            "id", "case_id", "content_type"
        ),
        to_attr="public_photos",
    )
    published = list(
        published_cases()
        .filter(subtree_q_unit(unit))
        .select_related("unit")
        .prefetch_related(photos)
        .order_by("-received_on", "-id")[:limit]
    )
    return PublicFeedback(
        received=int(counts["received"] or 0),
        answered=int(counts["answered"] or 0),
        on_time=int(counts["on_time"] or 0),
        late=int(counts["late"] or 0),
        since=since,
        published=published,
    )


def subtree_q_unit(unit: Unit) -> Q:
    return policies.subtree_q(unit, "unit__")


@dataclass(frozen=True)
class ResolutionRate:
    """The citizens' own verdicts on answered cases under a unit.

    ``rate`` = (resolved + ½ × partly) / answers, between 0 and 1, None without answers.
    A "partly" is half a resolution: counting it whole would flatter a commune whose
    answers leave half the matter open, counting it as nothing would erase real work.
    The counts are always shown beside the rate, so a reader can weigh it themselves.
    """

    resolved: int
    partly: int
    not_resolved: int

    @property
    def answers(self) -> int:
        return self.resolved + self.partly + self.not_resolved

    @property
    def rate(self) -> float | None:
        if not self.answers:
            return None
        return (self.resolved + 0.5 * self.partly) / self.answers

    @property
    def percent(self) -> int | None:
        rate = self.rate
        return None if rate is None else round(rate * 100)


def resolution_rate(unit: Unit, *, since: dt.date | None = None) -> ResolutionRate:
    """The verdicts given on cases of *unit* or its subtree (last changed on or after
    *since*, if given): one grouped query."""
    rows = CitizenVerdict.objects.filter(subtree_q_unit(unit))
    if since is not None:
        start = dt.datetime.combine(since, dt.time.min, tzinfo=timezone.get_current_timezone())
        rows = rows.filter(updated_at__gte=start)
    counts = dict.fromkeys(Verdict.values, 0)
    for row in rows.values("answer").annotate(n=Count("*")).order_by():
        counts[row["answer"]] = int(row["n"])
    return ResolutionRate(
        resolved=counts[Verdict.RESOLVED],
        partly=counts[Verdict.PARTLY],
        not_resolved=counts[Verdict.NOT_RESOLVED],
    )


def verdict_of(case: Case) -> CitizenVerdict | None:
    """The citizen's verdict on *case* (the caller already holds the case in scope)."""
    return CitizenVerdict.objects.filter(case=case).first()
