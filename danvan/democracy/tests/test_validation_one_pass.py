"""Matters and votes with bad input: the form's and the service's errors in one answer
(400), each saying what is allowed; nothing saved; what was typed kept."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import User
from danvan.democracy.models import Matter, Method, Vote
from danvan.units.models import Unit

from .test_views import _today, cast, client_for, matter, officer, village  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_matter_with_a_long_title_and_a_date_to_come(
    officer: User,  # noqa: F811 - fixtures from test_views
    village: Unit,  # noqa: F811
    client_for: Callable[[User], Client],  # noqa: F811
) -> None:
    title = "Góp tiền làm đường " + "x" * 300
    tomorrow = _today() + dt.timedelta(days=1)
    response = client_for(officer).post(
        reverse("democracy:matter_create"),
        {
            "unit": village.code,
            "kind": "contribution",
            "title": title,
            "raised_on": f"{tomorrow:%d/%m/%Y}",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["title"] == [f"Dài tối đa 300 ký tự (bạn đã nhập {len(title)})."]
    assert errors["raised_on"] == [
        f"Ngày {tomorrow:%d/%m/%Y} chưa đến: phải là hôm nay ({_today():%d/%m/%Y}) hoặc một "
        "ngày trước đó."
    ]
    assert not Matter.objects.exists()
    assert title in html.unescape(response.content.decode())


def test_a_vote_before_the_matter_with_an_over_long_place(
    officer: User,  # noqa: F811 - fixtures from test_views
    matter: Matter,  # noqa: F811
    client_for: Callable[[User], Client],  # noqa: F811
) -> None:
    early = matter.raised_on - dt.timedelta(days=1)
    place = "Nhà văn hoá " + "p" * 200
    response = client_for(officer).post(
        reverse("democracy:matter", args=[matter.public_id]),
        {"method": Method.MEETING, "opened_on": f"{early:%d/%m/%Y}", "place": place},
    )
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert f"Dài tối đa 200 ký tự (bạn đã nhập {len(place)})." in page
    assert (
        f"Ngày biểu quyết ({early:%d/%m/%Y}) không được trước ngày đưa ra việc "
        f"({matter.raised_on:%d/%m/%Y})." in page
    )
    assert place in page
    assert not Vote.objects.exists()
