"""What the citizens' portal and the Open311 endpoints read, without an actor.

Everything here is public by design: the unit tree, a case's progress by its lookup code
(status and dates, never who sent it nor what they wrote) and, for Open311, the feedback
and petitions citizens sent through a public channel. Senders' identities are never read
(they are encrypted in their own table; domain.md §5 and §7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from danvan.accounts.policies import subtree_q
from danvan.cases.models import Case, CaseEvent, Status
from danvan.cases.selectors import case_by_lookup_code
from danvan.cases.services import PUBLIC_CHANNELS, PUBLIC_KINDS, normalize_lookup_code
from danvan.units.models import Unit, UnitKind

# A chain of transfers longer than this is a data error, not a citizen's case.
_MAX_TRANSFERS = 10


# --- the unit tree -----------------------------------------------------------------------


def provinces() -> QuerySet[Unit]:
    """The provinces in force, in alphabetical order of their folded names."""
    return Unit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=True).order_by(
        "name_folded"
    )


def communes_of(province: Unit) -> QuerySet[Unit]:
    """The communes in force of *province*, alphabetically."""
    return Unit.objects.filter(
        kind=UnitKind.COMMUNE, parent=province, valid_to__isnull=True
    ).order_by("name_folded")


def province_by_code(code: str | None) -> Unit | None:
    code = (code or "").strip()
    return provinces().filter(code=code).first() if code else None


def commune_by_code(code: str | None, *, province: Unit | None = None) -> Unit | None:
    """The commune in force with *code* (within *province* if given), or None."""
    code = (code or "").strip()
    if not code:
        return None
    qs = Unit.objects.filter(kind=UnitKind.COMMUNE, code=code, valid_to__isnull=True)
    if province is not None:
        qs = qs.filter(parent=province)
    return qs.select_related("parent").first()


# --- a case by its lookup code -------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    status: str

    @property
    def label(self) -> str:
        return str(Status(self.status).label)


@dataclass(frozen=True)
class CaseProgress:
    """What the holder of a lookup code may see: no sender, no alias, no content."""

    case: Case
    received_on: dt.date
    timeline: list[TimelineEntry]


def case_progress(code: str) -> CaseProgress | None:
    """The progress of the case *code* names (following transfers), or None.

    A malformed code and an unknown one both give None: the answer must not tell a
    guesser which codes have the right shape.
    """
    case = case_by_lookup_code(normalize_lookup_code(code))
    if case is None:
        return None
    chain = [case]
    while chain[-1].transferred_from_id is not None and len(chain) <= _MAX_TRANSFERS:
        previous = Case.objects.only("id", "received_on", "transferred_from_id").get(
            pk=chain[-1].transferred_from_id
        )
        chain.append(previous)
    events = CaseEvent.objects.filter(case__in=[c.pk for c in chain]).order_by("at", "id")
    timeline = [
        TimelineEntry(at=e.at, status=e.to_status)
        for e in events.only("at", "to_status", "from_status")
        if e.to_status != e.from_status and e.to_status in Status.values
    ]
    return CaseProgress(case=case, received_on=chain[-1].received_on, timeline=timeline)


# --- Open311 --------------------------------------------------------------------------------


def open311_cases() -> QuerySet[Case]:
    """Feedback and petitions a citizen sent to a public channel: nothing else is listed.

    Complaints and denunciations never appear, whatever their channel, and neither does a
    case an officer reclassified as one of them.
    """
    return Case.objects.filter(channel__in=PUBLIC_CHANNELS, kind__in=PUBLIC_KINDS).select_related(
        "unit"
    )


def open311_requests(
    *,
    references: Sequence[str] = (),
    service_codes: Sequence[str] = (),
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    is_open: bool | None = None,
    unit: Unit | None = None,
    limit: int = 1000,
) -> list[Case]:
    """The requests matching the GeoReport v2 filters, newest first, at most *limit*.

    Given references, they override the other filters (GeoReport v2, GET Service Requests).
    """
    qs = open311_cases()
    if references:
        qs = qs.filter(reference__in=list(references))
    else:
        if service_codes:
            qs = qs.filter(kind__in=list(service_codes))
        if start is not None:
            qs = qs.filter(created_at__gte=start)
        if end is not None:
            qs = qs.filter(created_at__lte=end)
        if is_open is not None:
            qs = qs.filter(is_open=is_open)
        if unit is not None:
            qs = qs.filter(subtree_q(unit, "unit__"))
    return list(qs.order_by("-created_at", "-id")[:limit])


def open311_request(reference: str) -> Case | None:
    return open311_cases().filter(reference=reference).first()
