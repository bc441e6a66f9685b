"""The cases list by the days received and "settled on time" (the filters a periodic
report's figures open: reports.queries), their refusals, and the list's constant queries."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.cases import selectors
from danvan.cases.models import Case, Status
from danvan.cases.tests.test_views import LIST, NOW, logged_in, text
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _settle(case: Case, *, due: dt.date, closed: dt.date) -> None:
    # Only the dates matter here; the resolution workflow has its own tests.
    Case.objects.filter(pk=case.pk).update(
        is_open=False, status=Status.RESOLVED, due_date=due, closed_on=closed
    )


def _references(client: Client, commune: Unit, **params: str) -> set[str]:
    response = client.get(LIST, {"unit": commune.code, **params})
    assert response.status_code == 200, text(response)
    return {row.case.reference for row in response.context["rows"]}


def test_the_list_filters_by_the_days_received_and_settled_on_time(
    officer: User, commune: Unit, receive: Callable[..., Case]
) -> None:
    before = receive(received_on=dt.date(2026, 1, 4))
    first_day = receive(received_on=dt.date(2026, 1, 5))
    on_time = receive(kind="petition", received_on=dt.date(2026, 2, 10))
    late = receive(received_on=dt.date(2026, 3, 2))
    settled_after = receive(received_on=dt.date(2026, 5, 20))
    last_day = receive(kind="petition", received_on=dt.date(2026, 5, 31))
    after = receive(received_on=dt.date(2026, 6, 1))
    _settle(on_time, due=dt.date(2026, 3, 12), closed=dt.date(2026, 3, 1))
    _settle(late, due=dt.date(2026, 4, 1), closed=dt.date(2026, 4, 3))
    # Settled on time, but after 31/05: on 31/05 it was still open.
    _settle(settled_after, due=dt.date(2026, 6, 20), closed=dt.date(2026, 6, 10))
    _settle(before, due=dt.date(2026, 2, 1), closed=dt.date(2026, 1, 20))
    client = logged_in(officer)
    window = {"from": "05/01/2026", "to": "31/05/2026"}

    inside = {first_day, on_time, late, settled_after, last_day}
    assert _references(client, commune, **window) == {c.reference for c in inside}
    assert _references(client, commune, **window, kind="petition") == {
        on_time.reference,
        last_day.reference,
    }
    assert _references(client, commune, **window, on_time="1") == {on_time.reference}
    # Without an end day: settled on time whenever it was.
    assert _references(client, commune, on_time="1") == {
        before.reference,
        on_time.reference,
        settled_after.reference,
    }
    # One bound alone.
    assert _references(client, commune, **{"from": "01/06/2026"}) == {after.reference}
    assert _references(client, commune, to="04/01/2026") == {before.reference}
    # The list says which cases it shows.
    page = text(client.get(LIST, {"unit": commune.code, **window, "on_time": "1"}))
    assert "Tiếp nhận từ ngày 05/01/2026 đến ngày 31/05/2026." in page
    assert "Chỉ vụ việc đã giải quyết xong đúng hạn, không muộn hơn ngày 31/05/2026." in page
    # The same cases as the one definition the reports count (no actor, every unit).
    counted = selectors.cases_received(dt.date(2026, 1, 5), dt.date(2026, 5, 31))
    assert set(counted.values_list("reference", flat=True)) == {c.reference for c in inside}


def test_a_window_ending_before_it_starts_is_refused_and_kept(
    officer: User, commune: Unit, receive: Callable[..., Case]
) -> None:
    case = receive()
    client = logged_in(officer)
    response = client.get(LIST, {"unit": commune.code, "from": "30/06/2026", "to": "01/01/2026"})
    assert response.status_code == 400
    page = text(response)
    assert "Ngày cuối (01/01/2026) trước ngày đầu (30/06/2026)" in page
    assert "bằng hoặc sau “Tiếp nhận từ ngày”" in page
    # Nothing listed, what was typed still in the fields.
    assert response.context["rows"] is None
    assert case.reference not in page
    assert re.search(r'name="from"[^>]*value="30/06/2026"', page)
    assert re.search(r'name="to"[^>]*value="01/01/2026"', page)
    # A date the field cannot read: its own message, the text kept.
    response = client.get(LIST, {"unit": commune.code, "from": "2026-01-05"})
    assert response.status_code == 400
    assert re.search(r'name="from"[^>]*value="2026-01-05"', text(response))
    assert "ngày/tháng/năm" in text(response)


def test_the_filtered_list_runs_the_same_queries_whatever_its_size(
    officer: User, commune: Unit, receive: Callable[..., Case]
) -> None:
    client = logged_in(officer)
    url = f"{LIST}?unit={commune.code}&from=01/01/2026&to=30/06/2026&on_time=1"

    def settle_all() -> None:
        Case.objects.filter(unit=commune).update(
            is_open=False,
            status=Status.RESOLVED,
            due_date=dt.date(2026, 6, 25),
            closed_on=dt.date(2026, 6, 20),
        )

    def queries() -> tuple[int, list[str], Any]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), [q["sql"].upper() for q in captured], response

    for i in range(3):
        receive(subject=f"Vụ việc {i}", received_on=dt.date(2026, 2, 1))
    settle_all()
    small, _sql, response = queries()
    assert len(response.context["rows"]) == 3
    for i in range(55):
        receive(subject=f"Vụ việc thêm {i}", received_on=dt.date(2026, 3, 1))
    settle_all()
    large, sql, response = queries()
    assert large == small
    # A page of 50 by key: never a count, never an offset.
    assert len(response.context["rows"]) == 50
    assert response.context["next_url"]
    assert not any(" OFFSET " in q for q in sql)
    assert not any("COUNT(" in q for q in sql if "CASES_CASE" in q)


def test_the_list_of_a_unit_that_has_ended(
    thai_nguyen: Unit, commune: Unit, receive: Callable[..., Case]
) -> None:
    # Bắc Kạn merged into Thái Nguyên on 1 July 2025: a report of its past (the demo's
    # 2018 report) still opens the list of the cases it counted, for a reader of today's
    # province, whose grant reads the history it inherits.
    bac_kan = Unit.objects.get(code="06")
    assert bac_kan.valid_to is not None
    old = receive(received_on=dt.date(2025, 3, 3))
    Case.objects.filter(pk=old.pk).update(unit=bac_kan)
    receive(received_on=dt.date(2025, 3, 4))  # the commune's own
    client = logged_in(make_user("lanhdao-tinh", Role.LEADER, thai_nguyen))
    response = client.get(LIST, {"unit": bac_kan.code, "from": "01/01/2025", "to": "30/06/2025"})
    assert response.status_code == 200, text(response)
    assert response.context["unit"] == bac_kan
    assert [row.case.reference for row in response.context["rows"]] == [old.reference]
