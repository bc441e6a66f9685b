"""The officer's queue: only their open cases, earliest due first, keyset pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.accounts.models import User
from danvan.cases import services
from danvan.cases.models import Case
from danvan.cases.queue import queue_page

pytestmark = pytest.mark.django_db


def test_queue_pages_follow_due_dates_in_one_query_each(
    receive: Callable[..., Case], officer: User, handler: User, leader: User
) -> None:
    mine = []
    for n in range(7):
        case = receive(received_on=dt.date(2026, 3, 1) + dt.timedelta(days=n % 3))
        case = services.case_accept(actor=officer, case=case, version=case.version)
        mine.append(case)
    other = receive()
    services.case_assign(
        actor=leader, case=other, version=other.version, users=[handler], lead=handler
    )
    closed = mine.pop()
    services.case_resolve(
        actor=officer,
        case=closed,
        version=closed.version,
        decision_number="9/UBND-VP",
        result_summary="Đã trả lời",
        public_answer="Đã trả lời.",
    )
    expected = sorted(mine, key=lambda c: (c.due_date, c.pk))
    seen: list[int] = []
    after = ""
    while True:
        with CaptureQueriesContext(connection) as ctx:
            page = queue_page(officer, after=after, size=4)
        assert len(ctx.captured_queries) == 1
        seen += [row.pk for row in page.rows]
        if not page.next_after:
            break
        after = page.next_after
    assert seen == [c.pk for c in expected]  # open, mine, in order; not the others'
    first = queue_page(officer, size=1).rows[0]
    assert first.get_absolute_url() == expected[0].get_absolute_url()
    assert first.unit.name == expected[0].unit.name
    assert first.get_kind_display() == "Phản ánh"
    assert queue_page(officer, after="not-a-token", size=50).rows[0].pk == expected[0].pk
