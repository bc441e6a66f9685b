"""A province's reception page stays bounded: the leaders short of their reception days
are counted at the top and listed a page at a time (their own page number)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import Role
from danvan.accounts.testing import login_verified, make_user
from danvan.cases.models import ReceptionSchedule
from danvan.cases.reception.views import SHORTFALLS_PER_PAGE
from danvan.units.models import Official, Unit

pytestmark = pytest.mark.django_db


def test_shortfalls_are_counted_and_paged(thai_nguyen: Unit) -> None:
    communes = list(Unit.objects.filter(parent=thai_nguyen, kind="commune").order_by("path"))
    n = SHORTFALLS_PER_PAGE + 2
    for commune in communes[:n]:
        chair = Official.objects.create(unit=commune, full_name="Chủ tịch", position="Chủ tịch")
        # A weekly reception day, never held: every week of the month falls short.
        ReceptionSchedule.objects.create(
            unit=commune,
            leader=chair,
            duty="reception_commune_chair",
            pattern="weekly",
            day=2,
            place="Trụ sở",
            valid_from=dt.date(2025, 1, 1),
        )
    client = Client()
    login_verified(client, make_user("tinh-tiepdan", Role.LEADER, thai_nguyen))
    url = reverse("reception:index")
    html = client.get(url, {"unit": thai_nguyen.code, "month": "03/2026"}).content.decode()
    assert f"{n} lịch tiếp công dân chưa đủ" in html
    assert html.count("<strong>Chủ tịch</strong>") == SHORTFALLS_PER_PAGE
    assert "shortfalls_page=2" in html
    rest = client.get(url, {"unit": thai_nguyen.code, "month": "03/2026", "shortfalls_page": "2"})
    assert rest.content.decode().count("<strong>Chủ tịch</strong>") == 2
