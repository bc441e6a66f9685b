"""The top bar's unit switcher: plain text for one unit, a list for a few, a picker for many."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import Role
from danvan.accounts.services import grant_create
from danvan.accounts.testing import login_verified, make_user
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

SELECT = '<select class="form-select form-select-sm" id="unit-switcher"'
PICKER = 'id="unit-switcher-unit"'
PLAIN = 'class="navbar-text text-white text-truncate mb-0 me-lg-3 dv-working-unit"'


def _top_bar(client: Client) -> str:
    page = client.get(reverse("accounts:profile")).content.decode()
    start = page.index('<div class="dv-navbar-unit">')
    return page[start : page.index("</div>", start)]


def test_one_granted_unit_is_shown_as_plain_text(client: Client, commune: Unit) -> None:
    login_verified(client, make_user("can-bo-xa", Role.OFFICER, commune))
    bar = _top_bar(client)
    assert PLAIN in bar
    assert f"{commune.name}\n</p>" in bar
    assert "Đơn vị làm việc:" in bar  # named for screen readers
    assert SELECT not in bar
    assert PICKER not in bar
    assert "<form" not in bar


def test_several_granted_units_are_a_list(
    client: Client, commune: Unit, sibling_commune: Unit
) -> None:
    officer = make_user("can-bo-hai-xa", Role.OFFICER, commune)
    grant_create(actor=None, user=officer, role=Role.OFFICER, unit=sibling_commune)
    login_verified(client, officer)
    bar = _top_bar(client)
    assert SELECT in bar
    assert bar.count("<option ") == 2
    assert f'<option value="{commune.code}" selected>' in bar
    assert PLAIN not in bar


def test_a_province_grant_keeps_the_picker(client: Client, thai_nguyen: Unit) -> None:
    # One grant, but on a province: its many communes are worth choosing between.
    login_verified(client, make_user("lanh-dao-tinh", Role.LEADER, thai_nguyen))
    bar = _top_bar(client)
    assert PICKER in bar
    assert PLAIN not in bar
    assert SELECT not in bar
