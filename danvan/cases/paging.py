"""Keyset paging of case lists by (due date, id).

Queues hold up to millions of rows: an OFFSET page or a COUNT(*) would read them all,
so a page is "the next N after this (due date, id)", which the case_queue and
case_unit_queue indexes answer directly, in the same number of queries on any page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from .models import Case

PAGE_SIZE = 50


@dataclass(frozen=True)
class KeysetPage:
    rows: list[Any]  # cases, or the queue's light rows (queue.py)
    next_after: str  # "" on the last page


def parse_token(after: str) -> tuple[dt.date, int] | None:
    try:
        day, _sep, pk = after.partition("_")
        return dt.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def token_of(row: Any) -> str:
    """The token of the page after *row* (any object with due_date and pk)."""
    return f"{row.due_date.isoformat()}_{row.pk}" if row.due_date is not None else ""


def keyset_page(qs: QuerySet[Case], *, after: str = "", size: int = PAGE_SIZE) -> KeysetPage:
    """The page of *qs* (ordered by due date, id) after the token *after*; a bad token
    starts from the beginning."""
    qs = qs.order_by("due_date", "id")
    key = parse_token(after) if after else None
    if key is not None:
        day, pk = key
        # The OR alone is no index range for either database; the AND-ed lower bound
        # lets the page start at the token instead of reading the queue from the top.
        qs = qs.filter(due_date__gte=day).filter(Q(due_date__gt=day) | Q(due_date=day, id__gt=pk))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(rows=rows, next_after=token_of(rows[-1]) if more and rows else "")
