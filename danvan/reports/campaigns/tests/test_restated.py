"""A past year's approved reports counted under today's unit: a merged province's
report under its successor, its own subtree's reports too, never twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from danvan.accounts.models import Role
from danvan.accounts.testing import login_verified, make_user
from danvan.reports.campaigns import restated
from danvan.reports.campaigns.models import Campaign, EventKind, Report, ReportStatus
from danvan.reports.models import Indicator, Regime
from danvan.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

YEAR = 2018


def _approved(campaign: Campaign, unit: Unit, figure: str) -> Report:
    """An approved report of *unit* with every figure *figure* (written directly: the
    services refuse a campaign of an ended unit, as the demo does)."""
    report = Report.objects.create(
        campaign=campaign, unit=unit, status=ReportStatus.APPROVED, due_date=dt.date(2019, 1, 5)
    )
    for indicator in Indicator.objects.filter(template=campaign.template):
        report.values.create(indicator=indicator, manual=Decimal(figure))
    report.events.create(kind=EventKind.APPROVED, at=dt.datetime(2019, 1, 4, tzinfo=dt.UTC))
    return report


@pytest.fixture
def annual() -> Regime:
    return Regime.objects.get(code="nd09-nam-dan-chu-co-so")


@pytest.fixture
def merged(thai_nguyen: Unit) -> Unit:
    """Bắc Kạn: the province that merged into Thái Nguyên (loaded by load_units)."""
    old = (
        Unit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=False)
        .filter(successions_out__successors=thai_nguyen)
        .first()
    )
    if old is None:
        pytest.skip("the unit tree has no province merged into Thái Nguyên")
    return old


def _campaign(regime: Regime, owner: Unit) -> Campaign:
    template = regime.templates.get(version=1)
    start, end = regime.period(YEAR)
    return Campaign.objects.create(
        regime=regime,
        template=template,
        year=YEAR,
        period_start=start,
        period_end=end,
        owner_unit=owner,
        title=f"Tổng kết {YEAR} {owner.name}",
    )


def test_a_merged_units_report_counts_under_its_successor_once(
    annual: Regime, thai_nguyen: Unit, merged: Unit, commune: Unit
) -> None:
    old = _campaign(annual, merged)
    _approved(old, merged, "1214")
    mine = _campaign(annual, thai_nguyen)
    _approved(mine, thai_nguyen, "100")
    _approved(mine, commune, "7")  # inside Thái Nguyên's own report: not added again
    result = restated.restated(unit=thai_nguyen, regime=annual, year=YEAR)
    assert {r.unit_id for r in result.reports} == {merged.pk, thai_nguyen.pk}
    summed = next(i for i in result.indicators if i.aggregation == "sum")
    assert result.totals[summed.pk] == 1214 + 100
    assert [result.historical(r) for r in result.reports] == [
        r.unit_id == merged.pk for r in result.reports
    ]
    # Another year, or another unit of today: nothing of Bắc Kạn.
    assert restated.restated(unit=thai_nguyen, regime=annual, year=YEAR + 1).reports == []
    assert restated.restated(unit=commune, regime=annual, year=YEAR).totals[summed.pk] == 7


def test_the_page(annual: Regime, thai_nguyen: Unit, merged: Unit) -> None:
    _approved(_campaign(annual, merged), merged, "82")
    officer = make_user("cb-tinh-qd", Role.OFFICER, thai_nguyen)
    client = Client()
    login_verified(client, officer)
    url = "/bao-cao/dot/quy-doi/"
    assert client.get(url).status_code == 200
    page = client.get(url, {"unit": thai_nguyen.code, "regime": str(annual.pk), "year": str(YEAR)})
    html = page.content.decode()
    assert page.status_code == 200
    assert merged.name in html
    assert "đơn vị cũ" in html
    bad = client.get(url, {"unit": thai_nguyen.code, "regime": str(annual.pk), "year": "abc"})
    assert bad.status_code == 400
    assert 'value="abc"' in bad.content.decode()
