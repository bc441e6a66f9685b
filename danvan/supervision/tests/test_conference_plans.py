"""The schedule of agencies' and enterprises' conferences: planned, then recorded as
held (the plan linked), or flagged once the planned day passes with nothing recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.supervision import selectors, services
from danvan.supervision.models import Conference, ConferencePlan
from danvan.units.models import Unit, UnitKind
from danvan.units.services import unit_create

from .conftest import TODAY, travel
from .test_views import client_of, text

pytestmark = pytest.mark.django_db


def schedule(unit: Unit, day: dt.date, kind: str = "workers", note: str = "") -> ConferencePlan:
    return services.conference_schedule(
        actor=None, unit=unit, kind=kind, planned_on=day, place="Hội trường", note=note
    )


def test_plan_then_record_links_them(enterprise: Unit, officer: User, commune: Unit) -> None:
    plan = schedule(enterprise, TODAY + dt.timedelta(days=10), note="Thỏa ước lao động")
    assert AuditEvent.objects.filter(model_label="supervision.conferenceplan").count() == 1
    (row,) = selectors.conference_plans(user=officer, unit=commune, year=TODAY.year)
    assert (row.plan, row.overdue) == (plan, False)
    with travel(TODAY + dt.timedelta(days=11)):
        (row,) = selectors.conference_plans(user=officer, unit=commune, year=TODAY.year)
        assert row.overdue
        held = services.conference_record(
            actor=officer,
            unit=enterprise,
            kind="workers",
            held_on=TODAY + dt.timedelta(days=10),
            participants_employer=4,
            participants_workers=60,
            plan=plan,
        )
        (row,) = selectors.conference_plans(user=officer, unit=commune, year=TODAY.year)
        assert (row.plan.conference, row.overdue) == (held, False)
        # A plan is fulfilled once.
        with pytest.raises(DomainError) as twice:
            services.conference_record(
                actor=officer,
                unit=enterprise,
                kind="workers",
                held_on=TODAY + dt.timedelta(days=10),
                participants_employer=4,
                participants_workers=60,
                plan=plan,
            )
        assert twice.value.field == "plan"
    assert Conference.objects.count() == 1


def test_bad_plans_are_refused(agency: Unit, enterprise: Unit, officer: User) -> None:
    with pytest.raises(DomainError) as past:
        schedule(enterprise, TODAY - dt.timedelta(days=1))
    assert past.value.field == "planned_on"
    with pytest.raises(DomainError) as wrong_unit:
        schedule(agency, TODAY, kind="workers")  # a workers' conference is an enterprise's
    assert wrong_unit.value.field == "unit"
    plan = schedule(enterprise, TODAY, kind="dialogue")
    with pytest.raises(DomainError):  # recorded as another kind than planned
        services.conference_record(
            actor=None,
            unit=enterprise,
            kind="workers",
            held_on=TODAY,
            participants_employer=3,
            participants_workers=3,
            plan=plan,
        )
    assert ConferencePlan.objects.count() == 1
    assert not Conference.objects.exists()
    stranger = make_user("ngoai-xa", Role.OFFICER, Unit.objects.get(code="01"))
    with pytest.raises((PermissionDenied, NotFound)):
        services.conference_schedule(
            actor=stranger, unit=enterprise, kind="workers", planned_on=TODAY
        )
    with pytest.raises(NotFound):
        selectors.conference_plan_get(user=stranger, pk=plan.pk)


def test_schedule_and_record_through_the_pages(
    officer: User, commune: Unit, enterprise: Unit
) -> None:
    client = client_of(officer)
    plan_url = f"{reverse('supervision:conference_plan_create')}?unit={commune.code}"
    data = {"unit_code": enterprise.code, "kind": "dialogue", "planned_on": "20/03/2026"}
    refused = client.post(plan_url, data)
    assert refused.status_code == 400
    assert "Ngày dự kiến đã qua" in text(refused)
    assert client.post(plan_url, {**data, "planned_on": "02/04/2026"}).status_code == 302
    plan = ConferencePlan.objects.get()
    listing = f"{reverse('supervision:conferences')}?unit={commune.code}&year=2026"
    page = text(client.get(listing))
    assert "Sắp tổ chức" in page
    record_url = f"{reverse('supervision:conference_create')}?unit={commune.code}&plan={plan.pk}"
    assert record_url.replace("&", "&amp;") in page
    with travel(dt.date(2026, 4, 3)):
        client = client_of(officer)  # a day later: the idle session has expired
        assert "Quá ngày dự kiến, chưa ghi nhận" in text(client.get(listing))
        form = client.get(record_url)
        assert form.context["form"].initial["plan"] == plan.pk
        done = client.post(
            record_url,
            {
                "unit_code": enterprise.code,
                "kind": "dialogue",
                "held_on": "02/04/2026",
                "participants_employer": "3",
                "participants_workers": "3",
                "plan": str(plan.pk),
            },
        )
        assert done.status_code == 302
        plan.refresh_from_db()
        assert plan.conference is not None
        assert "Đã tổ chức ngày 02/04/2026" in text(client.get(listing))


def test_the_enterprise_is_picked_by_name_without_diacritics(
    officer: User, commune: Unit, enterprise: Unit, sibling_commune: Unit
) -> None:
    """The unit picker: "cong ty may thai nguyen" names Công ty May Thái Nguyên; an
    enterprise out of the officer's reach is refused like a missing one."""
    client = client_of(officer)
    plan_url = f"{reverse('supervision:conference_plan_create')}?unit={commune.code}"
    data = {"kind": "dialogue", "planned_on": "02/04/2026"}
    response = client.post(plan_url, {**data, "unit_code": "cong ty may thai nguyen"})
    assert response.status_code == 302, text(response)
    assert ConferencePlan.objects.get().unit == enterprise
    other = unit_create(
        actor=None, parent=sibling_commune, kind=UnitKind.ENTERPRISE, name="Công ty Bên"
    )
    response = client.post(plan_url, {**data, "unit_code": other.code})
    assert response.status_code == 400
    assert f"Không tìm thấy đơn vị “{other.code}” trong phạm vi" in text(response)
    assert ConferencePlan.objects.count() == 1
