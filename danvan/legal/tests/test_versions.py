"""New versions of the recurring duties (DutyRule) and the rules page's sections for the
other rule data: who may add and check versions, and what a version does to the lookups."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import User
from danvan.accounts.testing import login_verified, make_user
from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError, PermissionDenied
from danvan.legal import services
from danvan.legal.duties import duty_rule
from danvan.legal.models import DeadlineRule, DocumentLayout, DutyRule
from danvan.supervision.models import SupervisionRule
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

RULES = reverse("legal:rules")
DUTY_ADD = reverse("legal:duty_add")
SUPERVISION_ADD = reverse("legal:supervision_rule_add")
DIALOGUE = "dialogue_announce"  # baseline: 7 days before, from 16/06/2025
RECEPTION = "reception_commune_chair"  # baseline: 1 day a week, from 01/07/2014


def client_as(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


@pytest.fixture
def admin() -> User:
    return make_user("sa", "system_admin", None)


@pytest.fixture
def unit_admin(thai_nguyen: Unit) -> User:
    return make_user("ua", "unit_admin", thai_nguyen)


def add_duty(actor: User | None, **kw: object) -> DutyRule:
    params: dict[str, object] = {
        "duty": DIALOGUE,
        "amount": 10,
        "measure": "days_before",
        "citation": "Luật 72/2025/QH15 (sửa đổi), Điều 43",
        "valid_from": dt.date(2026, 7, 1),
    }
    params.update(kw)
    return services.duty_version_add(actor=actor, **params)  # type: ignore[arg-type]


def test_a_new_duty_version_ends_the_old_one_the_day_before(admin: User) -> None:
    response = client_as(admin).post(
        DUTY_ADD,
        {
            "duty": DIALOGUE,
            "amount": 10,
            "measure": "days_before",
            "citation": "Luật 72/2025/QH15 (sửa đổi), Điều 43",
            "valid_from": "01/07/2026",
            "note": "Thông báo sớm hơn",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == RULES
    old = DutyRule.objects.get(duty=DIALOGUE, valid_from=dt.date(2025, 6, 16))
    assert old.valid_to == dt.date(2026, 6, 30)
    # The day before the new version the old figure applies; from its first day, the new.
    assert duty_rule(DIALOGUE, on=dt.date(2026, 6, 30)).amount == 7
    assert duty_rule(DIALOGUE, on=dt.date(2026, 7, 1)).amount == 10
    new = duty_rule(DIALOGUE, on=dt.date(2030, 1, 1))
    assert new.note == "Thông báo sớm hơn"
    assert new.valid_to is None
    # Both writes are in the audit trail, with the acting administrator.
    events = AuditEvent.objects.filter(model_label="legal.dutyrule", actor=admin)
    assert events.filter(action="create", object_pk=str(new.pk)).exists()
    closed = events.get(action="update", object_pk=str(old.pk))
    assert closed.changes["valid_to"] == [None, "2026-06-30"]
    # Other duties are untouched.
    assert DutyRule.objects.get(duty=RECEPTION).valid_to is None


def test_a_version_on_or_before_a_later_one_is_refused_and_nothing_is_written(
    admin: User,
) -> None:
    add_duty(admin)
    count, events = DutyRule.objects.count(), AuditEvent.objects.count()
    for day in (dt.date(2026, 7, 1), dt.date(2026, 1, 1)):
        with pytest.raises(DomainError) as exc:
            add_duty(admin, amount=12, valid_from=day)
        assert exc.value.field == "valid_from"
        assert exc.value.code == "duty_overlap"
        assert "01/07/2026" in exc.value.message
    bad = client_as(admin).post(
        DUTY_ADD,
        {
            "duty": DIALOGUE,
            "amount": 12,
            "measure": "days_before",
            "citation": "X",
            "valid_from": "01/03/2026",
        },
    )
    assert bad.status_code == 400
    assert "Đã có phiên bản quy định hiệu lực từ ngày 01/07/2026" in bad.content.decode()
    assert DutyRule.objects.count() == count
    assert AuditEvent.objects.count() == events
    assert DutyRule.objects.get(duty=DIALOGUE, valid_from=dt.date(2025, 6, 16)).valid_to == (
        dt.date(2026, 6, 30)
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"citation": "   "}, "citation"),
        ({"amount": 0}, "amount"),
        ({"amount": 366}, "amount"),
        ({"duty": "nope"}, "duty"),
        ({"measure": "nope"}, "measure"),
    ],
)
def test_bad_duty_versions_are_refused(admin: User, changes: dict[str, object], field: str) -> None:
    count = DutyRule.objects.count()
    with pytest.raises(DomainError) as exc:
        add_duty(admin, **changes)
    assert exc.value.field == field
    assert DutyRule.objects.count() == count
    assert DutyRule.objects.get(duty=DIALOGUE, valid_from=dt.date(2025, 6, 16)).valid_to is None


def test_only_system_admins_add_and_check_versions(thai_nguyen: Unit, unit_admin: User) -> None:
    officer = make_user("o", "officer", thai_nguyen)
    rule = add_duty(None, to_verify=True)
    supervision = SupervisionRule.objects.filter(to_verify=True).first()
    assert supervision is not None
    count = DutyRule.objects.count()
    for user in (unit_admin, officer):
        client = client_as(user)
        for url in (DUTY_ADD, SUPERVISION_ADD):
            assert client.get(url).status_code == 403
        assert client.post(DUTY_ADD, {"duty": RECEPTION}).status_code == 403
        assert client.post(SUPERVISION_ADD, {"code": "x"}).status_code == 403
        assert client.post(reverse("legal:duty_verified", args=[rule.pk])).status_code == 403
        verified = reverse("legal:supervision_rule_verified", args=[supervision.pk])
        assert client.post(verified).status_code == 403
        with pytest.raises(PermissionDenied):
            add_duty(user, valid_from=dt.date(2027, 1, 1))
        with pytest.raises(PermissionDenied):
            services.duty_mark_verified(actor=user, rule=rule)
    assert Client().get(DUTY_ADD).status_code == 302  # to the login page
    assert DutyRule.objects.count() == count
    rule.refresh_from_db()
    supervision.refresh_from_db()
    assert rule.to_verify
    assert supervision.to_verify
    # The verify actions take POST only.
    admin = make_user("sa2", "system_admin", None)
    assert client_as(admin).get(reverse("legal:duty_verified", args=[rule.pk])).status_code == 405


def test_marking_a_duty_verified_clears_the_flag_and_is_audited(admin: User) -> None:
    rule = add_duty(None, to_verify=True)
    response = client_as(admin).post(reverse("legal:duty_verified", args=[rule.pk]))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.to_verify is False
    event = AuditEvent.objects.get(
        model_label="legal.dutyrule", action="update", object_pk=str(rule.pk), actor=admin
    )
    assert event.changes == {"to_verify": [True, False]}
    missing = client_as(admin).post(reverse("legal:duty_verified", args=[999999]))
    assert missing.status_code == 404


def test_the_rules_page_lists_every_rule_table_and_buttons_for_admins_only(
    admin: User, unit_admin: User
) -> None:
    duty = add_duty(None, to_verify=True)
    flagged = SupervisionRule.objects.filter(to_verify=True)
    assert flagged.exists()
    count = (
        DeadlineRule.objects.filter(to_verify=True).count()
        + DutyRule.objects.filter(to_verify=True).count()
        + flagged.count()
        + DocumentLayout.objects.filter(to_verify=True).count()
    )
    buttons = [
        reverse("legal:duty_add"),
        reverse("legal:supervision_rule_add"),
        reverse("legal:duty_verified", args=[duty.pk]),
        *(reverse("legal:supervision_rule_verified", args=[s.pk]) for s in flagged),
    ]
    for user, sees_buttons in ((unit_admin, False), (admin, True)):
        page = client_as(user).get(RULES)
        assert page.status_code == 200
        body = page.content.decode()
        assert "Quy định giám sát, kiểm tra" in body
        for rule in SupervisionRule.objects.all():
            assert rule.get_code_display() in body
        assert "Ban TTND: số thành viên tối thiểu" in body
        assert "Luật Thực hiện dân chủ ở cơ sở" in body
        assert reverse("disclosure:catalogue") in body
        assert "Danh mục nội dung công khai" in body
        assert page.context["to_verify_count"] == count
        assert f"{count} quy định cần đối chiếu" in body
        for url in buttons:
            assert (f'"{url}"' in body) is sees_buttons, url


def test_the_form_pages_render_for_admins(admin: User) -> None:
    client = client_as(admin)
    for url in (DUTY_ADD, SUPERVISION_ADD):
        page = client.get(url)
        assert page.status_code == 200
        assert 'name="valid_from"' in page.content.decode()
        assert 'placeholder="dd/mm/yyyy"' in page.content.decode()
