"""The tasks board: the four-way counts on a hand-built tree, rolled up, against last
year, late work first, constant queries, the page, its links and the Excel file."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.accounts.testing import login_verified
from danvan.directives.tasks.board.forms import span_dates
from danvan.directives.tasks.board.selectors import (
    STATUSES,
    Period,
    status_as_of,
    task_board,
)
from danvan.directives.tasks.models import SourceKind, Task, TaskState
from danvan.directives.tasks.status import soon_until, status_q
from danvan.units.models import Unit, UnitKind
from danvan.units.services import unit_create

from .conftest import TODAY
from .factories import TaskFactory

pytestmark = pytest.mark.django_db

H1 = span_dates("h1", 2026)


def make(
    assigner: Unit,
    lead: Unit,
    due: dt.date,
    state: str = TaskState.OPEN,
    done: dt.date | None = None,
    kind: str = SourceKind.OTHER,
) -> Task:
    return TaskFactory.create(
        assigner_unit=assigner,
        lead_unit=lead,
        due_on=due,
        state=state,
        completed_on=done,
        source_kind=kind,
    )


@pytest.fixture
def tree(thai_nguyen: Unit, commune: Unit, villages: list[Unit]) -> dict[str, Any]:
    """H1 2026 seen on 25/03/2026, and the same half of 2025."""
    v1, v2, v3 = villages
    p = thai_nguyen
    closed, cancelled = TaskState.CLOSED, TaskState.CANCELLED
    make(p, v1, dt.date(2026, 2, 10), closed, dt.date(2026, 2, 9), SourceKind.DOCUMENT)
    make(p, v1, dt.date(2026, 2, 10), closed, dt.date(2026, 2, 15), SourceKind.DOCUMENT)
    make(p, v1, dt.date(2026, 3, 10), kind=SourceKind.CONFERENCE)  # overdue
    make(p, v2, dt.date(2026, 3, 27))  # due soon
    make(p, v2, dt.date(2026, 5, 20))  # not due
    make(p, v3, dt.date(2026, 4, 30), TaskState.SUBMITTED)  # not due: waiting acceptance
    make(p, v1, dt.date(2026, 3, 1), cancelled)  # not counted
    make(p, commune, dt.date(2026, 3, 1))  # the commune's own, overdue
    make(p, v1, dt.date(2026, 8, 1))  # due after the period
    # Last year: accepted after the half was over (open and overdue on 30/06/2025), and
    # one done on time.
    make(p, v1, dt.date(2025, 3, 1), closed, dt.date(2025, 7, 1))
    make(p, v2, dt.date(2025, 4, 1), closed, dt.date(2025, 3, 30))
    return {"v1": v1, "v2": v2, "v3": v3}


def board_of(user: Any, unit: Unit, start: dt.date = H1[0], end: dt.date = H1[1]) -> Any:
    return task_board(user=user, unit=unit, start=start, end=end, today=TODAY)


def test_four_way_counts_and_rollup(
    tree: dict[str, Any], commune: Unit, actors: dict[str, Any]
) -> None:
    board = board_of(actors["parent"], commune)
    total = board.total.counts
    assert total.four_way() == {
        "done_on_time": 1,
        "done_late": 1,
        "open_in_time": 3,
        "open_overdue": 2,
    }
    assert (total.due_soon, total.not_due, total.total) == (1, 2, 7)
    assert total.on_time_rate == round(100 / 7, 2)
    assert total.overdue_rate == round(200 / 7, 2)
    assert total.late_rate == round(300 / 7, 2)
    # Late work first: the village with overdue and late work, then the commune's own.
    rows = [(r.label if r.own else r.unit.code, r.counts.four_way()) for r in board.rows]
    v1, v2, v3 = tree["v1"], tree["v2"], tree["v3"]
    assert rows[0] == (
        v1.code,
        {"done_on_time": 1, "done_late": 1, "open_in_time": 0, "open_overdue": 1},
    )
    assert board.rows[1].own
    assert board.rows[1].counts.overdue == 1
    assert dict(rows[2:]) == {
        v2.code: {"done_on_time": 0, "done_late": 0, "open_in_time": 2, "open_overdue": 0},
        v3.code: {"done_on_time": 0, "done_late": 0, "open_in_time": 1, "open_overdue": 0},
    }
    by_source = {line.key: line.counts.total for line in board.sources}
    assert by_source[SourceKind.DOCUMENT] == 2
    assert by_source[SourceKind.CONFERENCE] == 1
    assert by_source[SourceKind.OTHER] == 4
    assert board.sources[0].counts.overdue >= board.sources[-1].counts.overdue


def test_rolled_up_to_the_province(
    tree: dict[str, Any], thai_nguyen: Unit, commune: Unit, actors: dict[str, Any]
) -> None:
    board = board_of(actors["assigner"], thai_nguyen)
    row = next(r for r in board.rows if r.unit.pk == commune.pk)
    assert row.counts.total == 7 == board.total.counts.total
    assert all(r.counts.total == 0 for r in board.rows if r.unit.pk != commune.pk)


def test_last_year_as_it_stood_at_its_end(
    tree: dict[str, Any], commune: Unit, actors: dict[str, Any]
) -> None:
    board = board_of(actors["parent"], commune)
    assert board.previous == Period(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert board.previous_as_of == dt.date(2025, 6, 30)
    last = board.total.last_year
    # Accepted on 01/07/2025: still open and overdue when the half closed.
    assert last.four_way() == {
        "done_on_time": 1,
        "done_late": 0,
        "open_in_time": 0,
        "open_overdue": 1,
    }
    assert (last.on_time_rate, last.overdue_rate) == (50.0, 50.0)
    # Seen over 2025 as a whole (its end also past), the same task is done late.
    year = board_of(actors["parent"], commune, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert year.total.counts.done_late == 1
    assert year.total.counts.overdue == 0


def test_status_as_of_sql_equals_python(thai_nguyen: Unit, commune: Unit) -> None:
    """The board's filters equal status_as_of (status.status_of on the task as it was)."""
    days = [dt.date(2026, 3, d) for d in (5, 10, 11, 20)]
    states = [TaskState.OPEN, TaskState.SUBMITTED, TaskState.CLOSED, TaskState.CANCELLED]
    for due, state, done in itertools.product(days, states, [None, *days]):
        if state == TaskState.CLOSED and done is None:
            continue
        make(thai_nguyen, commune, due, state, done)
    tasks = list(Task.objects.all())
    for as_of in days:
        soon = soon_until(as_of)
        for status in STATUSES:
            matched = set(
                Task.objects.filter(status_q(status, as_of=as_of, soon_until=soon)).values_list(
                    "pk", flat=True
                )
            )
            expected = {t.pk for t in tasks if status_as_of(t, as_of, soon) == status}
            assert matched == expected, (status, as_of)


def test_constant_queries(
    tree: dict[str, Any], thai_nguyen: Unit, commune: Unit, actors: dict[str, Any]
) -> None:
    user = actors["assigner"]
    board_of(user, thai_nguyen)  # warm the grants cache
    with CaptureQueriesContext(connection) as small:
        board_of(user, thai_nguyen)
    for i in range(6):
        c = unit_create(actor=None, parent=thai_nguyen, kind=UnitKind.COMMUNE, name=f"Xã mới {i}")
        for d in (1, 2, 3):
            make(thai_nguyen, c, dt.date(2026, d, 10))
            make(thai_nguyen, c, dt.date(2025, d, 10), TaskState.CLOSED, dt.date(2025, d, 1))
    with CaptureQueriesContext(connection) as big:
        board = board_of(user, thai_nguyen)
    assert len(big) == len(small) <= 6
    assert board.total.counts.total == 7 + 18


def test_sibling_cannot_see(tree: dict[str, Any], commune: Unit, actors: dict[str, Any]) -> None:
    from danvan.core.errors import NotFound, PermissionDenied

    with pytest.raises((NotFound, PermissionDenied)):
        board_of(actors["sibling"], commune)


# -- the page and the file ------------------------------------------------------------------


def client_of(user: Any) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def test_page_links_each_number_to_its_list(
    tree: dict[str, Any], commune: Unit, actors: dict[str, Any]
) -> None:
    client = client_of(actors["parent"])
    url = reverse("directive_tasks:board")
    response = client.get(url, {"unit": commune.code, "period": "h1", "year": "2026"})
    assert response.status_code == 200
    page = response.content.decode()
    assert len(response.content) < 100_000
    v1 = tree["v1"]
    link = (
        f"{reverse('directive_tasks:list')}?unit={v1.code}"
        "&amp;due_from=01%2F01%2F2026&amp;due_to=30%2F06%2F2026&amp;status=overdue"
    )
    assert link in page
    assert 'id="tasks-board-chart"' in page
    # The number opens a list that counts the same tasks.
    listed = client.get(link.replace("&amp;", "&"))
    assert listed.status_code == 200
    counts = dict(listed.context["counts"])
    assert counts["overdue"] == 1


def test_page_custom_range_and_bad_input(commune: Unit, actors: dict[str, Any]) -> None:
    client = client_of(actors["parent"])
    url = reverse("directive_tasks:board")
    ok = client.get(url, {"unit": commune.code, "from": "01/01/2026", "to": "31/03/2026"})
    assert ok.status_code == 200
    assert ok.context["board"].period == Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    bad = client.get(url, {"unit": commune.code, "from": "31/03/2026", "to": "01/01/2026"})
    assert bad.status_code == 400
    assert "Ngày kết thúc không được trước ngày bắt đầu." in bad.content.decode()
    assert client_of(actors["sibling"]).get(url, {"unit": commune.code}).status_code in (400, 404)


def test_excel_holds_text_not_formulas(
    tree: dict[str, Any], commune: Unit, actors: dict[str, Any]
) -> None:
    v2 = tree["v2"]
    v2.name = '=HYPERLINK("http://x","y")'
    v2.save(update_fields=["name"])
    response = client_of(actors["parent"]).get(
        reverse("directive_tasks:board_excel"),
        {"unit": commune.code, "period": "h1", "year": "2026"},
    )
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb.active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert '=HYPERLINK("http://x","y")' in values
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    assert 7 in values  # the total


# -- the unit page's panel ------------------------------------------------------------------


def test_unit_page_shows_lead_and_coordinate_counts(
    task: Task, actors: dict[str, Any], lead_unit: Unit, coord_unit: Unit
) -> None:
    page = client_of(actors["lead"]).get(reverse("units:detail", args=[lead_unit.code]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="tasks-panel"' in html
    lead_list = f"{reverse('directive_tasks:list')}?unit={lead_unit.code}"
    assert f'href="{lead_list}&amp;status=not_due"' in html
    assert task.title in html  # among the most urgent
    coord = client_of(actors["coord"]).get(reverse("units:detail", args=[coord_unit.code]))
    coord_html = coord.content.decode()
    coord_list = f"{reverse('directive_tasks:list_coordinate')}?unit={coord_unit.code}"
    assert f'href="{coord_list}&amp;status=not_due"' in coord_html
    assert task.title in coord_html


def test_panel_hidden_without_permission_and_constant_queries(
    thai_nguyen: Unit, commune: Unit, lead_unit: Unit, actors: dict[str, Any]
) -> None:
    from django.test import RequestFactory

    from danvan.directives.tasks.panels import render

    request = RequestFactory().get("/")
    request.user = actors["sibling"]
    assert render(request, lead_unit) is None
    request.user = actors["parent"]
    make(thai_nguyen, lead_unit, dt.date(2026, 3, 1))
    render(request, commune)
    with CaptureQueriesContext(connection) as few:
        render(request, commune)
    for i in range(10):
        make(thai_nguyen, lead_unit, dt.date(2026, 3, 1 + i))
    with CaptureQueriesContext(connection) as many:
        html = render(request, commune)
    assert len(many) == len(few)
    assert html is not None
    assert html.count("<li><a href=") == 5


def test_national_board_by_province(
    tree: dict[str, Any], thai_nguyen: Unit, system_admin: Any
) -> None:
    board = task_board(user=system_admin, unit=None, start=H1[0], end=H1[1], today=TODAY)
    assert board.total.counts.total == 7
    assert board.rows[0].unit is not None
    assert board.rows[0].unit.pk == thai_nguyen.pk  # the only province with late work
    assert all(r.unit is not None and r.unit.parent_id is None for r in board.rows)
    page = client_of(system_admin).get(reverse("directive_tasks:board"), {"period": "h1"})
    assert page.status_code == 200
    assert page.context["board"].unit is None


def test_national_board_refused_to_a_unit_officer(actors: dict[str, Any]) -> None:
    from danvan.core.errors import NotFound

    with pytest.raises(NotFound):
        task_board(user=actors["parent"], unit=None, start=H1[0], end=H1[1], today=TODAY)


def test_province_page_stays_small(thai_nguyen: Unit, actors: dict[str, Any]) -> None:
    communes = list(Unit.objects.filter(parent=thai_nguyen))
    for i, c in enumerate(communes):
        make(thai_nguyen, c, dt.date(2026, 3, 1 + i % 20))
        make(thai_nguyen, c, dt.date(2026, 2, 1), TaskState.CLOSED, dt.date(2026, 2, 1 + i % 5))
        make(thai_nguyen, c, dt.date(2026, 5, 1))
    response = client_of(actors["assigner"]).get(
        reverse("directive_tasks:board"), {"unit": thai_nguyen.code, "period": "h1"}
    )
    assert response.status_code == 200
    assert len(response.content) < 100 * 1024, len(response.content)
    assert len(response.context["page"].object_list) == min(50, len(communes))


def test_period_longer_than_a_year(
    tree: dict[str, Any], commune: Unit, actors: dict[str, Any]
) -> None:
    """2025-01-01 … 2026-06-30 overlaps its twin a year earlier: both still counted."""
    board = board_of(actors["parent"], commune, dt.date(2025, 1, 1), H1[1])
    assert board.total.counts.total == 9
    assert board.total.last_year.total == 2  # 2024-01-01 … 2025-06-30
