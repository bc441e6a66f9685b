"""The supervision pages through HTTP: the access walk, forms refused with HTTP 400 and
nothing written, flags on the pages, and constant query counts on the lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.accounts.models import User
from danvan.accounts.testing import READ_SCOPED, Cast, login_verified, walk
from danvan.supervision import services
from danvan.supervision.models import Board, BoardMember, Conference, Recommendation
from danvan.units.models import Unit

from .test_services import TERM, add, inspection, investment, recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(access_cast: Callable[..., Cast], commune: Unit) -> Cast:
    return access_cast(commune)


def client_of(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


def test_pages_are_scoped(cast: Cast) -> None:
    board = inspection(cast.unit)
    item = recommendation(board)
    plan = item.finding.activity.plan
    code = cast.unit.code
    # A unit typed in a list filter (the unit picker) out of sight is refused like a
    # missing one: the filter form comes back with the message (400).
    filtered = {**READ_SCOPED, "sibling": 400}
    walk(cast, f"{reverse('supervision:boards')}?unit={code}", expect=filtered)
    walk(cast, f"{reverse('supervision:board_create')}?unit={code}", expect=READ_SCOPED)
    walk(cast, reverse("supervision:board_detail", args=[board.public_id]), expect=READ_SCOPED)
    walk(cast, reverse("supervision:plan_detail", args=[plan.public_id]), expect=READ_SCOPED)
    walk(cast, f"{reverse('supervision:recommendations')}?unit={code}", expect=READ_SCOPED)
    walk(cast, f"{reverse('supervision:recommendations')}?unit={code}&all=1", expect=READ_SCOPED)
    walk(cast, reverse("supervision:recommendation_answer", args=[item.pk]), expect=READ_SCOPED)
    walk(cast, f"{reverse('supervision:conferences')}?unit={code}", expect=filtered)
    walk(cast, f"{reverse('supervision:conference_create')}?unit={code}", expect=READ_SCOPED)


def test_board_detail_shows_findings_with_citation(
    officer: User, commune: Unit, villages: list[Unit]
) -> None:
    board = inspection(commune)
    add(board, 4, villages=villages[:1])
    page = text(client_of(officer).get(reverse("supervision:board_detail", args=[board.public_id])))
    assert "finding-too_few_members" in page
    assert "finding-village_without_member" in page
    assert "Thôn 2" in page
    assert "Luật Thực hiện dân chủ ở cơ sở" in page


def test_sixth_representative_refused_through_the_form(officer: User, commune: Unit) -> None:
    board = investment(commune)
    add(board, 5, "representative")
    url = reverse("supervision:member_add", args=[board.public_id])
    response = client_of(officer).post(
        url, {"full_name": "Người thứ sáu", "role": "representative"}
    )
    assert response.status_code == 400
    assert "tối đa 5 đại diện" in text(response)
    assert 'id="error-summary"' in text(response)
    assert BoardMember.objects.filter(board=board).count() == 5


def test_plan_added_late_is_flagged(officer: User, commune: Unit) -> None:
    board = inspection(commune)
    client = client_of(officer)
    response = client.post(
        reverse("supervision:plan_add", args=[board.public_id]),
        {"title": "Kiểm tra chợ", "starts_on": "11/03/2026", "sent_on": "05/03/2026"},
    )
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "late-notice" in page
    assert "5 ngày làm việc" in page


def test_answer_and_close_through_the_forms(officer: User, commune: Unit) -> None:
    item = recommendation(inspection(commune))
    client = client_of(officer)
    close = reverse("supervision:recommendation_close", args=[item.pk])
    response = client.post(close, {"closed_on": "24/03/2026"})
    assert response.status_code == 400
    response = client.post(
        reverse("supervision:recommendation_answer", args=[item.pk]),
        {"answer": "Đã hoàn trả", "answered_on": "23/03/2026"},
    )
    assert response.status_code == 302
    assert client.post(close, {"closed_on": "24/03/2026"}).status_code == 302
    item.refresh_from_db()
    assert item.state == Recommendation.State.CLOSED


def test_recommendations_page_flags_overdue(officer: User, commune: Unit) -> None:
    recommendation(inspection(commune))
    page = text(
        client_of(officer).get(f"{reverse('supervision:recommendations')}?unit={commune.code}")
    )
    assert "Quá hạn trả lời" in page


def test_conference_form_refuses_two_workers(
    officer: User, commune: Unit, enterprise: Unit
) -> None:
    url = f"{reverse('supervision:conference_create')}?unit={commune.code}"
    data = {
        "unit_code": enterprise.code,
        "kind": "dialogue",
        "held_on": "02/03/2026",
        "participants_employer": "3",
        "participants_workers": "2",
    }
    client = client_of(officer)
    response = client.post(url, data)
    assert response.status_code == 400
    assert "ít nhất 3 người mỗi bên" in text(response)
    assert not Conference.objects.exists()
    assert client.post(url, {**data, "participants_workers": "3"}).status_code == 302
    assert Conference.objects.count() == 1


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lists_run_a_constant_number_of_queries(
    officer: User, commune: Unit, villages: list[Unit], agency: Unit, enterprise: Unit
) -> None:
    client = client_of(officer)
    boards = f"{reverse('supervision:boards')}?unit={commune.code}"
    recs = f"{reverse('supervision:recommendations')}?unit={commune.code}&all=1"
    confs = f"{reverse('supervision:conferences')}?unit={commune.code}"

    def more() -> None:
        board = inspection(commune)
        add(board, 2, villages=villages)
        recommendation(board)
        services.conference_record(
            actor=None,
            unit=enterprise,
            kind="dialogue",
            held_on=dt.date(2026, 3, 1),
            participants_employer=3,
            participants_workers=3,
        )

    more()
    counts = (_count(client, boards), _count(client, recs), _count(client, confs))
    more()
    more()
    assert (_count(client, boards), _count(client, recs), _count(client, confs)) == counts
    assert Board.objects.filter(unit=commune).count() == 3
    assert TERM.year == 2026
