"""A place page is cached a minute, but what a unit publishes or withdraws shows on the next
request: each area's service forgets the pages of the place and of its ancestors once its
write commits (core.pagecache.place_changed).

Each test reads the page first (so that it is cached), makes the change through the area's
service with the commit callbacks run, and reads the page again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import User
from danvan.cases import services as case_services
from danvan.cases.reception import services as reception_services
from danvan.consultation import services as consultation_services
from danvan.democracy import services as democracy_services
from danvan.disclosure import services as disclosure_services
from danvan.movement import services as movement_services
from danvan.news import services as news_services
from danvan.units.models import Unit

from . import public_work as work
from .public_work import NOW, TODAY

pytestmark = pytest.mark.django_db

Committed = Callable[..., AbstractContextManager[list[Callable[[], None]]]]


@pytest.fixture(autouse=True)
def _frozen_now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """A block whose commit callbacks run at its end, as after a real commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def page(client: Client, unit: Unit) -> str:
    response = client.get(reverse("portal:place", args=[unit.code]))
    assert response.status_code == 200
    return response.content.decode()


def test_without_the_commit_the_cached_page_stays(client: Client, commune: Unit) -> None:
    """The control: the cache serves the old page until a committed change forgets it."""
    assert "Đường hoa tổ 7" not in page(client, commune)
    work.article(commune, "Đường hoa tổ 7")  # commit callbacks never run in this test
    assert "Đường hoa tổ 7" not in page(client, commune)


def test_an_article_published_and_unpublished(
    client: Client, commune: Unit, committed: Callable[[], Any]
) -> None:
    assert "Đường hoa tổ 7" not in page(client, commune)
    with committed():
        article = work.article(commune, "Đường hoa tổ 7")
    assert "Đường hoa tổ 7" in page(client, commune)
    with committed():
        news_services.article_unpublish(actor=None, article=article, message="Đăng nhầm ảnh.")
    assert "Đường hoa tổ 7" not in page(client, commune)


def test_a_provinces_article_addressed_to_a_commune(
    client: Client, commune: Unit, thai_nguyen: Unit, committed: Callable[[], Any]
) -> None:
    assert "Tỉnh phát động Tết trồng cây" not in page(client, commune)
    with committed():
        work.article(thai_nguyen, "Tỉnh phát động Tết trồng cây", also_on=(commune,))
    assert "Tỉnh phát động Tết trồng cây" in page(client, commune)


def test_a_disclosure_published_and_withdrawn(
    client: Client, commune: Unit, committed: Callable[[], Any]
) -> None:
    assert "Dự toán ngân sách phường" not in page(client, commune)
    with committed():
        disclosure = work.disclosure(commune, "Dự toán ngân sách phường")
    assert "Dự toán ngân sách phường" in page(client, commune)
    with committed():
        disclosure_services.disclosure_update(
            actor=None,
            disclosure=disclosure,
            kind=disclosure.kind,
            title=disclosure.title,
            start=disclosure.start,
            is_public=False,
        )
    assert "Dự toán ngân sách phường" not in page(client, commune)


def test_a_consultation_opened_and_closed(
    client: Client, commune: Unit, committed: Callable[[], Any]
) -> None:
    assert "Dự thảo quy ước tổ 7" not in page(client, commune)
    with committed():
        consultation = work.consultation(commune, "Dự thảo quy ước tổ 7")
    assert "Dự thảo quy ước tổ 7" in page(client, commune)
    with committed():
        consultation_services.consultation_close(actor=None, consultation=consultation)
    assert "Dự thảo quy ước tổ 7" not in page(client, commune)


def test_a_villages_vote_shows_on_its_commune_and_province(
    client: Client,
    commune: Unit,
    thai_nguyen: Unit,
    officer: User,
    committed: Callable[[], Any],
) -> None:
    village = work.village(commune)
    title = "Đóng góp làm đường bê tông thôn Đồng Tâm"
    assert title not in page(client, commune)
    assert title not in page(client, thai_nguyen)
    with committed():
        vote = work.online_vote(village, title)
    assert title in page(client, commune)
    assert title in page(client, thai_nguyen)
    with committed():
        democracy_services.vote_close(actor=officer, vote=vote)
    assert title not in page(client, commune)
    assert title not in page(client, thai_nguyen)


def test_a_reception_schedule_recorded_and_ended(
    client: Client, commune: Unit, committed: Callable[[], Any]
) -> None:
    # The leader's name shows only in the schedule (the Decree 42 block lists positions).
    assert "Hoàng Văn Tiếp" not in page(client, commune)
    with committed():
        schedule = work.schedule(commune, "Phó Chủ tịch UBND")
    assert "Hoàng Văn Tiếp" in page(client, commune)
    with committed():
        reception_services.schedule_end(
            actor=None, schedule=schedule, valid_to=TODAY - dt.timedelta(days=1)
        )
    assert "Hoàng Văn Tiếp" not in page(client, commune)


def test_a_dialogue_announced(client: Client, commune: Unit, committed: Callable[[], Any]) -> None:
    assert "Đối thoại về chợ tạm" not in page(client, commune)
    with committed():
        work.dialogue(commune, "Đối thoại về chợ tạm")
    assert "Đối thoại về chợ tạm" in page(client, commune)


def test_a_case_summary_published_and_hidden(
    client: Client, commune: Unit, officer: User, committed: Callable[[], Any]
) -> None:
    summary = "Đèn đường đầu ngõ 12 không sáng; phường đã báo điện lực."
    case = work.received_case(officer, commune)
    assert summary not in page(client, commune)
    with committed():
        case_services.case_moderate_public(actor=officer, case=case, summary=summary, publish=True)
    assert summary in page(client, commune)
    with committed():
        case_services.case_moderate_public(actor=officer, case=case, summary=summary, publish=False)
    assert summary not in page(client, commune)


def test_a_model_recognized_then_stopped(
    client: Client, commune: Unit, committed: Callable[[], Any]
) -> None:
    entry = work.submitted_entry(commune, "Ngõ phố sáng, xanh")
    assert "Ngõ phố sáng, xanh" not in page(client, commune)
    with committed():
        entry = movement_services.entry_transition(
            actor=None, entry=entry, name="recognize", decision=work.DECISION
        )
    assert "Ngõ phố sáng, xanh" in page(client, commune)
    with committed():
        movement_services.entry_transition(
            actor=None, entry=entry, name="stop", reason="Không còn duy trì."
        )
    assert "Ngõ phố sáng, xanh" not in page(client, commune)
