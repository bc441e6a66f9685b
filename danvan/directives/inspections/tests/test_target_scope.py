"""Inspection targets lie in the plan unit's subtree: a unit from outside posted anyway
(its code in the picker's hidden input, as a script or a stale page would send it) is
refused with the Vietnamese message, nothing created, what was typed kept."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.testing import login_verified
from danvan.directives.inspections.models import Inspection, InspectionPlan, InspectionTarget
from danvan.units.models import Unit, UnitKind
from danvan.units.services import unit_create

pytestmark = pytest.mark.django_db


def client_of(user: Any) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def test_inspection_target_picked_from_outside(
    actors: dict[str, Any], plan: InspectionPlan, villages: list[Unit], sibling_commune: Unit
) -> None:
    # The province's officer may manage the sibling commune, but the plan is the commune's.
    response = client_of(actors["parent"]).post(
        reverse("inspections:create", args=[plan.public_id]),
        {
            "title": "Kiểm tra quý III",
            "starts_on": "01/07/2026",
            "ends_on": "10/07/2026",
            "targets": "",
            "targets_pick": [villages[0].code, sibling_commune.code],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"“{sibling_commune.name}” không thuộc “{plan.unit.name}”" in page
    assert "Kiểm tra quý III" in page
    assert "10/07/2026" in page
    assert not Inspection.objects.exists()


def test_one_more_target_picked_from_outside(
    actors: dict[str, Any], inspection: Inspection, sibling_commune: Unit
) -> None:
    before = InspectionTarget.objects.count()
    response = client_of(actors["parent"]).post(
        reverse("inspections:target_add", args=[inspection.public_id]),
        {
            "unit": sibling_commune.name,
            "unit_pick": sibling_commune.code,
            "scheduled_on": "08/04/2026",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"“{sibling_commune.name}” không thuộc “{inspection.plan.unit.name}”" in page
    assert "08/04/2026" in page
    assert InspectionTarget.objects.count() == before


# -- the picker offers only the plan's subtree ---------------------------------------------
#
# The province's officer may manage units all over the province, so without the plan's
# subtree a village of the sibling commune named like one of the plan's own villages
# would be suggested and make a typed name ambiguous.


@pytest.fixture
def namesakes(sibling_commune: Unit) -> list[Unit]:
    """Villages of the sibling commune named like the plan commune's first and third."""
    return [
        unit_create(actor=None, parent=sibling_commune, kind=UnitKind.VILLAGE, name=name)
        for name in ("Thôn 1", "Thôn 3")
    ]


def _suggest_url(page: str, field: str) -> str:
    """The htmx suggestion URL the rendered picker of *field* fetches from."""
    # By its id: the top bar's unit switcher is a picker named "unit" too.
    found = re.search(rf'id="id_{field}"[^>]*hx-get="([^"]+)"', page)
    assert found, f"no picker for {field}"
    return html.unescape(found.group(1))


def _suggested_codes(client: Client, url: str, text: str) -> set[str]:
    # Appended to the URL: the test client's data would replace its query string.
    response = client.get(f"{url}&{urlencode({'q': text})}")
    assert response.status_code == 200
    return set(re.findall(r'data-code="([^"]+)"', response.content.decode()))


def test_suggestions_for_new_inspection_stay_in_the_plan_subtree(
    actors: dict[str, Any], plan: InspectionPlan, villages: list[Unit], namesakes: list[Unit]
) -> None:
    client = client_of(actors["parent"])
    page = client.get(reverse("inspections:create", args=[plan.public_id])).content.decode()
    codes = _suggested_codes(client, _suggest_url(page, "targets"), "thon 1")
    assert villages[0].code in codes
    assert namesakes[0].code not in codes


def test_suggestions_for_one_more_target_stay_in_the_plan_subtree(
    actors: dict[str, Any], inspection: Inspection, villages: list[Unit], namesakes: list[Unit]
) -> None:
    client = client_of(actors["parent"])
    url = reverse("inspections:target_add", args=[inspection.public_id])
    codes = _suggested_codes(client, _suggest_url(client.get(url).content.decode(), "unit"), "thon")
    assert {v.code for v in villages} <= codes
    assert not codes & {n.code for n in namesakes}


def test_typed_name_without_javascript_finds_the_unit_in_the_subtree(
    actors: dict[str, Any], plan: InspectionPlan, villages: list[Unit], namesakes: list[Unit]
) -> None:
    # "Thôn 1" names a village of the plan's commune and one of its sibling: only the
    # first may be inspected, so the typed name resolves to it without a choice.
    response = client_of(actors["parent"]).post(
        reverse("inspections:create", args=[plan.public_id]),
        {
            "title": "Kiểm tra quý III",
            "starts_on": "01/07/2026",
            "ends_on": "10/07/2026",
            "targets": "thon 1",
        },
    )
    assert response.status_code == 302, response.content.decode()
    inspection = Inspection.objects.get(plan=plan, title="Kiểm tra quý III")
    assert [t.unit_id for t in inspection.targets.all()] == [villages[0].pk]


def test_search_without_javascript_lists_only_units_in_the_subtree(
    actors: dict[str, Any], inspection: Inspection, villages: list[Unit], namesakes: list[Unit]
) -> None:
    before = InspectionTarget.objects.count()
    response = client_of(actors["parent"]).post(
        reverse("inspections:target_add", args=[inspection.public_id]),
        {"unit": "thon", "unit_pick": "", "scheduled_on": "09/04/2026"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    listed = set(re.findall(r'name="unit_pick" value="([^"]+)"', page))
    assert {v.code for v in villages} <= listed
    assert not listed & {n.code for n in namesakes}
    assert "09/04/2026" in page
    assert InspectionTarget.objects.count() == before


def test_typed_name_of_a_unit_outside_is_refused(
    actors: dict[str, Any], inspection: Inspection, sibling_commune: Unit
) -> None:
    before = InspectionTarget.objects.count()
    response = client_of(actors["parent"]).post(
        reverse("inspections:target_add", args=[inspection.public_id]),
        {"unit": sibling_commune.name, "scheduled_on": "08/04/2026"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"“{sibling_commune.name}” không thuộc “{inspection.plan.unit.name}”" in page
    assert f'value="{sibling_commune.name}"' in page
    assert InspectionTarget.objects.count() == before
