"""The demo year of cases: real services, some overdue, identities protected."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from danvan.accounts.models import User
from danvan.cases import demo, services
from danvan.cases.models import Alert, Case, Commitment, ReceptionSession, Status
from danvan.cases.reception.selectors import reception_shortfalls
from danvan.core.errors import PermissionDenied
from danvan.demo.services import demo_seed_base

pytestmark = pytest.mark.django_db


def test_demo_year_of_cases_is_idempotent_and_has_overdue_cases() -> None:
    demo_seed_base()
    result = demo.demo_seed_cases(per_unit=12)
    # 12 per unit, plus one in four reception sessions left a written case.
    assert result.cases == 48 + result.sessions // 4
    assert Case.objects.count() == result.cases
    assert Case.objects.filter(reception_session__isnull=False).count() == result.sessions // 4
    assert result.sessions > 40  # a commune chair weekly, a province chair monthly
    assert result.dialogues == 3
    assert Commitment.objects.filter(state="open").exists()
    # Some missed weeks, so the minimum-days warning has something to say.
    officer = User.objects.get(username="xa.canbo")
    commune = officer.grants.get(role="officer").unit
    assert commune is not None
    today = timezone.localdate()
    months = {(today - dt.timedelta(days=30 * n)).replace(day=1) for n in range(1, 12)}
    assert any(
        reception_shortfalls(user=officer, unit=commune, year=m.year, month=m.month) for m in months
    )
    assert Case.objects.filter(alert=Alert.OVERDUE).count() == result.overdue > 0
    assert Case.objects.filter(status=Status.RESOLVED).exists()
    assert demo.demo_seed_cases(per_unit=12).cases == 0
    assert Case.objects.count() == result.cases
    assert ReceptionSession.objects.count() == result.sessions
    denunciation = Case.objects.filter(kind="denunciation").select_related("unit").first()
    assert denunciation is not None
    handler = denunciation.handler
    assert handler is not None
    assert services.identity_view(actor=handler, case=denunciation).full_name
    with pytest.raises(PermissionDenied):
        services.identity_view(actor=User.objects.get(username="tinh.lanhdao"), case=denunciation)
