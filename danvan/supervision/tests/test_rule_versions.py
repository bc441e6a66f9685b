"""New versions of the supervision figures (SupervisionRule), added and checked by system
administrators through the rules page (/quy-dinh/giam-sat/...)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError, PermissionDenied
from danvan.supervision.models import RuleCode, SupervisionRule
from danvan.supervision.rules import services as rule_services
from danvan.supervision.rules.selectors import rule_on
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

ADD = reverse("legal:supervision_rule_add")
CODE = RuleCode.INSPECTION_MIN_MEMBERS  # baseline: 5 members from 01/07/2023
BASELINE_FROM = dt.date(2023, 7, 1)


def client_as(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


@pytest.fixture
def admin() -> User:
    return make_user("quantri", Role.SYSTEM_ADMIN, None)


def add(actor: User | None, **kw: object) -> SupervisionRule:
    params: dict[str, object] = {
        "code": CODE,
        "amount": 7,
        "citation": "Luật sửa đổi Luật Thực hiện dân chủ ở cơ sở",
        "valid_from": dt.date(2026, 7, 1),
    }
    params.update(kw)
    return rule_services.rule_version_add(actor=actor, **params)  # type: ignore[arg-type]


def test_a_new_version_ends_the_old_one_and_the_lookup_follows_the_day(admin: User) -> None:
    response = client_as(admin).post(
        ADD,
        {
            "code": CODE,
            "amount": 7,
            "citation": "Luật sửa đổi Luật Thực hiện dân chủ ở cơ sở",
            "valid_from": "01/07/2026",
            "to_verify": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("legal:rules")
    old = SupervisionRule.objects.get(code=CODE, valid_from=BASELINE_FROM)
    assert old.valid_to == dt.date(2026, 6, 30)
    assert rule_on(CODE, dt.date(2026, 6, 30)).pk == old.pk
    new = rule_on(CODE, dt.date(2026, 7, 1))
    assert (new.amount, new.to_verify, new.valid_to) == (7, True, None)
    events = AuditEvent.objects.filter(model_label="supervision.supervisionrule", actor=admin)
    assert events.filter(action="create", object_pk=str(new.pk)).exists()
    assert events.get(action="update", object_pk=str(old.pk)).changes == {
        "valid_to": [None, "2026-06-30"]
    }
    # The other figures keep their versions.
    other = RuleCode.INVESTMENT_MAX_DEPUTIES
    assert rule_on(other, dt.date(2026, 7, 1)).valid_to is None


def test_a_figure_without_versions_gets_its_first(admin: User) -> None:
    SupervisionRule.objects.filter(code=CODE).delete()
    rule = add(admin, amount=0)
    assert rule_on(CODE, dt.date(2026, 7, 1)).pk == rule.pk
    with pytest.raises(DomainError):
        rule_on(CODE, dt.date(2026, 6, 30))


def test_overlapping_versions_are_refused_and_nothing_is_written(admin: User) -> None:
    add(admin)
    count, events = SupervisionRule.objects.count(), AuditEvent.objects.count()
    for day in (dt.date(2026, 7, 1), dt.date(2025, 1, 1), BASELINE_FROM):
        with pytest.raises(DomainError) as exc:
            add(admin, amount=9, valid_from=day)
        assert exc.value.field == "valid_from"
        assert exc.value.code == rule_services.RuleVersionError.OVERLAP
    bad = client_as(admin).post(
        ADD, {"code": CODE, "amount": 9, "citation": "X", "valid_from": "01/07/2026"}
    )
    assert bad.status_code == 400
    assert "Đã có phiên bản quy định hiệu lực từ ngày 01/07/2026" in bad.content.decode()
    assert SupervisionRule.objects.count() == count
    assert AuditEvent.objects.count() == events
    assert rule_on(CODE, dt.date(2026, 7, 1)).amount == 7


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"citation": ""}, "citation"),
        ({"amount": -1}, "amount"),
        ({"amount": 1001}, "amount"),
        ({"code": "unknown"}, "code"),
    ],
)
def test_bad_versions_are_refused(admin: User, changes: dict[str, object], field: str) -> None:
    count = SupervisionRule.objects.count()
    with pytest.raises(DomainError) as exc:
        add(admin, **changes)
    assert exc.value.field == field
    assert SupervisionRule.objects.count() == count
    assert SupervisionRule.objects.get(code=CODE, valid_from=BASELINE_FROM).valid_to is None


def test_only_system_admins_add_or_check_figures(commune: Unit, officer: User) -> None:
    unit_admin = make_user("qtxa", Role.UNIT_ADMIN, commune)
    flagged = SupervisionRule.objects.filter(to_verify=True).first()
    assert flagged is not None
    verified = reverse("legal:supervision_rule_verified", args=[flagged.pk])
    count = SupervisionRule.objects.count()
    data = {"code": CODE, "amount": 7, "citation": "X", "valid_from": "01/07/2026"}
    for user in (officer, unit_admin):
        client = client_as(user)
        assert client.get(ADD).status_code == 403
        assert client.post(ADD, data).status_code == 403
        assert client.post(verified).status_code == 403
        with pytest.raises(PermissionDenied):
            add(user)
        with pytest.raises(PermissionDenied):
            rule_services.rule_mark_verified(actor=user, rule=flagged)
    assert SupervisionRule.objects.count() == count
    flagged.refresh_from_db()
    assert flagged.to_verify is True


def test_marking_a_figure_verified(admin: User) -> None:
    flagged = SupervisionRule.objects.filter(to_verify=True).first()
    assert flagged is not None
    response = client_as(admin).post(reverse("legal:supervision_rule_verified", args=[flagged.pk]))
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.to_verify is False
    event = AuditEvent.objects.get(
        model_label="supervision.supervisionrule",
        action="update",
        object_pk=str(flagged.pk),
        actor=admin,
    )
    assert event.changes == {"to_verify": [True, False]}
