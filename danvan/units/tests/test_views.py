"""The unit pages: access walk, search, tree partials, forms and their refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import Role, RoleGrant, User
from danvan.accounts.testing import READ_SCOPED, Cast, build_cast, login_verified, make_user, walk
from danvan.audit.models import AuditEvent
from danvan.core.text import fold
from danvan.units import services
from danvan.units.models import (
    Official,
    SteeringCommitteeMember,
    Succession,
    Unit,
    UnitKind,
)

pytestmark = pytest.mark.django_db

# Every authenticated actor may open the page; what they see is scoped.
OPEN_TO_USERS = {**READ_SCOPED, "sibling": 200}


def client_for(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def village_of(commune: Unit, name: str = "Thôn Đồng Tâm", households: int = 120) -> Unit:
    return services.unit_create(
        actor=None, parent=commune, kind=UnitKind.VILLAGE, name=name, households=households
    )


def official_of(unit: Unit, name: str, position: str = "Chủ tịch") -> Official:
    return services.official_create(actor=None, unit=unit, full_name=name, position=position)


def unit_of(cast: Cast, actor: str) -> Unit:
    """The unit the cast's *actor* holds their grant on."""
    return RoleGrant.objects.select_related("unit").get(user=cast.users[actor]).unit  # type: ignore[return-value]


def names_in(response: Any, key: str) -> set[str]:
    return {u.name for u in response.context[key]}


# -- access walk ---------------------------------------------------------------


def test_detail_access_walk(commune: Unit) -> None:
    cast = build_cast(commune)
    walk(cast, reverse("units:detail", args=[commune.code]), expect=READ_SCOPED)


@pytest.mark.parametrize(
    "name", ["edit", "create_child", "official_create", "steering_add", "official_edit"]
)
def test_form_pages_access_walk(commune: Unit, name: str) -> None:
    """Officers may change their own unit and those below; a sibling sees nothing."""
    cast = build_cast(commune)
    if name == "official_edit":
        url = reverse("units:official_edit", args=[official_of(commune, "Nguyễn Văn A").pk])
    else:
        url = reverse(f"units:{name}", args=[commune.code])
    walk(cast, url, expect=READ_SCOPED)


def test_tree_access_walk(thai_nguyen: Unit, commune: Unit) -> None:
    cast = build_cast(commune)
    walk(cast, reverse("units:tree"), expect=OPEN_TO_USERS)
    for actor in ("same", "sibling", "parent"):
        response = cast.client(actor).get(reverse("units:tree"))
        assert names_in(response, "roots") == {thai_nguyen.name}, actor
    sibling_view = cast.client("sibling").get(reverse("units:children", args=[thai_nguyen.code]))
    assert names_in(sibling_view, "units") == {unit_of(cast, "sibling").name}


def test_detail_of_a_missing_unit_is_404_like_a_hidden_one(commune: Unit) -> None:
    cast = build_cast(commune)
    client = cast.client("sibling")
    assert client.get(reverse("units:detail", args=["khong-co"])).status_code == 404


def test_children_access_walk(commune: Unit) -> None:
    village_of(commune)
    cast = build_cast(commune)
    seen = walk(cast, reverse("units:children", args=[commune.code]), expect=READ_SCOPED)
    assert seen["same"] == 200
    response = cast.client("same").get(reverse("units:children", args=[commune.code]))
    assert "Thôn Đồng Tâm" in response.content.decode()
    assert "120" in response.content.decode()


def test_officials_access_walk_shows_each_actor_only_their_scope(commune: Unit) -> None:
    cast = build_cast(commune)
    official_of(commune, "Nguyễn Văn Cùng")
    official_of(unit_of(cast, "sibling"), "Trần Thị Bên")
    url = reverse("units:officials")
    walk(cast, url, expect=OPEN_TO_USERS)

    def names(actor: str) -> set[str]:
        response = cast.client(actor).get(url)
        return {o.full_name for o in response.context["page"].object_list}

    assert names("same") == {"Nguyễn Văn Cùng"}
    assert names("sibling") == {"Trần Thị Bên"}
    assert {"Nguyễn Văn Cùng", "Trần Thị Bên"} <= names("parent")
    assert {"Nguyễn Văn Cùng", "Trần Thị Bên"} <= names("admin")
    sibling_page = cast.client("sibling").get(url).content.decode()
    assert "Nguyễn Văn Cùng" not in sibling_page


def test_officials_filter_by_unit_and_name(commune: Unit) -> None:
    cast = build_cast(commune)
    official_of(commune, "Nguyễn Văn Cùng", "Bí thư")
    official_of(commune, "Lê Văn Khác", "Chủ tịch")
    official_of(unit_of(cast, "sibling"), "Trần Thị Bên")
    parent = cast.client("parent")
    url = reverse("units:officials")
    response = parent.get(url, {"unit": commune.code})
    assert {o.full_name for o in response.context["page"].object_list} == {
        "Nguyễn Văn Cùng",
        "Lê Văn Khác",
    }
    response = parent.get(url, {"unit": commune.code, "q": "bí thư"})
    assert [o.full_name for o in response.context["page"].object_list] == ["Nguyễn Văn Cùng"]
    # A unit out of sight is reported like an unknown code, and nothing is listed.
    response = cast.client("sibling").get(url, {"unit": commune.code})
    assert response.status_code == 200
    assert f"Không tìm thấy đơn vị “{commune.code}” trong phạm vi" in response.content.decode()
    assert list(response.context["page"].object_list) == []


def test_officials_list_is_paginated_with_constant_queries(
    commune: Unit, django_assert_max_num_queries: Any
) -> None:
    admin = make_user("admin", Role.SYSTEM_ADMIN)
    client = client_for(admin)
    url = reverse("units:officials")
    official_of(commune, "Người 000")
    with django_assert_max_num_queries(12):
        client.get(url)
    for i in range(1, 60):
        official_of(commune, f"Người {i:03d}")
    with django_assert_max_num_queries(12):
        response = client.get(url)
    page = response.context["page"]
    assert len(page.object_list) == 50
    assert page.paginator.count == Official.objects.count()
    second = client.get(url, {"page": 2})
    assert len(second.context["page"].object_list) == Official.objects.count() - 50


# -- the tree and the search ------------------------------------------------------


def test_tree_roots_are_the_provinces_for_a_national_admin(system_admin: User) -> None:
    response = client_for(system_admin).get(reverse("units:tree"))
    assert response.status_code == 200
    expected = set(
        Unit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=True).values_list(
            "name", flat=True
        )
    )
    assert names_in(response, "roots") == expected
    assert len(expected) == 34


def test_tree_of_a_commune_officer_starts_at_the_province_and_shows_only_their_commune(
    thai_nguyen: Unit, commune: Unit
) -> None:
    client = client_for(make_user("officer", Role.OFFICER, commune))
    response = client.get(reverse("units:tree"))
    assert names_in(response, "roots") == {thai_nguyen.name}
    response = client.get(reverse("units:children", args=[thai_nguyen.code]))
    assert names_in(response, "units") == {commune.name}


def test_tree_expand_button_is_an_htmx_link_to_the_detail_page(system_admin: User) -> None:
    content = client_for(system_admin).get(reverse("units:tree")).content.decode()
    thai_nguyen = Unit.objects.get(code="19")
    assert f'href="{thai_nguyen.get_absolute_url()}"' in content
    assert f'hx-get="{reverse("units:children", args=["19"])}"' in content
    assert 'hx-trigger="keyup changed delay:300ms, search"' in content


@pytest.mark.parametrize("q", ["dong da", "Đống Đa", "ĐỐNG ĐA", "  dong   da "])
def test_search_ignores_diacritics(system_admin: User, q: str) -> None:
    response = client_for(system_admin).get(reverse("units:tree"), {"q": q})
    expected = set(
        Unit.objects.filter(
            name_folded__contains=fold("dong da"), valid_to__isnull=True
        ).values_list("name", flat=True)
    )
    assert "Phường Đống Đa" in expected
    assert names_in(response, "results") == expected
    content = response.content.decode()
    assert "Phường Đống Đa" in content
    assert "Thành phố Hà Nội" in content  # each result shows its parent


def test_search_is_scoped_to_what_the_actor_sees(commune: Unit) -> None:
    client = client_for(make_user("officer", Role.OFFICER, commune))
    response = client.get(reverse("units:tree"), {"q": "dong da"})
    assert names_in(response, "results") == set()


def test_live_search_returns_the_results_partial(system_admin: User) -> None:
    response = client_for(system_admin).get(
        reverse("units:tree"),
        {"q": "ha noi"},
        headers={"HX-Request": "true", "HX-Target": "unit-results"},
    )
    content = response.content.decode()
    assert "<html" not in content
    assert "Thành phố Hà Nội" in content


def test_historical_units_only_when_asked(system_admin: User) -> None:
    client = client_for(system_admin)
    response = client.get(reverse("units:tree"))
    assert "Bắc Kạn" not in names_in(response, "roots")
    response = client.get(reverse("units:tree"), {"include_historical": "1"})
    assert "Bắc Kạn" in names_in(response, "roots")
    assert "đã sáp nhập" in response.content.decode()
    response = client.get(reverse("units:tree"), {"q": "bac kan", "include_historical": "1"})
    assert "Bắc Kạn" in names_in(response, "results")


def test_children_partial_runs_constant_queries(
    thai_nguyen: Unit, commune: Unit, django_assert_max_num_queries: Any
) -> None:
    village_of(commune)
    client = client_for(make_user("admin", Role.SYSTEM_ADMIN))
    assert Unit.objects.filter(parent=thai_nguyen).count() > 50
    for unit in (thai_nguyen, commune):
        with django_assert_max_num_queries(10):
            response = client.get(reverse("units:children", args=[unit.code]))
        assert response.status_code == 200
    assert len(response.context["units"]) == 1


# -- the detail page -------------------------------------------------------------


def test_detail_shows_history_of_a_merged_province(system_admin: User) -> None:
    response = client_for(system_admin).get(reverse("units:detail", args=["06"]))
    content = response.content.decode()
    assert "Đơn vị lịch sử" in content
    assert "Đã sáp nhập vào" in content
    assert "Thái Nguyên" in content
    assert "từ 01/07/2025 theo 202/2025/QH15" in content
    # A historical unit takes no new children or successions.
    assert reverse("units:create_child", args=["06"]) not in content


def test_detail_shows_children_officials_steering_and_only_allowed_buttons(
    thai_nguyen: Unit, commune: Unit
) -> None:
    village_of(commune, "Thôn Một", 80)
    official = official_of(commune, "Nguyễn Văn Cùng")
    services.steering_member_add(
        actor=None, level=commune, official=official, role=SteeringCommitteeMember.Role.HEAD
    )
    url = reverse("units:detail", args=[commune.code])
    officer_page = client_for(make_user("officer", Role.OFFICER, commune)).get(url)
    content = officer_page.content.decode()
    assert thai_nguyen.name in content  # breadcrumbs
    assert "Thôn Một" in content
    assert "80 hộ" in content
    assert "Nguyễn Văn Cùng" in content
    assert "Trưởng ban" in content
    assert reverse("units:create_child", args=[commune.code]) in content
    assert reverse("units:steering_add", args=[commune.code]) in content
    assert reverse("units:succession", args=[commune.code]) not in content  # officers cannot
    leader_page = client_for(make_user("leader", Role.LEADER, commune)).get(url)
    content = leader_page.content.decode()
    assert "Nguyễn Văn Cùng" in content
    for name in ("create_child", "edit", "official_create", "steering_add"):
        assert reverse(f"units:{name}", args=[commune.code]) not in content


def test_fixed_segments_are_not_taken_for_unit_codes() -> None:
    assert reverse("units:officials") == "/don-vi/can-bo/"
    from django.urls import resolve

    assert resolve("/don-vi/can-bo/").url_name == "officials"
    assert resolve("/don-vi/can-bo/7/sua/").url_name == "official_edit"
    assert resolve("/don-vi/19/can-bo/them/").url_name == "official_create"


# -- creating and editing units ---------------------------------------------------


def test_officer_creates_a_village_with_households(commune: Unit) -> None:
    officer = make_user("officer", Role.OFFICER, commune)
    client = client_for(officer)
    url = reverse("units:create_child", args=[commune.code])
    form = client.get(url)
    kinds = {value for value, _label in form.context["form"].fields["kind"].choices}
    assert UnitKind.VILLAGE in kinds
    assert UnitKind.COMMUNE not in kinds
    assert UnitKind.PROVINCE not in kinds
    response = client.post(
        url, {"kind": "village", "name": "Thôn Đồng Tâm", "households": "132", "code": ""}
    )
    village = Unit.objects.get(parent=commune, name="Thôn Đồng Tâm")
    assert response.status_code == 302
    assert response["Location"] == village.get_absolute_url()
    assert village.kind == UnitKind.VILLAGE
    assert village.households == 132
    assert AuditEvent.objects.filter(
        model_label="units.unit", object_pk=str(village.pk), actor=officer
    ).exists()


def test_create_child_is_404_out_of_sight_and_403_without_the_right(commune: Unit) -> None:
    url = reverse("units:create_child", args=[commune.code])
    data = {"kind": "village", "name": "Thôn Lạ", "households": "10"}
    cast = build_cast(commune)
    walk(cast, url, expect={"anonymous": 302, "same": 200, "sibling": 404, "parent": 200})
    walk(
        cast,
        url,
        method="post",
        data=data,
        expect={"anonymous": 302, "sibling": 404},
    )
    leader = client_for(make_user("leader", Role.LEADER, commune))
    assert leader.get(url).status_code == 403
    assert leader.post(url, data).status_code == 403
    assert not Unit.objects.filter(name="Thôn Lạ").exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "village", "name": "", "households": "5"}, "name", "Nhập tên đơn vị."),
        (
            {"kind": "agency", "name": "Văn phòng", "households": "5"},
            "households",
            "Chỉ thôn, tổ dân phố mới ghi số hộ gia đình.",
        ),
        (
            {"kind": "village", "name": "Thôn Trùng", "code": "19"},
            "code",
            "Mã đơn vị “19” đã tồn tại.",
        ),
        ({"kind": "commune", "name": "Xã Giả"}, "kind", None),
        ({"kind": "village", "name": "Thôn X", "code": "can-bo"}, "code", None),
    ],
)
def test_bad_create_rerenders_with_the_error_and_writes_nothing(
    commune: Unit, data: dict[str, str], field: str, message: str | None
) -> None:
    client = client_for(make_user("officer", Role.OFFICER, commune))
    units, events = Unit.objects.count(), AuditEvent.objects.count()
    response = client.post(reverse("units:create_child", args=[commune.code]), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors[field]
    if message is not None:
        assert form.errors[field] == [message]
        # In the summary on top and beside the field.
        assert response.content.decode().count(message) == 2
    assert Unit.objects.count() == units
    assert AuditEvent.objects.count() == events


def test_error_shows_beside_the_field_and_in_the_summary(commune: Unit) -> None:
    client = client_for(make_user("officer", Role.OFFICER, commune))
    response = client.post(
        reverse("units:create_child", args=[commune.code]),
        {"kind": "agency", "name": "Văn phòng", "households": "5"},
    )
    content = response.content.decode()
    assert 'id="error-summary"' in content
    assert content.count("Chỉ thôn, tổ dân phố mới ghi số hộ gia đình.") == 2


def test_edit_a_village(commune: Unit) -> None:
    village = village_of(commune)
    client = client_for(make_user("officer", Role.OFFICER, commune))
    url = reverse("units:edit", args=[village.code])
    assert client.get(url).context["form"].initial["households"] == 120
    response = client.post(
        url, {"name": "Thôn Đồng Tâm Mới", "code": village.code, "households": "140"}
    )
    assert response.status_code == 302
    village.refresh_from_db()
    assert (village.name, village.households) == ("Thôn Đồng Tâm Mới", 140)
    assert village.name_folded == "thon dong tam moi"


def test_edit_of_a_commune_keeps_its_official_code(commune: Unit) -> None:
    client = client_for(make_user("officer", Role.OFFICER, commune))
    form = client.get(reverse("units:edit", args=[commune.code])).context["form"]
    assert "code" not in form.fields
    assert "households" not in form.fields


# -- successions ----------------------------------------------------------------


def succession_data(**overrides: str) -> dict[str, str]:
    return {
        "kind": "merge",
        "effective_date": "01/01/2026",
        "resolution_number": "15/NQ-HĐND",
        "note": "",
        **overrides,
    }


def test_succession_with_an_unknown_code_writes_nothing(commune: Unit) -> None:
    a = village_of(commune, "Thôn A")
    admin = client_for(make_user("unitadmin", Role.UNIT_ADMIN, commune))
    before = (Succession.objects.count(), AuditEvent.objects.count())
    response = admin.post(
        reverse("units:succession", args=[a.code]),
        succession_data(predecessors=f"{a.code}, KHONGCO-1", successors=a.code),
    )
    assert response.status_code == 400
    assert "Không tìm thấy đơn vị “KHONGCO-1” trong phạm vi" in response.content.decode()
    assert (Succession.objects.count(), AuditEvent.objects.count()) == before
    a.refresh_from_db()
    assert a.valid_to is None


def test_succession_merges_two_villages(commune: Unit, sibling_commune: Unit) -> None:
    a = village_of(commune, "Thôn A")
    b = village_of(commune, "Thôn B")
    hidden = village_of(sibling_commune, "Thôn Bên")
    admin = client_for(make_user("unitadmin", Role.UNIT_ADMIN, commune))
    url = reverse("units:succession", args=[a.code])
    # A unit the user may not see is reported like an unknown code.
    response = admin.post(
        url, succession_data(predecessors=f"{a.code},{hidden.code}", successors=hidden.code)
    )
    assert f"Không tìm thấy đơn vị “{hidden.code}” trong phạm vi" in response.content.decode()
    # Names without diacritics, separated by “;”, and codes alike (the unit picker).
    response = admin.post(url, succession_data(predecessors="thon a; thon b", successors=b.code))
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.valid_to == dt.date(2025, 12, 31)
    succession = Succession.objects.get(resolution_number="15/NQ-HĐND")
    assert set(succession.predecessors.all()) == {a, b}


def test_succession_refusal_from_the_service_is_shown(commune: Unit) -> None:
    a = village_of(commune, "Thôn A")
    admin = client_for(make_user("unitadmin", Role.UNIT_ADMIN, commune))
    response = admin.post(
        reverse("units:succession", args=[a.code]),
        succession_data(predecessors=a.code, successors=commune.code),
    )
    assert response.status_code == 400
    assert Succession.objects.filter(resolution_number="15/NQ-HĐND").count() == 0


def test_succession_needs_the_right(commune: Unit) -> None:
    url = reverse("units:succession", args=[commune.code])
    assert client_for(make_user("officer", Role.OFFICER, commune)).get(url).status_code == 403
    cast = build_cast(commune, role=Role.UNIT_ADMIN)
    walk(cast, url, expect=READ_SCOPED)


# -- officials and the steering committee --------------------------------------------


def test_official_create_and_edit(commune: Unit, sibling_commune: Unit) -> None:
    officer = make_user("officer", Role.OFFICER, commune)
    client = client_for(officer)
    response = client.post(
        reverse("units:official_create", args=[commune.code]),
        {"full_name": "Phạm Thị Mới", "position": "Phó Chủ tịch", "term_start": "01/07/2025"},
    )
    assert response.status_code == 302
    official = Official.objects.get(full_name="Phạm Thị Mới")
    assert official.unit == commune
    assert official.term_start == dt.date(2025, 7, 1)
    url = reverse("units:official_edit", args=[official.pk])
    response = client.post(
        url,
        {
            "full_name": "Phạm Thị Mới",
            "position": "Chủ tịch",
            "term_start": "01/07/2025",
            "term_end": "01/01/2025",
        },
    )
    assert response.status_code == 400
    assert "Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu." in response.content.decode()
    response = client.post(url, {"full_name": "Phạm Thị Mới", "position": "Chủ tịch"})
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.position == "Chủ tịch"
    other = client_for(make_user("other", Role.OFFICER, sibling_commune))
    assert other.get(url).status_code == 404
    assert other.get(reverse("units:official_create", args=[commune.code])).status_code == 404


def test_steering_member_added_and_ended(commune: Unit) -> None:
    official = official_of(commune, "Nguyễn Văn Cùng")
    client = client_for(make_user("officer", Role.OFFICER, commune))
    url = reverse("units:steering_add", args=[commune.code])
    data = {"official": str(official.pk), "role": "head", "start_date": "01/08/2025"}
    assert client.post(url, data).status_code == 302
    member = SteeringCommitteeMember.objects.get(level=commune, official=official)
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Cán bộ này đã là thành viên Ban Chỉ đạo." in response.content.decode()
    end = reverse("units:steering_end", args=[member.pk])
    assert client.get(end).status_code == 405
    assert client.post(end, {"end_date": "31/01/2026"}).status_code == 302
    member.refresh_from_db()
    assert member.end_date == dt.date(2026, 1, 31)


def test_steering_pages_only_for_levels(commune: Unit) -> None:
    village = village_of(commune)
    client = client_for(make_user("officer", Role.OFFICER, commune))
    assert client.get(reverse("units:steering_add", args=[village.code])).status_code == 404
    assert client.get(reverse("units:steering_add", args=[commune.code])).status_code == 200


# --- ended units are read-only (issue 11) -----------------------------------------------


def test_a_successor_officer_cannot_rename_the_ended_unit(thai_nguyen: Unit) -> None:
    """Thái Nguyên's officers read Bắc Kạn's history; they may not rename it."""
    bac_kan = Unit.objects.get(code="06")
    officer = make_user("tn-can-bo", Role.OFFICER, thai_nguyen)
    client = client_for(officer)
    detail = client.get(reverse("units:detail", args=[bac_kan.code]))
    assert detail.status_code == 200  # reading the history is unchanged
    assert reverse("units:edit", args=[bac_kan.code]) not in detail.content.decode()
    url = reverse("units:edit", args=[bac_kan.code])
    for response in (client.get(url), client.post(url, {"name": "Bắc Kạn (sửa)"})):
        assert response.status_code == 403
        text = response.content.decode()
        assert "đã kết thúc hoạt động từ ngày 30/06/2025" in text
        assert "chỉ để xem" in text
    bac_kan.refresh_from_db()
    assert bac_kan.name == "Bắc Kạn"
