"""Keyset paging of case lists by (due date, id).

Queues hold up to millions of rows: an OFFSET page or a COUNT(*) would read them all,
so a page is "the next N after this (due date, id)", which the case_queue and
case_unit_queue indexes answer directly, in the same number of queries on any page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import Case

PAGE_SIZE = 50


@dataclass(frozen=True)
class KeysetPage:
    rows: list[Case]
    next_after: str  # "" on the last page


def _parse(after: str) -> tuple[dt.date, int] | None:
    try:
        day, _sep, pk = after.partition("_")
        return dt.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def keyset_page(qs: QuerySet[Case], *, after: str = "", size: int = PAGE_SIZE) -> KeysetPage:
    """The page of *qs* (ordered by due date, id) after the token *after*; a bad token
    starts from the beginning."""
    qs = qs.order_by("due_date", "id")
    key = _parse(after) if after else None
    if key is not None:
        day, pk = key
        qs = qs.filter(Q(due_date__gt=day) | Q(due_date=day, id__gt=pk))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    token = ""
    if more and rows and rows[-1].due_date is not None:
        token = f"{rows[-1].due_date.isoformat()}_{rows[-1].pk}"
    return KeysetPage(rows=rows, next_after=token)
