"""The compliance board: cells, scope, constant queries, the page, the Excel export and
the API."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from danvan.accounts.testing import READ_SCOPED, Cast, make_user, walk
from danvan.cases.models import Dialogue
from danvan.democracy.board.selectors import OBLIGATION_CODES, Status, compliance_board
from danvan.disclosure.models import Disclosure, DisclosureChannel, DisclosureKind
from danvan.supervision.models import Board, BoardMember
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

START, END, TODAY = dt.date(2025, 7, 1), dt.date(2025, 12, 31), dt.date(2026, 3, 1)


def board_of(user: Any, unit: Unit) -> Any:
    return compliance_board(user=user, unit=unit, start=START, end=END, today=TODAY)


def cells(user: Any, unit: Unit, code: str) -> dict[str, str]:
    return {row.unit.code: row.cells[code].status for row in board_of(user, unit).rows}


def disclose_all(unit: Unit, *, skip: int = 0) -> None:
    """Disclose every mandatory commune kind in the period (but kind number *skip*), long enough."""
    for kind in DisclosureKind.objects.filter(unit_kind="commune", mandatory=True):
        if kind.number == skip:
            continue
        d = Disclosure.objects.create(
            unit=unit, kind=kind, title=kind.title[:200], start=dt.date(2025, 8, 1)
        )
        DisclosureChannel.objects.create(
            disclosure=d, form="posting", start=dt.date(2025, 8, 1), end=dt.date(2025, 10, 1)
        )
        DisclosureChannel.objects.create(
            disclosure=d, form="loudspeaker", start=dt.date(2025, 8, 1), end=dt.date(2025, 8, 5)
        )


def dialogue(unit: Unit, held_on: dt.date, published_on: dt.date | None) -> Dialogue:
    return Dialogue.objects.create(
        unit=unit,
        title="Đối thoại",
        held_on=held_on,
        place="Hội trường",
        chair="Chủ tịch",
        state=Dialogue.State.PUBLISHED if published_on else Dialogue.State.HELD,
        announced_on=held_on - dt.timedelta(days=10),
        published_on=published_on,
    )


@pytest.fixture
def admin() -> Any:
    return make_user("board-admin", "system_admin", None)


def test_cells_of_a_commune(admin: Any, commune: Unit, sibling_commune: Unit) -> None:
    disclose_all(commune, skip=1)  # a disclosure gap
    disclose_all(sibling_commune)
    dialogue(commune, dt.date(2025, 9, 10), dt.date(2025, 9, 15))  # results published in time
    dialogue(sibling_commune, dt.date(2025, 9, 10), dt.date(2025, 10, 30))  # published late
    Board.objects.create(unit=sibling_commune, kind="inspection", term_start=dt.date(2023, 1, 1))
    province = commune.parent
    assert province is not None
    result = board_of(admin, province)
    rows = {r.unit.code: r for r in result.rows}
    own, other = rows[commune.code].cells, rows[sibling_commune.code].cells
    assert own["disclosure"].status == Status.MISSING
    assert own["disclosure"].count == 1
    assert other["disclosure"].status == Status.DONE
    assert own["dialogue"].status == Status.DONE
    assert other["dialogue"].status == Status.LATE
    assert own["inspection_board"].status == Status.MISSING  # no inspection board
    assert other["inspection_board"].status == Status.LATE  # too few members
    assert own["votes"].status == Status.NOT_APPLICABLE
    assert own["staff_conference"].status == Status.NOT_APPLICABLE
    assert own["reception"].status == Status.MISSING
    # A third commune did nothing.
    third = next(c for c in rows if c not in (commune.code, sibling_commune.code))
    assert rows[third].cells["dialogue"].status == Status.MISSING
    assert own["disclosure"].url.startswith(reverse("disclosure:compliance"))
    assert f"unit={commune.code}" in own["dialogue"].url


def test_a_full_inspection_board_is_done(admin: Any, commune: Unit) -> None:
    board = Board.objects.create(unit=commune, kind="inspection", term_start=dt.date(2023, 1, 1))
    villages = list(Unit.objects.filter(parent=commune, kind="village", valid_to__isnull=True))
    for i in range(max(5, len(villages))):
        BoardMember.objects.create(
            board=board,
            full_name=f"Thành viên {i}",
            role="member",
            village=villages[i] if i < len(villages) else None,
        )
    assert cells(admin, commune, "inspection_board") == {commune.code: Status.DONE}


def test_queries_do_not_grow_with_units(admin: Any, commune: Unit, thai_nguyen: Unit) -> None:
    disclose_all(commune, skip=1)
    dialogue(commune, dt.date(2025, 9, 10), dt.date(2025, 9, 15))
    Board.objects.create(unit=commune, kind="inspection", term_start=dt.date(2023, 1, 1))
    board_of(admin, commune)  # the grants are loaded once per user
    with CaptureQueriesContext(connection) as small:
        one = board_of(admin, commune)
    with CaptureQueriesContext(connection) as large:
        many = board_of(admin, thai_nguyen)
    assert len(one.rows) == 1
    assert len(many.rows) > 50
    assert len(small.captured_queries) == len(large.captured_queries)


def test_rows_are_what_the_user_may_see(commune: Unit, sibling_commune: Unit) -> None:
    officer = make_user("board-officer", "officer", commune)
    result = board_of(officer, commune)
    assert [r.unit.code for r in result.rows] == [commune.code]
    assert set(result.rows[0].cells) == set(OBLIGATION_CODES)


@pytest.fixture
def cast(access_cast: Callable[..., Cast], commune: Unit) -> Cast:
    return access_cast(commune)


def test_page_and_excel_access(cast: Cast, commune: Unit) -> None:
    query = f"?unit={commune.code}&from=01/07/2025&to=31/12/2025"
    # A unit typed in a list filter (the unit picker) out of sight is refused like a
    # missing one: the filter form comes back with the message (400).
    walk(cast, reverse("democracy:board") + query, expect={**READ_SCOPED, "sibling": 400})
    walk(cast, reverse("democracy:board_excel") + query, expect={**READ_SCOPED, "sibling": 400})


def test_page_shows_badges_and_links(cast: Cast, commune: Unit) -> None:
    dialogue(commune, dt.date(2025, 9, 10), dt.date(2025, 9, 15))
    client = cast.client("same")
    response = client.get(
        reverse("democracy:board"), {"unit": commune.code, "from": "01/07/2025", "to": "31/12/2025"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Đã thực hiện", "Chưa thực hiện", "text-bg-success", "text-bg-danger"):
        assert text in html
    assert f"{reverse('dialogues:list')}?unit={commune.code}" in html
    assert " onclick=" not in html


def test_excel_has_the_same_statuses(admin: Any, cast: Cast, commune: Unit) -> None:
    disclose_all(commune, skip=1)
    dialogue(commune, dt.date(2025, 9, 10), dt.date(2025, 10, 30))
    response = cast.client("same").get(
        reverse("democracy:board_excel"),
        {"unit": commune.code, "from": "01/07/2025", "to": "31/12/2025"},
    )
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws is not None
    rows = [r for r in ws.iter_rows(values_only=True) if r and r[0] == commune.code]
    assert len(rows) == 1
    expected = board_of(admin, commune).rows[0]
    got = [rows[0][2 + 2 * i] for i in range(len(OBLIGATION_CODES))]
    assert got == [expected.cells[c].label for c in OBLIGATION_CODES]
    assert expected.cells["disclosure"].status == Status.MISSING
    assert expected.cells["dialogue"].status == Status.LATE


def test_excel_rejects_a_bad_period(cast: Cast, commune: Unit) -> None:
    response = cast.client("same").get(
        reverse("democracy:board_excel"),
        {"unit": commune.code, "from": "31/12/2025", "to": "01/07/2025"},
    )
    assert response.status_code == 400


def test_links_only_to_pages_the_user_may_open(commune: Unit, client: Any) -> None:
    """A reviewer sees the whole board (Perm.DEMOCRACY_VIEW) but not the citizens' cases
    and reception records (Perm.CASE_VIEW): those cells carry no link."""
    reviewer = make_user("board-reviewer", "reviewer", commune)
    officer = make_user("board-officer", "officer", commune)
    cells_of = {u: board_of(u, commune).rows[0].cells for u in (reviewer, officer)}
    for code in ("reception", "dialogue"):
        assert cells_of[reviewer][code].url == ""
        assert cells_of[officer][code].url.startswith(
            reverse(f"{'reception:index' if code == 'reception' else 'dialogues:list'}")
        )
    assert cells_of[reviewer]["disclosure"].url.startswith(reverse("disclosure:compliance"))
    assert cells_of[reviewer]["reception"].status == cells_of[officer]["reception"].status
    client.force_login(reviewer)
    page = client.get(reverse("democracy:board"), {"unit": commune.code})
    assert page.status_code == 200
    assert reverse("reception:index") not in page.content.decode()
    assert reverse("disclosure:compliance") in page.content.decode()
