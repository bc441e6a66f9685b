"""The home page's report panel (issue 13, item 6): the open campaigns covering the
user's unit, their progress under it and the unit's key figures against the previous
period, in a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.reports.campaigns import services
from danvan.reports.campaigns.compare import selectors as compare
from danvan.reports.campaigns.models import Campaign, Report, ReportStatus, ReportValue
from danvan.reports.models import IndicatorKind, Regime, ReportTemplate, Source
from danvan.units.models import Unit

from .conftest import TODAY, approved_last_year, entry, fill, travel

pytestmark = pytest.mark.django_db

CODE = "mo-hinh-dang-ky"


def _home(client: Client) -> Any:
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    return response


@pytest.fixture
def approved_2025(
    regime: Regime,
    template: ReportTemplate,
    province_admin: User,
    province_officer: User,
    thai_nguyen: Unit,
    commune: Unit,
    commune_officer: User,
) -> Report:
    """The commune's approved half-year 2025 report: two entries registered."""
    report = approved_last_year(
        regime=regime,
        template=template,
        admin=province_admin,
        reviewer=province_officer,
        owner=thai_nguyen,
        unit=commune,
        officer=commune_officer,
    )
    with travel(dt.date(2025, 6, 16)):
        services.campaign_close(actor=province_admin, campaign=report.campaign)
    return report


def test_no_panel_without_an_open_campaign(
    client: Client, commune_officer: User, approved_2025: Report
) -> None:
    # The only campaign is closed.
    login_verified(client, commune_officer)
    response = _home(client)
    assert response.context["report_panel"] is None
    assert 'id="report-panel"' not in response.content.decode()


def test_commune_officer_sees_progress_and_key_figures(
    client: Client,
    approved_2025: Report,
    campaign: Campaign,
    commune: Unit,
    commune_officer: User,
    province_officer: User,
) -> None:
    for day in (1, 2, 3):
        entry(commune, registered_on=dt.date(2026, 3, day))
    report = campaign.reports.get(unit=commune)
    services.report_refresh(actor=commune_officer, report=report)
    fill(report, commune_officer)
    services.report_submit(actor=commune_officer, report=report)
    services.report_approve(actor=province_officer, report=report)
    login_verified(client, commune_officer)
    response = _home(client)
    html = response.content.decode()
    assert 'id="report-panel"' in html
    assert campaign.title in html
    progress = compare.home_progress(user=commune_officer, unit=commune, today=TODAY)
    (row,) = progress.rows
    assert row.campaign == campaign
    assert row.report == report
    # The board's counts under the commune: its own report, sent and approved.
    mine = Report.objects.filter(campaign=campaign, unit__path__startswith=commune.path)
    assert row.total.expected == mine.count() == 1
    assert row.total.submitted == mine.filter(status=ReportStatus.APPROVED).count() == 1
    assert row.total.approved == 1
    assert row.approved_pct == 100.0
    assert 'data-stat="expected">1<' in html
    assert 'data-stat="approved">1<' in html
    # The key figures: every computed indicator of the template, now against 2025.
    computed = list(
        campaign.template.indicators.filter(
            source=Source.COMPUTED, kind=IndicatorKind.NUMBER
        ).order_by("order")
    )  # a table's rows are not key figures
    assert [f.indicator for f in row.figures] == computed[: compare.HOME_INDICATORS]
    now = {v.indicator.code: v.value for v in ReportValue.objects.filter(report=report)}
    before = {v.indicator.code: v.value for v in ReportValue.objects.filter(report=approved_2025)}
    for figure in row.figures:
        assert figure.now.value == now[figure.indicator.code]
        assert figure.previous.value == before[figure.indicator.code]
    moved = next(f for f in row.figures if f.indicator.code == CODE)
    assert (moved.now.value, moved.previous.value) == (3, 2)
    assert moved.vs_previous == compare.Delta(Decimal(1), Decimal("50.0"))
    # Each figure opens its records list; the card opens the board under the commune.
    page = html.replace("&amp;", "&")
    assert f'href="{moved.now.records_url}"' in page
    assert 'data-trend="up"' in html
    assert f"{campaign.get_absolute_url()}?unit={commune.code}" in page
    assert reverse("report_campaigns:compare", kwargs={"public_id": report.public_id}) in page


def test_province_officer_sees_the_subtree_progress(
    client: Client, campaign: Campaign, thai_nguyen: Unit, commune: Unit, province_officer: User
) -> None:
    officer = make_user("cb-xa-2", Role.OFFICER, commune)
    report = campaign.reports.get(unit=commune)
    fill(report, officer)
    services.report_submit(actor=officer, report=report)
    login_verified(client, province_officer)
    _home(client)
    (row,) = compare.home_progress(user=province_officer, unit=thai_nguyen, today=TODAY).rows
    everything = Report.objects.filter(campaign=campaign)
    assert row.total.expected == everything.count() == 3
    assert row.total.submitted == everything.filter(status=ReportStatus.SUBMITTED).count() == 1
    assert row.total.approved == 0
    assert row.total.reporting_pct == 33.3
    assert row.previous is None  # no approved 2025 report of the province


def test_no_panel_for_a_unit_outside_the_campaign(
    client: Client, campaign: Campaign, thai_nguyen: Unit, commune: Unit, sibling_commune: Unit
) -> None:
    other = (
        Unit.objects.filter(parent=thai_nguyen)
        .exclude(pk__in=[commune.pk, sibling_commune.pk])
        .order_by("code")
        .first()
    )
    assert other is not None
    officer = make_user("cb-xa-khac", Role.OFFICER, other)
    login_verified(client, officer)
    assert _home(client).context["report_panel"] is None
    # Nor for a commune officer asking about a unit they do not read.
    sibling_reader = make_user("cb-xa-3", Role.OFFICER, other)
    assert compare.home_progress(user=sibling_reader, unit=commune, today=TODAY).rows == []


def test_queries_are_bounded(
    client: Client,
    regime: Regime,
    template: ReportTemplate,
    province_admin: User,
    province_officer: User,
    thai_nguyen: Unit,
    campaign: Campaign,
    django_assert_max_num_queries: Any,
) -> None:
    login_verified(client, province_officer)
    _home(client)
    with CaptureQueriesContext(connection) as one:
        _home(client)
    # Four more open campaigns, over many more units: three are shown, the rest a link.
    communes = list(Unit.objects.filter(parent=thai_nguyen).order_by("code")[:8])
    for year in (2022, 2023, 2024, 2025):
        services.campaign_open(
            actor=province_admin,
            regime=regime,
            template=template,
            year=year,
            owner_unit=thai_nguyen,
            units=[thai_nguyen, *communes],
        )
    with CaptureQueriesContext(connection) as five:
        response = _home(client)
    progress = compare.home_progress(user=province_officer, unit=thai_nguyen, today=TODAY)
    assert len(progress.rows) == compare.HOME_CAMPAIGNS
    assert progress.more_campaigns
    assert reverse("report_campaigns:list") in response.content.decode()
    # Four queries per campaign shown (the board's two, the indicators, the previous
    # report), whatever the number of units and campaigns.
    per_campaign = 4
    assert len(five) - len(one) <= per_campaign * (compare.HOME_CAMPAIGNS - 1) + 1
    with django_assert_max_num_queries(4 + per_campaign * compare.HOME_CAMPAIGNS):
        compare.home_progress(user=province_officer, unit=thai_nguyen, today=TODAY)
