"""Operational pages show a rule's "to verify" mark to administrators only
(policies.sees_rule_flags); the officer sees the rule and its citation."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.cases.models import Case
from danvan.legal.models import DeadlineRule
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

MARK = "Cần đối chiếu"


def _page(user: User, url: str) -> str:
    client = Client()
    login_verified(client, user)
    response = client.get(url)
    assert response.status_code == 200
    return str(response.content.decode())


def test_case_detail_shows_the_mark_to_administrators_only(
    officer: User, leader: User, commune: Unit, receive: Callable[..., Case]
) -> None:
    DeadlineRule.objects.update(to_verify=True)
    case = receive(kind="complaint")
    assert case.rule is not None
    url = reverse("cases:detail", kwargs={"public_id": case.public_id})
    for user in (officer, leader):
        html = _page(user, url)
        assert case.rule.citation in html
        assert MARK not in html
        # The citation opens the rule table, which every reader may open.
        assert f'<a href="{reverse("legal:rules")}">{case.rule.citation}</a>' in html
    assert MARK in _page(make_user("ua", Role.UNIT_ADMIN, commune), url)


@pytest.mark.parametrize(
    "template",
    ["cases/dialogues/_citation.html", "supervision/_citation.html"],
)
def test_citations_mark_rules_to_verify_for_administrators_only(
    template: str, commune: Unit
) -> None:
    rule = SimpleNamespace(citation="Luật 10/2022/QH15, Điều 11", to_verify=True)
    officer = make_user("o", Role.OFFICER, commune)
    admin = make_user("ua", Role.UNIT_ADMIN, commune)
    seen = render_to_string(template, {"rule": rule, "user": officer})
    assert "Luật 10/2022/QH15, Điều 11</a>" in seen
    assert "cần đối chiếu" not in seen
    assert "cần đối chiếu" in render_to_string(template, {"rule": rule, "user": admin})


def test_the_disclosure_badge_is_for_administrators_except_in_the_catalogue(
    commune: Unit,
) -> None:
    officer = make_user("o", Role.OFFICER, commune)
    admin = make_user("ua", Role.UNIT_ADMIN, commune)
    badge = "disclosure/_verify_badge.html"
    assert "đối chiếu" not in render_to_string(badge, {"flag": True, "user": officer})
    assert "cần đối chiếu" in render_to_string(badge, {"flag": True, "user": admin})
    reference = render_to_string(badge, {"flag": True, "user": officer, "reference": True})
    assert "cần đối chiếu" in reference
