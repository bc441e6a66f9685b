from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from vietnam_provinces import Province, Ward

from danvan.accounts.models import Role, User
from danvan.accounts.testing import API_READ_SCOPED, Cast, make_user, walk
from danvan.units import selectors
from danvan.units.models import Unit, UnitKind

from .helpers import assert_problem, bearer

pytestmark = pytest.mark.django_db

LIST = "/api/v1/units"


@pytest.fixture
def admin_headers(system_admin: User) -> dict[str, str]:
    return bearer(system_admin)


def get(client: Client, url: str, headers: dict[str, str], **params: Any) -> Any:
    response = client.get(url, params, headers=headers)
    assert response.status_code == 200, response.content
    return response.json()


def codes(body: dict[str, Any]) -> list[str]:
    return [item["code"] for item in body["items"]]


# --- the whole country, as the package knows it ---------------------------------


def test_province_count_matches_the_package(client: Client, admin_headers: dict) -> None:
    body = get(client, LIST, admin_headers, kind="province", limit=1)
    assert body["count"] == len(list(Province.iter_all()))


def test_commune_count_matches_the_package(client: Client, admin_headers: dict) -> None:
    body = get(client, LIST, admin_headers, kind="commune", limit=1)
    assert body["count"] == len(list(Ward.iter_all()))


def test_items_carry_every_field(client: Client, admin_headers: dict, commune: Unit) -> None:
    body = get(client, LIST, admin_headers, code=commune.code)
    assert body["count"] == 1
    assert body["items"] == [
        {
            "code": commune.code,
            "name": commune.name,
            "kind": commune.kind,
            "kind_label": str(UnitKind(commune.kind).label),
            "division_type": commune.division_type,
            "parent_code": commune.parent.code if commune.parent else None,
            "households": commune.households,
            "valid_from": commune.valid_from.isoformat() if commune.valid_from else None,
            "valid_to": None,
            "is_historical": False,
        }
    ]


def test_include_historical_adds_bac_kan(client: Client, admin_headers: dict) -> None:
    current = get(client, LIST, admin_headers, kind="province", limit=500)
    everything = get(
        client, LIST, admin_headers, kind="province", include_historical="true", limit=500
    )
    historical = Unit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=False)
    assert "06" in historical.values_list("code", flat=True)
    assert "06" not in codes(current)
    assert "06" in codes(everything)
    assert everything["count"] == current["count"] + historical.count()
    bac_kan = next(item for item in everything["items"] if item["code"] == "06")
    valid_to = Unit.objects.get(code="06").valid_to
    assert valid_to is not None
    assert bac_kan["is_historical"] is True
    assert bac_kan["valid_to"] == valid_to.isoformat()


def test_search_ignores_diacritics(client: Client, admin_headers: dict) -> None:
    plain = get(client, LIST, admin_headers, q="dong da", limit=500)
    marked = get(client, LIST, admin_headers, q="Đống Đa", limit=500)
    upper = get(client, LIST, admin_headers, q="ĐỐNG ĐA", limit=500)
    assert plain == marked == upper
    assert "Phường Đống Đa" in [item["name"] for item in plain["items"]]
    assert plain["count"] == len(plain["items"])


def test_parent_filter_lists_the_children(
    client: Client, admin_headers: dict, thai_nguyen: Unit
) -> None:
    body = get(client, LIST, admin_headers, parent=thai_nguyen.code, limit=500)
    expected = Unit.objects.filter(parent=thai_nguyen, valid_to__isnull=True)
    assert body["count"] == expected.count()
    assert set(codes(body)) == set(expected.values_list("code", flat=True))
    assert {item["parent_code"] for item in body["items"]} == {thai_nguyen.code}


def test_parent_filter_combines_with_kind(
    client: Client, admin_headers: dict, thai_nguyen: Unit
) -> None:
    body = get(client, LIST, admin_headers, parent=thai_nguyen.code, kind="province")
    assert body == {"items": [], "count": 0}


def test_unknown_parent_is_a_problem(client: Client, admin_headers: dict) -> None:
    response = client.get(LIST, {"parent": "no-such-unit"}, headers=admin_headers)
    body = assert_problem(response, 404, "parent_not_found")
    assert body["detail"] == "Không tìm thấy đơn vị cha mã “no-such-unit”."


def test_pagination_limit_and_offset(client: Client, admin_headers: dict) -> None:
    first = get(client, LIST, admin_headers, kind="commune", limit=10, offset=0)
    second = get(client, LIST, admin_headers, kind="commune", limit=5, offset=5)
    assert len(first["items"]) == 10
    assert second["items"] == first["items"][5:10]
    assert first["count"] == second["count"] == Unit.objects.filter(kind="commune").count()
    default = get(client, LIST, admin_headers, kind="commune")
    assert len(default["items"]) == settings.NINJA_PAGINATION_PER_PAGE
    past_the_end = get(client, LIST, admin_headers, kind="province", offset=first["count"])
    assert past_the_end["items"] == []


def test_limit_above_the_maximum_is_refused(client: Client, admin_headers: dict) -> None:
    too_many = settings.NINJA_PAGINATION_MAX_LIMIT + 1
    response = client.get(LIST, {"limit": too_many}, headers=admin_headers)
    body = assert_problem(response, 422, "validation_error")
    assert [e["field"] for e in body["errors"]] == ["limit"]


def test_list_runs_a_constant_number_of_queries(
    client: Client,
    admin_headers: dict,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    get(client, LIST, admin_headers, limit=1)  # the token's first use writes last_used_at
    seen = []
    for limit in (1, settings.NINJA_PAGINATION_MAX_LIMIT):
        with CaptureQueriesContext(connection) as queries:
            body = get(client, LIST, admin_headers, kind="commune", limit=limit)
        assert len(body["items"]) == limit
        seen.append(len(queries))
    assert seen[0] == seen[1], seen
    # Token, grants, count, page.
    with django_assert_max_num_queries(4):
        get(client, LIST, admin_headers, kind="commune", limit=settings.NINJA_PAGINATION_MAX_LIMIT)


# --- bad input --------------------------------------------------------------------


def test_unknown_kind_is_a_validation_problem(client: Client, admin_headers: dict) -> None:
    response = client.get(LIST, {"kind": "tinh"}, headers=admin_headers)
    body = assert_problem(response, 422, "validation_error")
    assert body["detail"] == "Dữ liệu không hợp lệ."
    [error] = body["errors"]
    assert (error["location"], error["field"], error["code"]) == ("query", "kind", "enum")
    assert "“tinh” không hợp lệ" in error["message"]
    for kind in UnitKind.values:
        assert kind in error["message"]


def test_bad_boolean_is_a_validation_problem(client: Client, admin_headers: dict) -> None:
    response = client.get(LIST, {"include_historical": "perhaps"}, headers=admin_headers)
    body = assert_problem(response, 422, "validation_error")
    assert [(e["field"], e["message"]) for e in body["errors"]] == [
        ("include_historical", "Phải là true hoặc false.")
    ]


def test_unknown_code_is_a_problem(client: Client, admin_headers: dict) -> None:
    response = client.get(f"{LIST}/99999999", headers=admin_headers)
    body = assert_problem(response, 404, "unit_not_found")
    assert body["detail"] == "Không tìm thấy đơn vị mã “99999999”."


def test_unknown_api_path_is_a_problem(client: Client, admin_headers: dict) -> None:
    response = client.get("/api/v1/no-such-thing", headers=admin_headers)
    assert_problem(response, 404, "endpoint_not_found")


# --- detail ---------------------------------------------------------------------


def test_bac_kan_detail_shows_its_successor(
    client: Client, admin_headers: dict, thai_nguyen: Unit
) -> None:
    body = get(client, f"{LIST}/06", admin_headers)
    bac_kan = Unit.objects.get(code="06")
    assert body["name"] == bac_kan.name
    assert body["is_historical"] is True
    expected = [{"code": u.code, "name": u.name} for u in selectors.unit_successors(bac_kan)]
    assert body["successors"] == expected
    assert {"code": thai_nguyen.code, "name": thai_nguyen.name} in body["successors"]
    assert body["restated_as"] == [{"code": thai_nguyen.code, "name": thai_nguyen.name}]


def test_province_detail(client: Client, admin_headers: dict, thai_nguyen: Unit) -> None:
    body = get(client, f"{LIST}/{thai_nguyen.code}", admin_headers)
    assert body["parent"] is None
    assert body["parent_code"] is None
    assert body["children_count"] == thai_nguyen.children.filter(valid_to__isnull=True).count()
    assert body["successors"] == []
    assert body["restated_as"] == [{"code": thai_nguyen.code, "name": thai_nguyen.name}]


def test_commune_detail_names_its_parent(
    client: Client, admin_headers: dict, commune: Unit, thai_nguyen: Unit
) -> None:
    body = get(client, f"{LIST}/{commune.code}", admin_headers)
    assert body["parent"] == {"code": thai_nguyen.code, "name": thai_nguyen.name}
    assert body["parent_code"] == thai_nguyen.code
    assert body["children_count"] == commune.children.filter(valid_to__isnull=True).count()


def test_children_count_only_counts_what_the_actor_sees(
    client: Client, commune: Unit, thai_nguyen: Unit
) -> None:
    officer = make_user("officer-children", Role.OFFICER, commune)
    body = get(client, f"{LIST}/{thai_nguyen.code}", bearer(officer))
    # The province is visible as the commune's ancestor, but of its children only
    # the officer's own commune is.
    assert body["children_count"] == 1
    assert thai_nguyen.children.count() > 1


# --- access walk ------------------------------------------------------------------


def test_detail_access_walk(access_cast: Callable[..., Cast], commune: Unit) -> None:
    walk(access_cast(commune), f"{LIST}/{commune.code}", expect=API_READ_SCOPED, api=True)


def test_list_access_walk(access_cast: Callable[..., Cast], commune: Unit) -> None:
    cast = access_cast(commune)
    url = f"{LIST}?code={commune.code}"
    # A list answers every signed-in actor; what differs is what it holds.
    walk(cast, url, expect={**API_READ_SCOPED, "sibling": 200}, api=True)
    for actor, sees in {"same": True, "sibling": False, "parent": True, "admin": True}.items():
        body = Client().get(url, headers=cast.api_headers(actor)).json()
        assert (commune.code in codes(body)) is sees, actor
        assert body["count"] == (1 if sees else 0), actor


def test_sibling_officer_lists_only_own_subtree(
    access_cast: Callable[..., Cast], commune: Unit, thai_nguyen: Unit
) -> None:
    cast = access_cast(commune)
    headers = cast.api_headers("sibling")
    sibling_user = cast.users["sibling"]
    assert sibling_user is not None
    body = get(Client(), LIST, headers, kind="commune", limit=500)
    assert commune.code not in codes(body)
    own = sibling_user.grants.get().unit
    assert own is not None
    assert codes(body) == [own.code]
    # Under the shared parent the sibling still sees only its own commune.
    children = get(Client(), LIST, headers, parent=thai_nguyen.code, limit=500)
    assert codes(children) == [own.code]


def test_invisible_parent_answers_like_a_missing_one(
    access_cast: Callable[..., Cast], commune: Unit
) -> None:
    cast = access_cast(commune)
    response = Client().get(LIST, {"parent": commune.code}, headers=cast.api_headers("sibling"))
    body = assert_problem(response, 404, "parent_not_found")
    missing = Client().get(LIST, {"parent": "nope"}, headers=cast.api_headers("sibling")).json()
    assert body["title"] == missing["title"]
    assert body["detail"] == f"Không tìm thấy đơn vị cha mã “{commune.code}”."
