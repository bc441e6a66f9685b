"""The demo year of cases: real services, some overdue, identities protected."""

from __future__ import annotations

import pytest

from danvan.accounts.models import User
from danvan.cases import demo, services
from danvan.cases.models import Alert, Case, Status
from danvan.core.errors import PermissionDenied
from danvan.units import demo as units_demo

pytestmark = pytest.mark.django_db


def test_demo_year_of_cases_is_idempotent_and_has_overdue_cases() -> None:
    units_demo.demo_seed()
    result = demo.demo_seed_cases(per_unit=12)
    assert result.cases == 48
    assert Case.objects.count() == 48
    assert Case.objects.filter(alert=Alert.OVERDUE).count() == result.overdue > 0
    assert Case.objects.filter(status=Status.RESOLVED).exists()
    assert demo.demo_seed_cases(per_unit=12).cases == 0
    assert Case.objects.count() == 48
    denunciation = Case.objects.filter(kind="denunciation").select_related("unit").first()
    assert denunciation is not None
    handler = denunciation.handler
    assert handler is not None
    assert services.identity_view(actor=handler, case=denunciation).full_name
    with pytest.raises(PermissionDenied):
        services.identity_view(actor=User.objects.get(username="tinh.lanhdao"), case=denunciation)
