"""The rule table is the reference every officer works to: readable (flags included) by
every role whose deadlines it sets, editable only by system administrators."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts import policies
from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.legal.models import DeadlineRule, DocumentLayout, DutyRule
from danvan.supervision.models import SupervisionRule
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

RULES = reverse("legal:rules")
READERS = (Role.OFFICER, Role.LEADER, Role.INSPECTOR, Role.REVIEWER, Role.UNIT_ADMIN)


def _client(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def _flagged() -> int:
    return (
        DeadlineRule.objects.filter(to_verify=True).count()
        + DutyRule.objects.filter(to_verify=True).count()
        + SupervisionRule.objects.filter(to_verify=True).count()
        + DocumentLayout.objects.filter(to_verify=True).count()
    )


@pytest.mark.parametrize("role", READERS)
def test_every_working_role_reads_the_rules_with_their_flags_but_edits_nothing(
    role: str, commune: Unit, thai_nguyen: Unit
) -> None:
    unit = commune if role == Role.OFFICER else thai_nguyen
    response = _client(make_user(f"r-{role}", role, unit)).get(RULES)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Luật Tố cáo 2018 (25/2018/QH14), Điều 29" in html
    # The reference shows every flag to every reader.
    assert _flagged() > 0
    assert html.count("cần đối chiếu</span>") == _flagged()
    for name in ("legal:rule_add", "legal:duty_add", "legal:supervision_rule_add", "legal:day_add"):
        assert reverse(name) not in html
    assert "Đã đối chiếu</button>" not in html


def test_the_system_administrator_gets_the_edit_buttons() -> None:
    html = _client(make_user("sa", Role.SYSTEM_ADMIN, None)).get(RULES).content.decode()
    assert reverse("legal:rule_add") in html
    assert reverse("legal:day_add") in html
    assert "Đã đối chiếu</button>" in html


def test_readers_cannot_change_the_rules(commune: Unit) -> None:
    client = _client(make_user("o", Role.OFFICER, commune))
    rule = DeadlineRule.objects.filter(to_verify=True).first()
    assert rule is not None
    assert client.get(reverse("legal:rule_add")).status_code == 403
    assert client.post(reverse("legal:rule_verified", args=[rule.pk])).status_code == 403
    rule.refresh_from_db()
    assert rule.to_verify


def test_a_role_without_working_deadlines_does_not_read_them(commune: Unit) -> None:
    response = _client(make_user("ik", Role.IDENTITY_KEEPER, commune)).get(RULES)
    assert response.status_code == 403
    assert "Bảng quy định dành cho cán bộ" in response.content.decode()


def test_flags_on_operational_pages_are_for_administrators(
    commune: Unit, thai_nguyen: Unit
) -> None:
    assert policies.sees_rule_flags(make_user("sa", Role.SYSTEM_ADMIN, None))
    assert policies.sees_rule_flags(make_user("ua", Role.UNIT_ADMIN, thai_nguyen))
    for role in (Role.OFFICER, Role.LEADER, Role.INSPECTOR, Role.REVIEWER):
        assert not policies.sees_rule_flags(make_user(f"u-{role}", role, commune))
    assert not policies.sees_rule_flags(None)
