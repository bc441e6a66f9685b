import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import User
from danvan.accounts.testing import login_verified, make_user
from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError, PermissionDenied
from danvan.legal import deadlines, services
from danvan.legal.models import CalendarException, DeadlineRule, DocumentLayout, DutyRule
from danvan.supervision.models import SupervisionRule
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db


def client_as(user: User | None) -> Client:
    client = Client()
    if user is not None:
        login_verified(client, user)
    return client


def test_who_sees_and_who_edits_the_rules(thai_nguyen: Unit) -> None:
    url, add = reverse("legal:rules"), reverse("legal:rule_add")
    officer = make_user("o", "officer", thai_nguyen)
    unit_admin = make_user("ua", "unit_admin", thai_nguyen)
    admin = make_user("sa", "system_admin", None)
    assert client_as(None).get(url).status_code == 302
    # Officers read the rules their deadlines come from (test_rule_readers.py).
    assert client_as(officer).get(url).status_code == 200
    page = client_as(unit_admin).get(url)
    assert page.status_code == 200
    content = page.content.decode()
    # Administrators see every rule's citation and the to-verify flags.
    assert "Luật Tố cáo 2018 (25/2018/QH14), Điều 29" in content
    flagged = DeadlineRule.objects.filter(to_verify=True).count()
    flagged += DutyRule.objects.filter(to_verify=True).count()
    flagged += SupervisionRule.objects.filter(to_verify=True).count()
    flagged += DocumentLayout.objects.filter(to_verify=True).count()
    assert content.count("cần đối chiếu</span>") == flagged
    # The recurring duties (reception days, dialogues) are rule data beside the deadlines.
    assert "Chủ tịch UBND cấp xã tiếp công dân" in content
    assert "Luật Tổ chức chính quyền địa phương 2025, Điều 43" in content
    assert client_as(unit_admin).get(add).status_code == 403
    assert client_as(admin).get(add).status_code == 200


def test_a_new_version_ends_the_old_one_and_is_audited() -> None:
    admin = make_user("sa", "system_admin", None)
    client = client_as(admin)
    response = client.post(
        reverse("legal:rule_add"),
        {
            "case_kind": "complaint",
            "action": "resolve",
            "round": 1,
            "days": 25,
            "day_kind": "calendar",
            "max_extensions": 0,
            "roll_to_working_day": "on",
            "citation": "Luật 136/2025/QH15",
            "valid_from": "01/07/2026",
            "to_verify": "on",
        },
    )
    assert response.status_code == 302
    old = DeadlineRule.objects.get(
        case_kind="complaint", action="resolve", round=1, complex=False, remote=False,
        valid_from=dt.date(2012, 7, 1),
    )  # fmt: skip
    assert old.valid_to == dt.date(2026, 6, 30)
    assert AuditEvent.objects.filter(model_label="legal.deadlinerule", action="create").exists()
    new = deadlines.due_date(
        case_kind="complaint", action="resolve", round=1, start=dt.date(2026, 7, 6)
    )
    assert new.rule.days == 25
    # Adding a version that starts before the newest one is refused; nothing written.
    count = DeadlineRule.objects.count()
    bad = client.post(
        reverse("legal:rule_add"),
        {
            "case_kind": "complaint", "action": "resolve", "round": 1, "days": 20,
            "day_kind": "calendar", "max_extensions": 0, "citation": "X",
            "valid_from": "01/01/2026",
        },
    )  # fmt: skip
    assert bad.status_code == 400
    assert "Đã có phiên bản quy định hiệu lực" in bad.content.decode()
    assert DeadlineRule.objects.count() == count


def test_days_off_change_deadlines_and_only_system_admins_add_them(thai_nguyen: Unit) -> None:
    before = deadlines.due_date(case_kind="letter", action="classify", start=dt.date(2025, 6, 2))
    unit_admin = make_user("ua", "unit_admin", thai_nguyen)
    with pytest.raises(PermissionDenied):
        services.calendar_exception_add(
            actor=unit_admin, date=dt.date(2025, 6, 5), kind="day_off", reason="x"
        )
    admin = make_user("sa", "system_admin", None)
    response = client_as(admin).post(
        reverse("legal:day_add"), {"date": "05/06/2025", "kind": "day_off", "reason": "Nghỉ bù"}
    )
    assert response.status_code == 302
    after = deadlines.due_date(case_kind="letter", action="classify", start=dt.date(2025, 6, 2))
    assert after.due == before.due + dt.timedelta(days=1)
    with pytest.raises(DomainError) as exc:
        services.calendar_exception_add(
            actor=admin, date=dt.date(2025, 6, 5), kind="day_off", reason="lần hai"
        )
    assert exc.value.code == "calendar_duplicate"
    day = CalendarException.objects.get(date=dt.date(2025, 6, 5))
    assert client_as(admin).post(reverse("legal:day_remove", args=[day.pk])).status_code == 302
    assert not CalendarException.objects.exists()


def test_marking_a_rule_verified() -> None:
    admin = make_user("sa", "system_admin", None)
    rule = DeadlineRule.objects.filter(to_verify=True).first()
    assert rule is not None
    client_as(admin).post(reverse("legal:rule_verified", args=[rule.pk]))
    rule.refresh_from_db()
    assert rule.to_verify is False
