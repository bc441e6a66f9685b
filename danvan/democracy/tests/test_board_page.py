"""The board's page for a province: totals first, only the units late or missing
something by default, a page of units at a time as a heat map and a table; and a vote's
turnout drawn against the 50% line."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.democracy.board.selectors import OBLIGATIONS, compliance_board
from danvan.democracy.board.views import ROWS_PER_PAGE
from danvan.democracy.models import Matter, Vote
from danvan.supervision.models import Conference
from danvan.units.models import Unit
from danvan.units.services import unit_create

pytestmark = pytest.mark.django_db
BOARD = reverse("democracy:board")
PERIOD: dict[str, str | int] = {"from": "01/07/2025", "to": "31/12/2025"}


@pytest.fixture
def leader(thai_nguyen: Unit) -> User:
    return make_user("tinh-lanhdao", Role.LEADER, thai_nguyen)


def client_of(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def test_problems_only_by_default_paged_with_a_heat_map(leader: User, thai_nguyen: Unit) -> None:
    # An agency that held its staff conference has nothing late or missing.
    agency = unit_create(actor=None, parent=thai_nguyen, kind="agency", name="Sở Mẫu Mực")
    Conference.objects.create(
        unit=agency,
        kind="staff",
        held_on=dt.date(2025, 12, 15),
        participants_employer=3,
        participants_workers=30,
    )
    board = compliance_board(
        user=leader,
        unit=thai_nguyen,
        start=dt.date(2025, 7, 1),
        end=dt.date(2025, 12, 31),
        today=timezone.localdate(),
    )
    clean = [r for r in board.rows if not r.has_problems]
    assert [r.unit.pk for r in clean] == [agency.pk]
    client = client_of(leader)

    response = client.get(BOARD, {"unit": thai_nguyen.code, **PERIOD})
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["page"].paginator.count == len(board.rows) - 1
    assert 'id="board-totals"' in html
    assert html.index('id="board-totals"') < html.index('id="board-heatmap"')
    assert html.index('id="board-heatmap"') < html.index('id="board-table"')
    # One page of units: in the heat map (a cell per obligation) and in the table.
    assert html.count('<use href="#board-heatmap-') == ROWS_PER_PAGE * len(OBLIGATIONS) + 4
    table = html[html.index('id="board-table"') :]
    assert len(re.findall(r'<th scope="row">', table)) == ROWS_PER_PAGE
    assert 'aria-current="page"' in html  # the pager
    assert " style=" not in html
    assert "<script>" not in html

    everyone = client.get(BOARD, {"unit": thai_nguyen.code, "problems": "0", **PERIOD})
    assert everyone.context["page"].paginator.count == len(board.rows)
    last = everyone.context["page"].paginator.num_pages
    pages = [
        client.get(
            BOARD, {"unit": thai_nguyen.code, "problems": "0", "page": n, **PERIOD}
        ).content.decode()
        for n in range(1, last + 1)
    ]
    assert any("Sở Mẫu Mực" in page for page in pages)
    # The export keeps every unit, whatever the page shows.
    assert "page=" not in everyone.context["excel_query"]


def test_a_vote_is_drawn_against_half_of_all_households(commune: Unit) -> None:
    village = unit_create(actor=None, parent=commune, kind="village", name="Thôn 1", households=80)
    matter = Matter.objects.create(
        unit=village, kind="charter", title="Hương ước", raised_on=dt.date(2025, 9, 1)
    )
    vote = Vote.objects.create(
        matter=matter,
        method="meeting",
        households_total=80,
        opened_on=dt.date(2025, 9, 20),
        closed_at=timezone.now(),
        households_present=60,
        agree=50,
        outcome="passed",
    )
    officer = make_user("xa-canbo", Role.OFFICER, commune)
    html = client_of(officer).get(reverse("democracy:vote", args=[vote.public_id])).content
    body = html.decode()
    assert 'id="turnout-chart"' in body
    assert "60/80 hộ tham gia, 50/80 hộ đồng ý" in body
    # Bars scaled to all 80 households over 420 px from x = 244: 60 → 315 px, 50 →
    # 262.5 px; the dashed line at 40 households, x = 244 + 210.
    assert 'width="420"' in body  # the total
    assert 'width="315"' in body
    assert 'width="262.5"' in body
    assert 'x1="454"' in body
    assert 'x2="454"' in body
    assert 'stroke-dasharray="4 3"' in body
    assert "1/2 tổng số hộ (40): phải vượt quá" in body
    assert " style=" not in body


def test_the_portal_draws_a_published_result(commune: Unit) -> None:
    village = unit_create(actor=None, parent=commune, kind="village", name="Thôn 2", households=9)
    matter = Matter.objects.create(
        unit=village, kind="charter", title="Hương ước", raised_on=dt.date(2025, 9, 1)
    )
    vote = Vote.objects.create(
        matter=matter,
        method="meeting",
        households_total=9,
        opened_on=dt.date(2025, 9, 20),
        closed_at=timezone.now(),
        published_at=timezone.now(),
        households_present=7,
        agree=4,
        outcome="failed",
    )
    body = Client().get(reverse("portal:vote", args=[vote.public_id])).content.decode()
    assert 'id="turnout-chart"' in body
    assert "7/9 hộ tham gia, 4/9 hộ đồng ý" in body
    assert "1/2 tổng số hộ (4,5): phải vượt quá" in body
