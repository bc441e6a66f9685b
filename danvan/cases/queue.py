"""The officer's queue, read with one hand-written statement.

An officer may lead up to 10^6 open cases (bench/cases_queue.py). The page is the next
50 after a (due date, id) token, which the case_queue index (handler, is_open, due_date,
id) answers in order on both databases. Through the ORM the same page cost 5–9× the
statement itself on SQLite (building ~50 model instances and converting every column),
so the queue runs the statement through the cursor and returns light rows with the few
fields a queue row shows. Scoping is the WHERE clause: only the cases *user* leads.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.urls import reverse

from danvan.legal.models import CaseKind
from danvan.units.models import Unit

from .models import Case, Status
from .paging import PAGE_SIZE, KeysetPage, parse_token, token_of


@dataclass(slots=True)
class QueueUnit:
    name: str
    code: str


@dataclass(slots=True)
class QueueRow:
    """A case as the queue shows it (the names of Case's own fields and methods).

    Plain slotted rows, and the public id parsed only when a link is drawn: a page is
    50 rows, built on every visit of the busiest page officers have.
    """

    pk: int
    public_key: Any  # as the database returns it (a UUID, or its hex on SQLite)
    reference: str
    kind: str
    alias: str
    subject: str
    status: str
    due_date: dt.date | None
    alert: str
    unit: QueueUnit
    is_open: bool = True

    @property
    def public_id(self) -> uuid.UUID:
        key = self.public_key
        return key if isinstance(key, uuid.UUID) else uuid.UUID(key)

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.public_id])

    def get_kind_display(self) -> str:
        return str(CaseKind(self.kind).label)

    def get_status_display(self) -> str:
        return str(Status(self.status).label)


_COLUMNS = ("id", "public_id", "reference", "kind", "alias", "subject", "status", "due_date")


@functools.cache
def _sql_for(vendor: str, after: bool) -> str:
    del vendor  # part of the cache key: the quoting is the connection's
    q = connection.ops.quote_name
    c, u = q(Case._meta.db_table), q(Unit._meta.db_table)
    columns = ", ".join(f"{c}.{q(name)}" for name in (*_COLUMNS, "alert"))
    # The row comparison is an index range on both databases (an OR of two conditions
    # is not); equalities on handler_id and is_open keep case_queue's order.
    key = f" AND ({c}.{q('due_date')}, {c}.{q('id')}) > (%s, %s)" if after else ""
    # Only quoted table and column names are interpolated; every value is a parameter.
    return (
        f"SELECT {columns}, {u}.{q('name')}, {u}.{q('code')}"  # noqa: S608
        f" FROM {c} INNER JOIN {u} ON ({c}.{q('unit_id')} = {u}.{q('id')})"
        f" WHERE {c}.{q('handler_id')} = %s AND {c}.{q('is_open')} = %s{key}"
        f" ORDER BY {c}.{q('due_date')}, {c}.{q('id')} LIMIT %s"
    )


def _sql(after: bool) -> str:
    return _sql_for(connection.vendor, after)


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _row(values: tuple[Any, ...]) -> QueueRow:
    pk, public_id, reference, kind, alias, subject, status, due, alert, name, code = values
    return QueueRow(
        pk=pk,
        public_key=public_id,
        reference=reference,
        kind=kind,
        alias=alias,
        subject=subject,
        status=status,
        due_date=_date(due),
        alert=alert,
        unit=QueueUnit(name=name, code=code),
    )


def queue_page(user: Any, *, after: str = "", size: int = PAGE_SIZE) -> KeysetPage:
    """The page of *user*'s open cases after the token *after* (a bad token: the first)."""
    key = parse_token(after) if after else None
    params: list[Any] = [user.pk, True]
    if key is not None:
        params += [connection.ops.adapt_datefield_value(key[0]), key[1]]
    params.append(size + 1)
    with connection.cursor() as cursor:
        cursor.execute(_sql(key is not None), params)
        fetched = cursor.fetchall()
    rows = [_row(values) for values in fetched[:size]]
    return KeysetPage(rows=rows, next_after=token_of(rows[-1]) if len(fetched) > size else "")
