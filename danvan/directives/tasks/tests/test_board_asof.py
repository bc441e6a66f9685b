"""A past period's numbers open the list as it was: the board counts a past period as it
stood at its end, and the links behind its numbers pass ``as_of`` so that the task list
computes the same statuses (today is 25/03/2026, see conftest)."""

from __future__ import annotations

import datetime as dt
import itertools
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.testing import login_verified
from danvan.directives.tasks.board.selectors import STATUSES, task_board
from danvan.directives.tasks.models import Task, TaskState
from danvan.directives.tasks.selectors import status_as_of
from danvan.directives.tasks.status import soon_until, status_case
from danvan.units.models import Unit

from .conftest import TODAY
from .factories import TaskFactory

pytestmark = pytest.mark.django_db

# The last quarter of 2025: past, seen as it stood on 31/12/2025.
Q4 = (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
END = "31/12/2025"


def make(lead: Unit, due: dt.date, state: str = TaskState.OPEN, done: Any = None) -> Task:
    return TaskFactory.create(
        assigner_unit=lead.parent or lead,
        lead_unit=lead,
        due_on=due,
        state=state,
        completed_on=done,
    )


@pytest.fixture
def quarter(villages: list[Unit]) -> dict[str, Task]:
    v1, v2, _v3 = villages
    closed = TaskState.CLOSED
    return {
        # Overdue on 31/12/2025, accepted in January: done late today.
        "done_since": make(v1, dt.date(2025, 12, 1), closed, dt.date(2026, 1, 10)),
        "still_open": make(v2, dt.date(2025, 11, 15)),  # overdue then and now
        "on_time": make(v1, dt.date(2025, 11, 10), closed, dt.date(2025, 11, 1)),
        "late": make(v2, dt.date(2025, 10, 10), closed, dt.date(2025, 10, 20)),
        "cancelled": make(v1, dt.date(2025, 12, 5), TaskState.CANCELLED),
    }


def client_of(user: Any) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def board_page(client: Client, commune: Unit) -> Any:
    response = client.get(
        reverse("directive_tasks:board"),
        {"unit": commune.code, "from": "01/10/2025", "to": "31/12/2025"},
    )
    assert response.status_code == 200
    return response


def test_board_links_of_a_past_period_carry_its_end(
    quarter: dict[str, Task], commune: Unit, actors: dict[str, Any]
) -> None:
    board = task_board(user=actors["parent"], unit=commune, start=Q4[0], end=Q4[1], today=TODAY)
    assert board.as_of == dt.date(2025, 12, 31)
    assert board.total.counts.overdue == 2
    for line in [board.total, *board.sources, *(r for r in board.rows if not r.own)]:
        assert parse_qs(urlsplit(line.link).query)["as_of"] == [END], line.key
    # A period still running is seen today: its links have no as_of.
    now = task_board(
        user=actors["parent"],
        unit=commune,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        today=TODAY,
    )
    assert "as_of" not in now.total.link


def test_each_number_opens_as_many_rows(
    quarter: dict[str, Task], commune: Unit, actors: dict[str, Any]
) -> None:
    """The overdue count at 31/12/2025 includes the task done since; the list it opens
    lists it as overdue, and every number equals the rows of its list."""
    client = client_of(actors["parent"])
    board = board_page(client, commune).context["board"]
    lines = [board.total, *board.sources, *(r for r in board.rows if not r.own)]
    checked = 0
    for line in lines:
        for status in STATUSES:
            count = line.counts.by_status[status]
            listed = client.get(line.urls[status])
            assert listed.status_code == 200, listed.content
            assert listed.context["page"].paginator.count == count, (line.key, status)
            assert dict(listed.context["counts"])[status] == count, (line.key, status)
            checked += count
    assert checked > 0
    overdue = client.get(board.total.urls["overdue"])
    rows = {t.pk: t.status for t in overdue.context["rows"]}
    assert rows == {
        quarter["done_since"].pk: "overdue",
        quarter["still_open"].pk: "overdue",
    }
    page = overdue.content.decode()
    assert f"Tình trạng tính đến ngày {END}" in page
    # The counts above the list keep the day and the period.
    assert "as_of=31%2F12%2F2025" in unescape(page.split('id="status-counts"')[1])


def test_the_page_link_is_the_one_counted(
    quarter: dict[str, Task], commune: Unit, actors: dict[str, Any]
) -> None:
    client = client_of(actors["parent"])
    page = board_page(client, commune).content.decode()
    link = (
        f"{reverse('directive_tasks:list')}?unit={commune.code}"
        "&amp;due_from=01%2F10%2F2025&amp;due_to=31%2F12%2F2025&amp;as_of=31%2F12%2F2025"
        "&amp;status=overdue"
    )
    assert link in page
    listed = client.get(unescape(link))
    assert listed.context["page"].paginator.count == 2
    # Without as_of (today's statuses) the task done since is no longer overdue.
    today = client.get(unescape(link).replace("&as_of=31%2F12%2F2025", ""))
    assert today.context["page"].paginator.count == 1
    assert 'id="as-of"' not in today.content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31-13-2025", "Không có tháng 13"),
        ("2025-12-31", "Ngày phải viết theo dạng ngày/tháng/năm (dd/mm/yyyy)"),
        ("01/04/2026", "Ngày tính tình trạng không được sau hôm nay (25/03/2026)."),
    ],
)
def test_bad_as_of_is_refused_with_its_message(
    quarter: dict[str, Task], commune: Unit, actors: dict[str, Any], value: str, message: str
) -> None:
    client = client_of(actors["parent"])
    response = client.get(reverse("directive_tasks:list"), {"unit": commune.code, "as_of": value})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'value="{value}"' in page  # what was typed is kept
    # Not applied: today's statuses.
    assert response.context["as_of"] is None
    assert 'id="as-of"' not in page


def test_status_column_as_of_equals_python(commune: Unit) -> None:
    """The list's status column on a past day equals status_as_of (the board's rule)."""
    days = [dt.date(2026, 3, d) for d in (5, 10, 11, 20)]
    states = [TaskState.OPEN, TaskState.SUBMITTED, TaskState.CLOSED, TaskState.CANCELLED]
    for due, state, done in itertools.product(days, states, [None, *days]):
        if state == TaskState.CLOSED and done is None:
            continue
        make(commune, due, state, done)
    tasks = {t.pk: t for t in Task.objects.all()}
    for as_of in days:
        soon = soon_until(as_of)
        column = dict(
            Task.objects.annotate(s=status_case(as_of=as_of, soon_until=soon)).values_list(
                "pk", "s"
            )
        )
        for pk, task in tasks.items():
            expected = status_as_of(task, as_of, soon)
            assert column[pk] == (expected.value if expected else None), (as_of, task)


def test_each_total_opens_as_many_rows_with_a_cancelled_task(
    quarter: dict[str, Task], commune: Unit, villages: list[Unit], actors: dict[str, Any]
) -> None:
    """The board counts no cancelled task; the list behind a total (of the board, of a
    source kind, of a unit) leaves them out too, and the list can still show them."""
    client = client_of(actors["parent"])
    board = board_page(client, commune).context["board"]
    cancelled = quarter["cancelled"]
    assert board.total.counts.total == 4  # the five of the quarter but the cancelled one
    lines = [board.total, *board.sources, *(r for r in board.rows if not r.own)]
    for line in lines:
        if not line.counts.total:
            continue
        listed = client.get(line.total_url)
        assert listed.status_code == 200, listed.content
        assert listed.context["page"].paginator.count == line.counts.total, line.key
        assert cancelled.pk not in {t.pk for t in listed.context["rows"]}, line.key
    # The village holding the cancelled task has a line whose link the page shows.
    v1_line = next(r for r in board.rows if r.key == villages[0].code)
    assert v1_line.total_url in unescape(board_page(client, commune).content.decode())
    # The same list with the filter set back to "all" shows the cancelled task again.
    query = parse_qs(urlsplit(board.total.total_url).query)
    query.pop("cancelled")
    everything = client.get(reverse("directive_tasks:list"), {k: v[0] for k, v in query.items()})
    assert everything.status_code == 200
    assert cancelled.pk in {t.pk for t in everything.context["rows"]}
    assert everything.context["page"].paginator.count == board.total.counts.total + 1
