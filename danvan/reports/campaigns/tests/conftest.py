"""Fixtures of the campaign tests: Thái Nguyên opens the half-year 2026 campaign of the
State regime for itself and two of its communes.

The data period is 15/12/2025 – 14/06/2026 (a Sunday); the communes' deadline is two
working days after it (Tuesday 16/06/2026), the province's five (Friday 19/06/2026).
Time is frozen on Monday 15/06/2026.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.movement import services as movement_services
from danvan.movement.models import Entry, Field
from danvan.reports.campaigns import services
from danvan.reports.campaigns.models import Campaign, Report
from danvan.reports.models import IndicatorKind, Regime, ReportTemplate, Source
from danvan.units.models import Unit

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 6, 15)
COMMUNE_DUE = dt.date(2026, 6, 16)
PROVINCE_DUE = dt.date(2026, 6, 19)
REGIME = "nd09-6-thang-dan-chu-co-so"


def travel(day: dt.date = TODAY, hour: int = 9) -> Any:
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=HCM), tick=False
    )


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with travel():
        yield


@pytest.fixture
def regime(db: None) -> Regime:
    return Regime.objects.get(code=REGIME)


@pytest.fixture
def template(regime: Regime) -> ReportTemplate:
    return regime.templates.get(version=1)


@pytest.fixture
def province_admin(thai_nguyen: Unit) -> User:
    return make_user("qt-tinh", Role.UNIT_ADMIN, thai_nguyen)


@pytest.fixture
def province_officer(thai_nguyen: Unit) -> User:
    return make_user("cb-tinh", Role.OFFICER, thai_nguyen)


@pytest.fixture
def commune_officer(commune: Unit) -> User:
    return make_user("cb-xa", Role.OFFICER, commune)


@pytest.fixture
def sibling_officer(sibling_commune: Unit) -> User:
    return make_user("cb-xa-ben", Role.OFFICER, sibling_commune)


@pytest.fixture
def campaign(
    regime: Regime,
    template: ReportTemplate,
    province_admin: User,
    thai_nguyen: Unit,
    commune: Unit,
    sibling_commune: Unit,
) -> Campaign:
    return services.campaign_open(
        actor=province_admin,
        regime=regime,
        template=template,
        year=2026,
        owner_unit=thai_nguyen,
        units=[thai_nguyen, commune, sibling_commune],
    )


@pytest.fixture
def report(campaign: Campaign, commune: Unit) -> Report:
    return Report.objects.get(campaign=campaign, unit=commune)


def manual_codes(report: Report) -> list[str]:
    """The template's manual number indicators (read from the data: the seeds may change;
    a manual table's rows are typed by row, test_tables.py)."""
    return list(
        report.campaign.template.indicators.filter(source=Source.MANUAL, kind=IndicatorKind.NUMBER)
        .order_by("order")
        .values_list("code", flat=True)
    )


def fill(report: Report, actor: Any, value: str = "1") -> Report:
    """Type every manual figure of *report*."""
    return services.report_save(
        actor=actor, report=report, manual=dict.fromkeys(manual_codes(report), value)
    )


def entry(unit: Unit, **milestones: Any) -> Entry:
    """A movement entry with its milestone dates (counted by the movement queries)."""
    made = movement_services.entry_create(
        actor=None,
        unit=unit,
        kind="initiative",
        name=f"Mô hình {Entry.objects.count() + 1}",
        field=Field.objects.get(code="kinh-te"),
        registration_year=2026,
    )
    Entry.objects.filter(pk=made.pk).update(**milestones)
    return made


def approve(report: Report, officer: Any, reviewer: Any, value: str = "1") -> Report:
    """Fill *report*'s manual figures with *value*, submit it (with a reason, in case a
    rule breaks) and have *reviewer* approve it."""
    fill(report, officer, value)
    services.report_submit(actor=officer, report=report, rule_reason="Giải trình.")
    return services.report_approve(actor=reviewer, report=report)


def approved_last_year(
    *,
    regime: Regime,
    template: ReportTemplate,
    admin: Any,
    reviewer: Any,
    owner: Unit,
    unit: Unit,
    officer: Any,
    value: str = "1",
) -> Report:
    """*unit*'s approved half-year 2025 report (two entries registered in its period),
    opened by *admin* at *owner* and approved by *reviewer* on 16/06/2025."""
    with travel(dt.date(2025, 6, 16)):
        for day in (1, 2):
            entry(unit, registered_on=dt.date(2025, 3, day))
        report = services.campaign_open(
            actor=admin, regime=regime, template=template, year=2025, owner_unit=owner, units=[unit]
        ).reports.get()
        return approve(report, officer, reviewer, value)
