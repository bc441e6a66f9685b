"""The audit browser: who may read which events, the filters, and that nothing changes them."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.accounts.models import Role, RoleGrant, User
from danvan.accounts.testing import Cast, build_cast, login_verified, make_user, walk
from danvan.audit.models import AuditEvent
from danvan.audit.views import EVENTS_PER_PAGE
from danvan.units import services
from danvan.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

URL = "/nhat-ky/"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def client_for(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def village(parent: Unit, name: str, actor: Any = None) -> Unit:
    return services.unit_create(
        actor=actor, parent=parent, kind=UnitKind.VILLAGE, name=name, households=10
    )


def unit_of(cast: Cast, actor: str) -> Unit:
    return RoleGrant.objects.select_related("unit").get(user=cast.users[actor]).unit  # type: ignore[return-value]


def shown(response: Any) -> set[str]:
    return {e.object_repr for e in response.context["page"].object_list}


def test_url_name() -> None:
    assert reverse("audit:list") == URL


def test_system_admin_sees_every_event_newest_first(commune: Unit, system_admin: User) -> None:
    village(commune, "Thôn A", actor=system_admin)
    village(commune, "Thôn B", actor=system_admin)
    response = client_for(system_admin).get(URL)
    assert response.status_code == 200
    events = list(response.context["page"].object_list)
    assert [e.object_repr for e in events[:2]] == ["Thôn B", "Thôn A"]
    assert response.context["page"].paginator.count == AuditEvent.objects.count()
    # Events with no unit (a user account, for example) are for system administrators.
    assert AuditEvent.objects.filter(unit_path="").exists()
    assert "accounts.user" in {
        e.model_label
        for e in client_for(system_admin).get(URL, {"model_label": "accounts.user"}).context["page"]
    }


def test_unit_admin_sees_only_events_under_their_unit(commune: Unit) -> None:
    cast = build_cast(commune, role=Role.UNIT_ADMIN)
    sibling = unit_of(cast, "sibling")
    village(commune, "Thôn Của Mình")
    village(sibling, "Thôn Của Bên")
    response = cast.client("same").get(URL)
    assert response.status_code == 200
    names = shown(response)
    assert "Thôn Của Mình" in names
    assert "Thôn Của Bên" not in names
    # Every event shown lies under the commune; none without a unit.
    for event in response.context["page"].object_list:
        assert event.unit_path.startswith(commune.path)
    assert response.context["page"].paginator.count == (
        AuditEvent.objects.filter(unit_path__startswith=commune.path).count()
    )
    content = response.content.decode()
    assert "Thôn Của Mình" in content
    assert "Thôn Của Bên" not in content
    parent_names = shown(cast.client("parent").get(URL))
    assert {"Thôn Của Mình", "Thôn Của Bên"} <= parent_names


def test_access_walk_with_unit_admins(commune: Unit) -> None:
    cast = build_cast(commune, role=Role.UNIT_ADMIN)
    village(commune, "Thôn Của Mình")
    url = f"{URL}?unit={commune.code}"
    walk(
        cast,
        url,
        expect={"anonymous": 302, "same": 200, "sibling": 200, "parent": 200, "admin": 200},
    )
    for actor in ("same", "parent", "admin"):
        assert "Thôn Của Mình" in shown(cast.client(actor).get(url)), actor
    # The sibling's filter names a unit out of sight: reported like an unknown code.
    response = cast.client("sibling").get(url)
    assert shown(response) == set()
    assert f"Không tìm thấy đơn vị “{commune.code}” trong phạm vi" in response.content.decode()


def test_officers_and_leaders_get_403(commune: Unit) -> None:
    cast = build_cast(commune)  # officers
    walk(
        cast,
        URL,
        expect={"anonymous": 302, "same": 403, "sibling": 403, "parent": 403, "admin": 200},
    )
    leader = client_for(make_user("leader", Role.LEADER, commune))
    assert leader.get(URL, {"unit": commune.code}).status_code == 403


def test_there_is_no_way_to_change_the_trail(system_admin: User, commune: Unit) -> None:
    village(commune, "Thôn A")
    client = client_for(system_admin)
    n = AuditEvent.objects.count()
    assert client.post(URL, {"object_pk": "1"}).status_code == 405
    assert client.delete(URL).status_code == 405
    assert AuditEvent.objects.count() == n


def test_filters_by_unit_user_record_and_dates(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit, system_admin: User
) -> None:
    officer = make_user("canbo.xa", Role.OFFICER, commune)
    # 2 March 2025 00:30 in Hà Nội is still 1 March in UTC: the day boundary is local.
    with time_machine.travel(dt.datetime(2025, 3, 2, 0, 30, tzinfo=HCM), tick=False):
        early = village(commune, "Thôn Sớm", actor=officer)
    with time_machine.travel(dt.datetime(2025, 3, 10, 9, 0, tzinfo=HCM), tick=False):
        late = village(commune, "Thôn Muộn", actor=None)
        other = village(sibling_commune, "Thôn Xã Khác", actor=None)
    client = client_for(system_admin)

    def names(**params: str) -> set[str]:
        response = client.get(URL, params)
        assert response.status_code == 200, response.context["form"].errors
        return shown(response)

    assert names(unit=commune.code) >= {"Thôn Sớm", "Thôn Muộn"}
    assert "Thôn Xã Khác" not in names(unit=commune.code)
    assert "Thôn Xã Khác" in names(unit=thai_nguyen.code, date_to="31/12/2025")
    assert names(user="canbo.xa") == {"Thôn Sớm"}
    assert names(user="CANBO.XA") == {"Thôn Sớm"}
    assert names(model_label="units.unit", object_pk=str(late.pk)) == {"Thôn Muộn"}
    assert names(object_pk=str(other.pk), model_label="units.unit") == {"Thôn Xã Khác"}
    assert names(date_from="02/03/2025", date_to="02/03/2025") == {"Thôn Sớm"}
    assert names(date_from="01/03/2025", date_to="01/03/2025") == set()
    assert names(date_from="03/03/2025", date_to="10/03/2025") == {"Thôn Muộn", "Thôn Xã Khác"}
    assert "Thôn Sớm" not in names(date_from="03/03/2025")
    assert "Thôn Muộn" not in names(date_to="09/03/2025")
    assert early.pk != late.pk


def test_bad_filters_show_errors_and_no_events(system_admin: User, commune: Unit) -> None:
    village(commune, "Thôn A")
    client = client_for(system_admin)
    response = client.get(URL, {"date_from": "10/03/2025", "date_to": "01/03/2025"})
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]
    assert shown(response) == set()
    response = client.get(URL, {"unit": "KHONG-CO"})
    assert "Không tìm thấy đơn vị “KHONG-CO” trong phạm vi" in response.content.decode()


def test_the_unit_filter_takes_a_name_without_diacritics(
    system_admin: User, commune: Unit, sibling_commune: Unit
) -> None:
    village(commune, "Thôn Gần")
    village(sibling_commune, "Thôn Xa")
    client = client_for(system_admin)
    typed = commune.name_folded.split(" ", 1)[1]  # "duc xuan" for Phường Đức Xuân
    response = client.get(URL, {"unit": typed})
    assert response.context["form"].cleaned_data["unit"] == commune
    assert "Thôn Gần" in shown(response)
    assert "Thôn Xa" not in shown(response)


def test_event_shows_who_when_what_and_from_where(commune: Unit, system_admin: User) -> None:
    officer = make_user("canbo.xa", Role.OFFICER, commune)
    with time_machine.travel(dt.datetime(2025, 3, 2, 0, 30, tzinfo=HCM), tick=False):
        unit = village(commune, "Thôn Sớm", actor=officer)
    services.unit_update(actor=officer, unit=unit, households=25)
    response = client_for(system_admin).get(
        URL, {"model_label": "units.unit", "object_pk": str(unit.pk)}
    )
    content = response.content.decode()
    assert "02/03/2025 00:30" in content  # local time, not UTC (01/03 17:30)
    assert "canbo.xa" in content
    assert "Số hộ gia đình</strong>: 10 → 25" in content
    assert "Tên</strong>: — → Thôn Sớm" in content
    assert "Sửa" in content
    assert "Tạo mới" in content


def test_list_runs_constant_queries(
    commune: Unit, system_admin: User, django_assert_max_num_queries: Any
) -> None:
    client = client_for(system_admin)
    village(commune, "Thôn đầu", actor=system_admin)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for i in range(60):
        village(commune, f"Thôn {i}", actor=system_admin)
    # The names of related records (a village's parent commune, its creator) come in one
    # query per kind of record, however many events the page shows.
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(few.captured_queries) <= 16
    assert len(response.context["page"].object_list) == EVENTS_PER_PAGE
    assert "Thôn 59" in response.content.decode()
