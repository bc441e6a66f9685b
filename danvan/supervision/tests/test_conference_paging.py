"""A province's conference page stays bounded: the gaps (agencies and enterprises short
of their conferences) and the schedule are paged, each with its own page number, their
totals above them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import Role
from danvan.accounts.testing import login_verified, make_user
from danvan.supervision.views import GAPS_PER_PAGE
from danvan.units.models import Unit
from danvan.units.services import unit_create

pytestmark = pytest.mark.django_db


def test_gaps_are_paged_with_their_own_page_number(thai_nguyen: Unit) -> None:
    for i in range(GAPS_PER_PAGE + 3):
        unit_create(actor=None, parent=thai_nguyen, kind="agency", name=f"Sở số {i:02d}")
    client = Client()
    login_verified(client, make_user("tinh-giamsat", Role.LEADER, thai_nguyen))
    url = reverse("supervision:conferences")
    first = client.get(url, {"unit": thai_nguyen.code, "year": "2025"})
    html = first.content.decode()
    assert first.status_code == 200
    assert html.count('<tr class="gap">') == GAPS_PER_PAGE
    assert f"{GAPS_PER_PAGE + 3} hội nghị chưa tổ chức đủ" in html
    assert "gaps_page=2" in html
    second = client.get(url, {"unit": thai_nguyen.code, "year": "2025", "gaps_page": "2"})
    body = second.content.decode()
    assert body.count('<tr class="gap">') == 3
    assert "Sở số 27" in body
    assert "Sở số 00" not in body
