"""The province's report adds up its communes' approved reports, indicator by indicator,
by each indicator's rule; it shows each child's figures and flags disagreements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from danvan.accounts.models import User
from danvan.accounts.testing import login_verified
from danvan.core.errors import DomainError
from danvan.reports.campaigns import rollup, services
from danvan.reports.campaigns.models import Campaign, Report, ReportValue
from danvan.reports.models import Aggregation, Indicator
from danvan.units.models import Unit

from .conftest import approve, entry, fill

pytestmark = pytest.mark.django_db

IN_PERIOD = dt.date(2026, 3, 2)


def _raw_sum(reports: list[Report], code: str) -> Decimal:
    values = ReportValue.objects.filter(report__in=reports, indicator__code=code)
    return sum((v.value for v in values if v.value is not None), Decimal(0))


def test_parents_follow_the_nearest_reporting_ancestor() -> None:
    # Paths of 7 digits a level: a province, its commune, a unit under the commune, and a
    # unit two levels under the province whose parent does not report.
    reports = [
        (1, "0000001"),
        (2, "00000010000002"),
        (3, "000000100000020000003"),
        (4, "000000100000050000004"),
        (5, "0000009"),
    ]
    assert rollup.parents_of(reports) == {1: None, 2: 1, 3: 2, 4: 1, 5: None}


def test_sum_counts_the_approved_children_only_and_lists_the_missing(
    campaign: Campaign,
    thai_nguyen: Unit,
    commune: Unit,
    sibling_commune: Unit,
    commune_officer: User,
    sibling_officer: User,
    province_officer: User,
) -> None:
    province = Report.objects.get(campaign=campaign, unit=thai_nguyen)
    mine = Report.objects.get(campaign=campaign, unit=commune)
    other = Report.objects.get(campaign=campaign, unit=sibling_commune)
    approve(mine, commune_officer, province_officer, "3")
    fill(other, sibling_officer, "4")  # typed, not sent: not counted

    entry_ = rollup.rollup_of(province)
    assert entry_ is not None
    assert sorted(entry_.children) == sorted([mine.pk, other.pk])
    assert entry_.approved == [mine.pk]
    assert entry_.missing == [other.pk]
    sums = Indicator.objects.filter(
        template=campaign.template, aggregation=Aggregation.SUM
    ).values_list("pk", "code")
    assert sums
    for pk, code in sums:
        assert entry_.totals[pk] == _raw_sum([mine], code) == Decimal(3)

    services.report_submit(actor=sibling_officer, report=other, rule_reason="Giải trình.")
    services.report_approve(actor=province_officer, report=other)
    entry_ = rollup.rollup_of(province)
    assert entry_ is not None
    assert entry_.missing == []
    for pk, code in sums:
        assert entry_.totals[pk] == _raw_sum([mine, other], code) == Decimal(7)


def test_recompute_takes_the_parents_own_count_and_flags_a_child_that_disagrees(
    campaign: Campaign,
    thai_nguyen: Unit,
    commune: Unit,
    sibling_commune: Unit,
    commune_officer: User,
    sibling_officer: User,
    province_officer: User,
) -> None:
    for unit in (commune, commune, sibling_commune):
        entry(unit, registered_on=IN_PERIOD)
    services.take_snapshot(campaign=campaign)
    province = Report.objects.get(campaign=campaign, unit=thai_nguyen)
    mine = Report.objects.get(campaign=campaign, unit=commune)
    other = Report.objects.get(campaign=campaign, unit=sibling_commune)
    registered = Indicator.objects.get(template=campaign.template, code="mo-hinh-dang-ky")
    assert registered.aggregation == Aggregation.RECOMPUTE
    assert ReportValue.objects.get(report=province, indicator=registered).computed == 3

    approve(mine, commune_officer, province_officer, "1")
    # The sibling says 5 where danvan counts 1: an override, with its reason.
    services.report_save(
        actor=sibling_officer,
        report=other,
        overrides={"mo-hinh-dang-ky": ("5", "Có 4 mô hình chưa nhập vào hệ thống.")},
    )
    approve(other, sibling_officer, province_officer, "1")

    entry_ = rollup.rollup_of(province)
    assert entry_ is not None
    assert entry_.totals[registered.pk] == 3  # the province's own count
    assert entry_.sums[registered.pk] == 2 + 5
    assert entry_.disagrees(registered.pk)
    lines = {c.report.unit_id: c for c in rollup.contributions(province)}
    assert lines[sibling_commune.pk].disagreements == [registered.pk]
    assert lines[sibling_commune.pk].values[registered.pk] == 5
    assert lines[commune.pk].disagreements == []
    assert all(c.counted for c in lines.values())


def test_count_distinct_counts_the_children_reporting_more_than_zero(
    campaign: Campaign,
    thai_nguyen: Unit,
    commune: Unit,
    sibling_commune: Unit,
    commune_officer: User,
    sibling_officer: User,
    province_officer: User,
) -> None:
    meetings = Indicator.objects.get(template=campaign.template, code="hoi-nghi-doi-thoai")
    Indicator.objects.filter(pk=meetings.pk).update(aggregation=Aggregation.COUNT_DISTINCT)
    mine = Report.objects.get(campaign=campaign, unit=commune)
    other = Report.objects.get(campaign=campaign, unit=sibling_commune)
    approve(mine, commune_officer, province_officer, "4")
    approve(other, sibling_officer, province_officer, "0")
    province = Report.objects.get(campaign=campaign, unit=thai_nguyen)
    entry_ = rollup.rollup_of(province)
    assert entry_ is not None
    assert entry_.totals[meetings.pk] == 1  # one commune held dialogues, four of them
    assert entry_.sums[meetings.pk] == 4


def test_a_report_without_children_has_no_rollup(campaign: Campaign, commune: Unit) -> None:
    assert rollup.rollup_of(Report.objects.get(campaign=campaign, unit=commune)) is None


def test_the_parent_fills_its_adding_manual_figures_from_the_children(
    campaign: Campaign,
    thai_nguyen: Unit,
    commune: Unit,
    sibling_commune: Unit,
    commune_officer: User,
    sibling_officer: User,
    province_officer: User,
) -> None:
    approve(
        Report.objects.get(campaign=campaign, unit=commune), commune_officer, province_officer, "3"
    )
    approve(
        Report.objects.get(campaign=campaign, unit=sibling_commune),
        sibling_officer,
        province_officer,
        "4",
    )
    province = Report.objects.get(campaign=campaign, unit=thai_nguyen)
    services.report_fill_from_children(actor=province_officer, report=province)
    filled = {
        v.indicator.code: v.manual
        for v in ReportValue.objects.filter(report=province).select_related("indicator")
        if v.indicator.source == "manual"
    }
    adding = Indicator.objects.filter(
        template=campaign.template, source="manual", aggregation=Aggregation.SUM
    ).values_list("code", flat=True)
    assert adding
    for code in adding:
        assert filled[code] == 7


def test_a_childless_report_cannot_be_filled(
    campaign: Campaign, commune: Unit, commune_officer: User
) -> None:
    report = Report.objects.get(campaign=campaign, unit=commune)
    with pytest.raises(DomainError) as exc:
        services.report_fill_from_children(actor=commune_officer, report=report)
    assert "không có báo cáo của đơn vị cấp dưới" in exc.value.message


def test_the_province_page_shows_the_totals_and_each_commune(
    campaign: Campaign,
    thai_nguyen: Unit,
    commune: Unit,
    sibling_commune: Unit,
    commune_officer: User,
    province_officer: User,
) -> None:
    approve(
        Report.objects.get(campaign=campaign, unit=commune), commune_officer, province_officer, "3"
    )
    province = Report.objects.get(campaign=campaign, unit=thai_nguyen)
    client = Client()
    login_verified(client, province_officer)
    html = client.get(province.get_absolute_url()).content.decode()
    assert 'id="rollup-totals"' in html
    assert commune.name in html
    assert sibling_commune.name in html
    assert "1 báo cáo chưa duyệt chưa được cộng" in html
    fill_url = f"{province.get_absolute_url()}tong-hop/"
    assert client.post(fill_url).status_code == 302
    value = ReportValue.objects.get(report=province, indicator__code="buoi-tiep-cong-dan")
    assert value.manual == 3


def test_the_childrens_lines_come_in_pages(
    campaign: Campaign,
    thai_nguyen: Unit,
    commune: Unit,
    sibling_commune: Unit,
    province_officer: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from danvan.reports.campaigns import views

    monkeypatch.setattr(views, "CHILDREN_PER_PAGE", 1)
    province = Report.objects.get(campaign=campaign, unit=thai_nguyen)
    client = Client()
    login_verified(client, province_officer)
    url = province.get_absolute_url()
    pages = [client.get(url, {"don-vi": n}).content.decode() for n in (1, 2)]
    lines = [sum(name in page for name in (commune.name, sibling_commune.name)) for page in pages]
    assert lines == [1, 1]
    assert "don-vi=2" in pages[0]
    assert "don-vi=1" in pages[1]
    # The totals above cover every child whatever the page.
    assert all('id="rollup-totals"' in page for page in pages)
