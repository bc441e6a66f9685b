"""The reception pages through HTTP: the access walk, the warning box, the forms (GOV.UK
errors, HTTP 400, nothing written), and the CSP rules of the templates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from danvan.accounts.models import Role, User
from danvan.accounts.testing import READ_SCOPED, Cast, login_verified, make_user, walk
from danvan.cases import services
from danvan.cases.identity import Identity
from danvan.cases.models import Channel, ReceptionSchedule, ReceptionSession
from danvan.legal.models import Duty
from danvan.units.models import Official, Unit

from .test_reception_services import make_official, schedule_for, session_on

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
END_OF_MARCH = dt.datetime(2026, 3, 31, 9, 0, tzinfo=HCM)
INDEX = reverse("reception:index")
SESSIONS = reverse("reception:sessions")
TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "cases"


@pytest.fixture
def cast(access_cast: Callable[..., Cast], commune: Unit) -> Cast:
    return access_cast(commune)


@pytest.fixture
def chair(commune: Unit) -> Official:
    return make_official(commune, "Hoàng Văn Chủ")


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        login_verified(client, user)
    return client


def page(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


@time_machine.travel(END_OF_MARCH, tick=False)
def test_reception_pages_are_scoped(cast: Cast, chair: Official) -> None:
    schedule = schedule_for(chair)
    session = session_on(chair, dt.date(2026, 3, 2), schedule=schedule)
    code = cast.unit.code
    # A unit typed in a list filter (the unit picker) out of sight is refused like a
    # missing one: the filter form comes back with the message (400).
    walk(cast, f"{INDEX}?unit={code}", expect={**READ_SCOPED, "sibling": 400})
    walk(cast, f"{INDEX}?unit={code}&month=02/2026", expect={**READ_SCOPED, "sibling": 400})
    walk(cast, f"{SESSIONS}?unit={code}", expect={**READ_SCOPED, "sibling": 400})
    walk(cast, f"{reverse('reception:schedule_create')}?unit={code}", expect=READ_SCOPED)
    walk(cast, f"{reverse('reception:session_create')}?unit={code}", expect=READ_SCOPED)
    walk(cast, reverse("reception:schedule_end", args=[schedule.pk]), expect=READ_SCOPED)
    walk(cast, reverse("reception:session", args=[session.pk]), expect=READ_SCOPED)
    walk(cast, reverse("reception:session_edit", args=[session.pk]), expect=READ_SCOPED)


@time_machine.travel(END_OF_MARCH, tick=False)
def test_writes_from_out_of_sight_or_without_permission_change_nothing(
    cast: Cast, chair: Official, commune: Unit
) -> None:
    schedule = schedule_for(chair)
    session = session_on(chair, dt.date(2026, 3, 2))
    sibling = client_of(cast.users["sibling"])
    leader = client_of(make_user("lanhdao", Role.LEADER, commune))
    data = {"valid_to": "31/03/2026"}
    end_url = reverse("reception:schedule_end", args=[schedule.pk])
    assert sibling.post(end_url, data).status_code == 404
    assert leader.post(end_url, data).status_code == 403
    edit_url = reverse("reception:session_edit", args=[session.pk])
    assert leader.post(edit_url, {"place": "X"}).status_code == 403
    create_url = f"{reverse('reception:schedule_create')}?unit={commune.code}"
    assert leader.get(create_url).status_code == 403
    schedule.refresh_from_db()
    session.refresh_from_db()
    assert (schedule.valid_to, session.place) == (None, "Trụ sở UBND")
    # The leader reads the page, without the buttons to write.
    body = page(leader.get(f"{INDEX}?unit={commune.code}"))
    assert chair.full_name in body
    assert reverse("reception:schedule_create") not in body


@time_machine.travel(END_OF_MARCH, tick=False)
def test_the_warning_box_names_the_missing_week(cast: Cast, chair: Official) -> None:
    schedule_for(chair)
    for day in (2, 9, 23, 30):
        session_on(chair, dt.date(2026, 3, day))
    client = client_of(cast.users["parent"])
    body = page(client.get(INDEX, {"unit": cast.unit.code, "month": "03/2026"}))
    assert 'id="shortfalls"' in body
    assert "tuần 12 (16/03–22/03/2026): đã tiếp 0 ngày" in body
    assert "Luật Tiếp công dân 2013" in body
    assert chair.full_name in body
    # Default month is the current one; March again.
    assert 'id="shortfalls"' in page(client.get(INDEX, {"unit": cast.unit.code}))
    session_on(chair, dt.date(2026, 3, 17))
    body = page(client.get(INDEX, {"unit": cast.unit.code, "month": "03/2026"}))
    assert 'id="shortfalls"' not in body
    assert 'id="no-shortfalls"' in body


def test_a_bad_month_is_an_error_beside_the_field(cast: Cast) -> None:
    response = client_of(cast.users["same"]).get(
        INDEX, {"unit": cast.unit.code, "month": "13/2026"}
    )
    assert response.status_code == 400
    body = page(response)
    assert 'id="error-summary"' in body
    assert "Không có tháng 13: tháng phải từ 01 đến 12" in body
    assert 'value="13/2026"' in body  # what was typed stays in the field


def test_without_a_unit_the_page_asks_for_one(cast: Cast) -> None:
    response = client_of(cast.users["admin"]).get(INDEX)
    assert response.status_code == 200
    assert "Chọn đơn vị (gõ tên không cần dấu hoặc mã)" in page(response)


@time_machine.travel(END_OF_MARCH, tick=False)
def test_add_and_end_a_schedule_through_the_forms(cast: Cast, chair: Official) -> None:
    client = client_of(cast.users["same"])
    url = f"{reverse('reception:schedule_create')}?unit={cast.unit.code}"
    form = page(client.get(url))
    assert chair.full_name in form
    assert Duty.RECEPTION_COMMUNE_CHAIR in form
    assert Duty.RECEPTION_PROVINCE_CHAIR not in form  # not offered on a commune
    data = {
        "leader": str(chair.pk),
        "duty": Duty.RECEPTION_COMMUNE_CHAIR,
        "pattern": "weekly",
        "weekday": "",
        "place": "Phòng tiếp công dân",
        "valid_from": "01/01/2026",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    body = page(response)
    assert 'id="error-summary"' in body
    assert "Lịch hằng tuần cần một ngày tiếp: chọn từ thứ Hai đến Chủ nhật." in body
    response = client.post(url, {**data, "weekday": "3", "valid_to": "01/01/2025"})
    assert response.status_code == 400
    assert "Ngày kết thúc không được trước ngày áp dụng" in page(response)
    assert not ReceptionSchedule.objects.exists()
    response = client.post(url, {**data, "weekday": "3"})
    assert response.status_code == 302
    assert response["Location"] == f"{INDEX}?unit={cast.unit.code}"
    schedule = ReceptionSchedule.objects.get()
    assert (schedule.day, schedule.pattern, schedule.leader) == (3, "weekly", chair)
    body = page(client.get(response["Location"]))
    assert "Thứ Năm hằng tuần" in body
    end_url = reverse("reception:schedule_end", args=[schedule.pk])
    response = client.post(end_url, {"valid_to": "31/12/2025"})
    assert response.status_code == 400
    assert "Ngày kết thúc không được trước ngày áp dụng" in page(response)
    assert client.post(end_url, {"valid_to": "30/03/2026"}).status_code == 302
    schedule.refresh_from_db()
    assert schedule.valid_to == dt.date(2026, 3, 30)
    assert "đã kết thúc" in page(client.get(f"{INDEX}?unit={cast.unit.code}"))


@time_machine.travel(END_OF_MARCH, tick=False)
def test_record_a_session_and_see_its_cases(
    cast: Cast, chair: Official, sibling_commune: Unit
) -> None:
    client = client_of(cast.users["same"])
    url = f"{reverse('reception:session_create')}?unit={cast.unit.code}"
    data = {
        "leader": str(chair.pk),
        "held_on": "01/04/2026",
        "place": "Trụ sở UBND",
        "citizens_count": "3",
        "citizens": "Nguyễn Văn An",
        "content": "Tranh chấp đất",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Ngày tiếp 01/04/2026 chưa đến: chỉ ghi buổi tiếp đã diễn ra" in page(response)
    other = make_official(sibling_commune, "Cán bộ xã bên")
    response = client.post(url, {**data, "held_on": "30/03/2026", "leader": str(other.pk)})
    assert response.status_code == 400  # not one of the unit's officials
    assert not ReceptionSession.objects.exists()
    response = client.post(url, {**data, "held_on": "30/03/2026"})
    assert response.status_code == 302
    session = ReceptionSession.objects.get()
    assert response["Location"] == reverse("reception:session", args=[session.pk])
    case = services.case_receive(
        actor=cast.users["same"],
        unit=cast.unit,
        kind="complaint",
        channel=Channel.IN_PERSON,
        subject="Khiếu nại quyết định thu hồi đất",
        content="Không đồng ý mức bồi thường",
        sender=Identity(full_name="Nguyễn Văn An", phone="0912000111"),
        received_on=dt.date(2026, 3, 30),
        reception_session=session,
    )
    body = page(client.get(response["Location"]))
    assert case.subject in body
    assert case.alias in body
    assert "0912000111" not in body  # the sender's contact stays in the identity
    try:
        receive = reverse("cases:receive")
    except NoReverseMatch:
        assert 'id="receive-link"' not in body
    else:
        assert f"{receive}?session={session.pk}" in body
    # Listed for the month, and editable.
    assert "30/03/2026" in page(client.get(SESSIONS, {"unit": cast.unit.code, "month": "03/2026"}))
    edit = reverse("reception:session_edit", args=[session.pk])
    assert (
        client.post(edit, {**data, "held_on": "31/03/2026", "citizens_count": "4"}).status_code
        == 302
    )
    session.refresh_from_db()
    assert (session.held_on, session.citizens_count) == (dt.date(2026, 3, 31), 4)


@time_machine.travel(END_OF_MARCH, tick=False)
def test_the_schedule_list_runs_a_constant_number_of_queries(cast: Cast, chair: Official) -> None:
    client = client_of(cast.users["same"])
    url = f"{INDEX}?unit={cast.unit.code}"
    schedule_for(chair)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(6):
        leader = make_official(cast.unit, f"Phó Chủ tịch {i}", "Phó Chủ tịch UBND")
        schedule_for(leader, duty="")
        session_on(leader, dt.date(2026, 3, 2))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_templates_follow_the_csp() -> None:
    """No inline script, no style= and no on…= attributes: the CSP would block them."""
    forbidden = re.compile(r"\sstyle=|\son[a-z]+\s*=|<script(?![^>]*\bsrc=)", re.IGNORECASE)
    files = sorted((TEMPLATES / "reception").glob("*.html")) + sorted(
        (TEMPLATES / "dialogues").glob("*.html")
    )
    assert len(files) >= 10
    for path in files:
        assert not forbidden.search(path.read_text()), path.name
