"""Every list page whose unit filter is the unit picker: a name typed without diacritics
picks the unit, an ambiguous one comes back with choices, a unit out of sight is refused
like a missing one, and paging links keep the unit."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import Role
from danvan.accounts.testing import login_verified, make_user
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

# The pages whose unit filter is units.picker.unit_filter or a form's UnitField.
PAGES = [
    "cases:list",
    "cases:overdue",
    "cases:stats",
    "dialogues:list",
    "reception:index",
    "reception:sessions",
    "democracy:matters",
    "democracy:board",
    "disclosure:list",
    "disclosure:compliance",
    "supervision:boards",
    "supervision:conferences",
    "consultation:list",
]


def _typed(unit: Unit) -> str:
    """The unit's name without its kind and diacritics: "duc xuan" for Phường Đức Xuân."""
    return unit.name_folded.split(" ", 1)[1]


@pytest.fixture
def province_client(thai_nguyen: Unit) -> Client:
    client = Client()
    login_verified(client, make_user("tinh-loc", Role.OFFICER, thai_nguyen))
    return client


@pytest.mark.parametrize("name", PAGES)
def test_a_name_without_diacritics_picks_the_unit(
    province_client: Client, commune: Unit, name: str
) -> None:
    response = province_client.get(reverse(name), {"unit": _typed(commune)})
    assert response.status_code == 200, name
    # The statistics page keeps its unit on its tables (None: the nation).
    tables = response.context.get("tables")
    shown = tables.unit if tables is not None else response.context["unit"]
    assert shown == commune
    body = response.content.decode()
    # The filter shows the unit it resolved to, by name, with its code in the hidden input.
    assert f'name="unit_pick" value="{commune.code}"' in body
    assert 'role="combobox"' in body


@pytest.mark.parametrize("name", PAGES)
def test_a_unit_out_of_sight_is_refused_like_a_missing_one(
    commune: Unit, sibling_commune: Unit, name: str
) -> None:
    client = Client()
    login_verified(client, make_user("xa-loc", Role.OFFICER, commune))
    for typed in (sibling_commune.code, _typed(sibling_commune), "khong co don vi nay"):
        response = client.get(reverse(name), {"unit": typed})
        assert response.status_code == 400, (name, typed)
        body = response.content.decode()
        assert f"Không tìm thấy đơn vị “{typed}” trong phạm vi bạn được thao tác" in body
        assert f'value="{typed}"' in body  # what was typed is kept


def test_an_ambiguous_name_offers_choices_on_a_list_page(system_admin) -> None:
    client = Client()
    login_verified(client, system_admin)
    response = client.get(reverse("dialogues:list"), {"unit": "tan lap"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "đơn vị khớp với “tan lap”, hãy chọn một" in body
    chosen = Unit.objects.filter(name_folded="xa tan lap", valid_to__isnull=True).first()
    assert chosen is not None
    assert f'name="unit_pick" value="{chosen.code}"' in body
    response = client.get(reverse("dialogues:list"), {"unit": "tan lap", "unit_pick": chosen.code})
    assert response.status_code == 200
    assert response.context["unit"] == chosen


def test_the_working_unit_is_the_default(commune: Unit) -> None:
    client = Client()
    login_verified(client, make_user("xa-mac-dinh", Role.OFFICER, commune))
    response = client.get(reverse("consultation:list"))
    assert response.status_code == 200
    assert response.context["unit"] == commune
    assert f'name="unit_pick" value="{commune.code}"' in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "cases:list",
        "cases:overdue",
        "cases:stats",
        "dialogues:list",
        "democracy:matters",
        "disclosure:list",
        "supervision:boards",
        "consultation:list",
    ],
)
def test_a_national_user_sees_the_nation_by_default(system_admin, name: str) -> None:
    client = Client()
    login_verified(client, system_admin)
    response = client.get(reverse(name))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chọn đơn vị (gõ tên không cần dấu hoặc mã)" not in body
    # A list (paged, keyset-paged or the statistics' tables), not a prompt for a unit.
    shown = [response.context.get(key) for key in ("page", "rows", "tables")]
    assert any(item is not None for item in shown)


def test_other_unit_filters_take_a_name_without_diacritics(
    province_client: Client, commune: Unit
) -> None:
    """The officials directory, the movement's list and its statistics."""
    typed = {"unit": _typed(commune)}
    response = province_client.get(reverse("units:officials"), typed)
    assert response.status_code == 200
    assert response.context["filter_unit"] == commune
    response = province_client.get(reverse("movement:list"), typed)
    assert response.status_code == 200
    assert response.context["form"].cleaned_data["unit"] == commune
    response = province_client.get(reverse("movement:stats"), typed)
    assert response.status_code == 200
    assert response.context["stats"].unit == commune


def test_an_emptied_filter_shows_the_working_unit(commune: Unit) -> None:
    client = Client()
    login_verified(client, make_user("xa-de-trong", Role.OFFICER, commune))
    response = client.get(reverse("consultation:list"), {"unit": "", "state": ""})
    assert response.status_code == 200
    assert response.context["unit"] == commune
    assert f'name="unit_pick" value="{commune.code}"' in response.content.decode()
