"""The portal's reads of votes: what is open online today and what was published, never
a household's name nor its ballot (Law 10/2022/QH15; domain.md §3)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from danvan.democracy.models import Method, Vote
from danvan.units.models import Unit
from danvan.units.selectors import rows_under


def open_q(today: dt.date) -> Q:
    """Online votes taking ballots on *today*."""
    return Q(
        method=Method.ONLINE,
        closed_at__isnull=True,
        opened_on__lte=today,
        closes_on__gte=today,
    )


def public_votes() -> QuerySet[Vote]:
    return Vote.objects.select_related("matter__unit__parent")


def is_open_online(vote: Vote, today: dt.date) -> bool:
    return (
        vote.method == Method.ONLINE
        and vote.closed_at is None
        and vote.opened_on <= today
        and vote.closes_on is not None
        and today <= vote.closes_on
    )


def open_votes(unit: Unit, *, limit: int = 5, today: dt.date | None = None) -> list[Vote]:
    """The online votes open today in *unit* and the villages under it, the ones closing
    soonest first: one query."""
    from danvan.democracy.services import today as local_today

    day = today or local_today()
    rows = rows_under(public_votes(), unit, field="matter__unit")
    return list(rows.filter(open_q(day)).order_by("closes_on", "-id")[:limit])


def normalize_short(short: str) -> str:
    """A short code as printed (case and separators do not matter when typed)."""
    return "".join(ch for ch in short.upper() if ch.isalnum())[:8]


def vote_by_short(short: str) -> Vote | None:
    """The online vote a slip's short address names, or None."""
    key = normalize_short(short)
    if not key:
        return None
    return Vote.objects.filter(short_code=key, method=Method.ONLINE).only("public_id").first()
