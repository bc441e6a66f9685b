"""The dashboard shows real counts for the current unit, in a constant number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.accounts import policies
from danvan.accounts.models import Role
from danvan.accounts.selectors import SESSION_UNIT_KEY
from danvan.accounts.testing import login_verified, make_user
from danvan.units import services as unit_services
from danvan.units.models import Official, Unit, UnitKind

pytestmark = pytest.mark.django_db


def _expected(root: Unit | None) -> dict[str, object]:
    """What the database says, computed independently of the dashboard's selector."""
    current = Unit.objects.filter(valid_to__isnull=True)
    officials = Official.objects.all()
    if root is not None:
        current = current.filter(path__startswith=root.path).exclude(pk=root.pk)
        officials = officials.filter(unit__path__startswith=root.path)
    return {
        "counts": {kind: current.filter(kind=kind).count() for kind in UnitKind.values},
        "households": current.filter(kind=UnitKind.VILLAGE).aggregate(n=Sum("households"))["n"]
        or 0,
        "officials": officials.count(),
    }


@pytest.fixture
def populated(thai_nguyen: Unit, commune: Unit, sibling_commune: Unit) -> dict[str, Unit]:
    """Villages, organizations and officials in two communes of Thái Nguyên."""
    made: dict[str, Unit] = {}
    for parent, tag, households in ((commune, "a", (120, 85)), (sibling_commune, "b", (64,))):
        for i, n in enumerate(households):
            made[f"village-{tag}{i}"] = unit_services.unit_create(
                actor=None,
                parent=parent,
                kind=UnitKind.VILLAGE,
                name=f"Thôn {tag}{i}",
                households=n,
            )
        front = unit_services.unit_create(
            actor=None, parent=parent, kind=UnitKind.FRONT, name=f"Ủy ban MTTQ {tag}"
        )
        unit_services.official_create(
            actor=None, unit=front, full_name=f"Chủ tịch MTTQ {tag}", position="Chủ tịch"
        )
    unit_services.unit_create(
        actor=None, parent=thai_nguyen, kind=UnitKind.AGENCY, name="Sở Nội vụ"
    )
    unit_services.official_create(
        actor=None, unit=commune, full_name="Chủ tịch UBND xã", position="Chủ tịch"
    )
    return made


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/"


def test_commune_officer_sees_the_counts_of_their_commune(
    client: Client, commune: Unit, populated: dict[str, Unit]
) -> None:
    officer = make_user("can-bo-xa", Role.OFFICER, commune)
    login_verified(client, officer)
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    stats = response.context["stats"]
    expected = _expected(commune)
    assert stats.root == commune
    assert stats.counts == expected["counts"]
    assert stats.households == expected["households"] == 205
    assert stats.officials == expected["officials"] == 2
    html = response.content.decode()
    assert commune.name in html
    assert 'id="stat-households">205<' in html
    assert reverse("units:tree") in html


def test_province_officer_sees_the_whole_province(
    client: Client, thai_nguyen: Unit, populated: dict[str, Unit]
) -> None:
    officer = make_user("can-bo-tinh", Role.OFFICER, thai_nguyen)
    login_verified(client, officer)
    stats = client.get(reverse("dashboard:home")).context["stats"]
    expected = _expected(thai_nguyen)
    assert stats.counts == expected["counts"]
    assert (
        stats.counts[UnitKind.COMMUNE]
        == Unit.objects.filter(
            parent=thai_nguyen, kind=UnitKind.COMMUNE, valid_to__isnull=True
        ).count()
    )
    assert stats.counts[UnitKind.PROVINCE] == 0  # the province itself is not "under" itself
    assert stats.households == expected["households"] == 269
    assert stats.officials == expected["officials"] == 3


def test_switching_unit_changes_the_counts(
    client: Client, thai_nguyen: Unit, sibling_commune: Unit, populated: dict[str, Unit]
) -> None:
    officer = make_user("can-bo-tinh", Role.OFFICER, thai_nguyen)
    login_verified(client, officer)
    client.post(reverse("accounts:switch_unit"), {"unit": sibling_commune.code})
    assert client.session[SESSION_UNIT_KEY] == sibling_commune.code
    stats = client.get(reverse("dashboard:home")).context["stats"]
    assert stats.root == sibling_commune
    assert stats.households == _expected(sibling_commune)["households"] == 64


def test_system_admin_without_a_chosen_unit_sees_the_country(
    client: Client, system_admin: object, populated: dict[str, Unit]
) -> None:
    login_verified(client, system_admin)  # type: ignore[arg-type]
    response = client.get(reverse("dashboard:home"))
    assert response.context["national"] is True
    stats = response.context["stats"]
    expected = _expected(None)
    assert stats.root is None
    assert stats.counts == expected["counts"]
    assert stats.counts[UnitKind.PROVINCE] == 34
    assert stats.households == expected["households"]
    assert stats.officials == expected["officials"]


def test_user_without_grants_sees_no_numbers(client: Client) -> None:
    nobody = make_user("chua-phan-quyen")
    login_verified(client, nobody)
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    assert response.context["stats"] is None
    assert "chưa được phân quyền" in response.content.decode()


def test_counts_never_include_what_the_user_may_not_see(
    client: Client, commune: Unit, sibling_commune: Unit, populated: dict[str, Unit]
) -> None:
    officer = make_user("can-bo-xa", Role.OFFICER, commune)
    login_verified(client, officer)
    # Switching to the province (an ancestor, visible for breadcrumbs) still only
    # counts what lies in the officer's own commune.
    client.post(reverse("accounts:switch_unit"), {"unit": commune.parent.code})  # type: ignore[union-attr]
    stats = client.get(reverse("dashboard:home")).context["stats"]
    assert stats.households == 205
    assert stats.counts[UnitKind.COMMUNE] == 1
    assert not policies.has_perm(officer, policies.Perm.UNIT_VIEW, sibling_commune)


@pytest.mark.parametrize("role_unit", ["commune", "thai_nguyen", "national"])
def test_query_count_is_constant(
    client: Client,
    request: pytest.FixtureRequest,
    role_unit: str,
    commune: Unit,
    populated: dict[str, Unit],
    django_assert_max_num_queries: Any,
) -> None:
    if role_unit == "national":
        user = make_user("qt-he-thong", Role.SYSTEM_ADMIN, None)
    else:
        user = make_user(f"can-bo-{role_unit}", Role.OFFICER, request.getfixturevalue(role_unit))
    login_verified(client, user)
    url = reverse("dashboard:home")
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for i in range(6):
        village = unit_services.unit_create(
            actor=None, parent=commune, kind=UnitKind.VILLAGE, name=f"Tổ {i}", households=10
        )
        unit_services.official_create(
            actor=None, unit=village, full_name=f"Trưởng thôn {i}", position="Trưởng thôn"
        )
    # More data, same number of queries; and a bounded number at that: the counts (about
    # 12, with the session save's savepoint pair on SQLite), the list of what needs doing
    # (two per source: worklist/tests checks it does not grow with the items), the leader's
    # child units and trends (one query per month series).
    with django_assert_max_num_queries(48), CaptureQueriesContext(connection) as after:
        response = client.get(url)
    stats = response.context["stats"]
    assert stats.households == _expected(stats.root)["households"]
    assert len(after) == len(before)
