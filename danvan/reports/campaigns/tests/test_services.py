"""The campaign's writes: opening, the frozen snapshot, the unit's figures, submission,
review, reopening, closing; each bad input refused in Vietnamese with nothing changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from danvan.accounts.models import User
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.movement.models import Field
from danvan.reports.campaigns import selectors, services
from danvan.reports.campaigns.errors import CampaignError
from danvan.reports.campaigns.models import (
    Campaign,
    EventKind,
    Report,
    ReportStatus,
    ReportValue,
)
from danvan.reports.models import Frequency, IndicatorKind, Regime, ReportTemplate
from danvan.units.models import Unit, UnitKind

from .conftest import COMMUNE_DUE, PROVINCE_DUE, entry, fill, manual_codes, travel

pytestmark = pytest.mark.django_db


def _value(report: Report, code: str) -> ReportValue:
    return ReportValue.objects.get(report=report, indicator__code=code)


def _codes(exc: pytest.ExceptionInfo[DomainError]) -> set[str]:
    return {p.code for p in exc.value.problems}


# -- opening ------------------------------------------------------------------------------------


def test_open_creates_one_report_per_unit_with_its_level_deadline(
    campaign: Campaign, thai_nguyen: Unit, commune: Unit, template: ReportTemplate
) -> None:
    assert (campaign.period_start, campaign.period_end) == (
        dt.date(2025, 12, 15),
        dt.date(2026, 6, 14),
    )
    reports = {r.unit_id: r for r in Report.objects.filter(campaign=campaign)}
    assert len(reports) == 3
    assert reports[thai_nguyen.pk].due_date == PROVINCE_DUE
    assert reports[commune.pk].due_date == COMMUNE_DUE
    report = reports[commune.pk]
    assert report.status == ReportStatus.DRAFT
    assert report.snapshot_taken_at is not None
    # A value per number indicator; a table's rows are cells, one per category.
    assert report.values.count() == template.indicators.filter(kind=IndicatorKind.NUMBER).count()
    tables = template.indicators.filter(kind=IndicatorKind.TABLE)
    assert tables.exists()
    assert not report.values.filter(indicator__in=tables).exists()
    assert (
        report.cells.filter(indicator__in=tables).count()
        == Field.objects.filter(is_active=True).count() * tables.count()
    )
    kinds = list(report.events.values_list("kind", flat=True))
    assert kinds == [EventKind.OPENED, EventKind.SNAPSHOT]


def test_open_without_a_list_takes_every_live_unit_of_the_levels_that_report(
    regime: Regime, template: ReportTemplate, province_admin: User, thai_nguyen: Unit
) -> None:
    campaign = services.campaign_open(
        actor=province_admin, regime=regime, template=template, year=2026, owner_unit=thai_nguyen
    )
    expected = Unit.objects.filter(
        path__startswith=thai_nguyen.path,
        kind__in=[UnitKind.PROVINCE, UnitKind.COMMUNE],
        valid_to__isnull=True,
    ).count()
    assert expected > 10
    assert campaign.reports.count() == expected


def test_open_refusals(
    regime: Regime,
    template: ReportTemplate,
    province_admin: User,
    province_officer: User,
    thai_nguyen: Unit,
    commune: Unit,
    campaign: Campaign,
) -> None:
    other = Regime.objects.exclude(pk=regime.pk).first()
    assert other is not None
    foreign = other.templates.first()
    assert foreign is not None
    outside = Unit.objects.filter(kind=UnitKind.COMMUNE).exclude(path__startswith=thai_nguyen.path)[
        0
    ]
    before = Campaign.objects.count()
    with pytest.raises(DomainError) as exc:
        services.campaign_open(
            actor=province_admin,
            regime=regime,
            template=foreign,
            year=1990,
            owner_unit=thai_nguyen,
            units=[commune, outside],
        )
    assert _codes(exc) == {
        CampaignError.BAD_TEMPLATE,
        CampaignError.BAD_YEAR,
        CampaignError.BAD_UNITS,
    }
    assert "không thuộc chế độ" in exc.value.problems[0].message
    with pytest.raises(DomainError) as exc:  # the same template, year and unit again
        services.campaign_open(
            actor=province_admin,
            regime=regime,
            template=template,
            year=2026,
            owner_unit=thai_nguyen,
        )
    assert _codes(exc) == {CampaignError.DUPLICATE}
    with pytest.raises(PermissionDenied):  # an officer does not open campaigns
        services.campaign_open(
            actor=province_officer,
            regime=regime,
            template=template,
            year=2025,
            owner_unit=thai_nguyen,
        )
    assert Campaign.objects.count() == before


def _quarterly(regime: Regime) -> tuple[Regime, ReportTemplate]:
    """The half-year regime made quarterly (quarter I = 15/12 – 14/03), with its
    deadlines and an empty template of its own."""
    deadlines = list(regime.deadlines.all())
    regime.pk = None
    regime.code = "quy-thu"
    regime.frequency = Frequency.QUARTERLY
    regime.period_end_month, regime.period_end_day = 3, 14
    regime.save()
    for deadline in deadlines:
        deadline.pk = None
        deadline.regime = regime
        deadline.save()
    template = ReportTemplate.objects.create(
        regime=regime, name="Mẫu quý", effective_from=dt.date(2026, 1, 1)
    )
    return regime, template


def test_a_quarterly_regime_opens_one_campaign_per_quarter(
    regime: Regime, province_admin: User, thai_nguyen: Unit, commune: Unit
) -> None:
    quarterly, template = _quarterly(regime)
    second = services.campaign_open(
        actor=province_admin,
        regime=quarterly,
        template=template,
        year=2026,
        owner_unit=thai_nguyen,
        units=[thai_nguyen, commune],
        period_number=2,
    )
    assert (second.period_start, second.period_end) == (dt.date(2026, 3, 15), dt.date(2026, 6, 14))
    assert "quý II năm 2026" in second.title
    report = Report.objects.get(campaign=second, unit=commune)
    assert report.due_date == COMMUNE_DUE  # the same cut-off as the half-year: 14/06
    first = services.campaign_open(
        actor=province_admin,
        regime=quarterly,
        template=template,
        year=2026,
        owner_unit=thai_nguyen,
        units=[thai_nguyen, commune],
        period_number=1,
    )
    assert first.period_end == dt.date(2026, 3, 14)
    # The report of quarter II compares with quarter I's, not with last year's.
    services.take_snapshot(campaign=first)
    with pytest.raises(DomainError) as exc:  # quarter II again
        services.campaign_open(
            actor=province_admin,
            regime=quarterly,
            template=template,
            year=2026,
            owner_unit=thai_nguyen,
            period_number=2,
        )
    assert _codes(exc) == {CampaignError.DUPLICATE}
    assert "quý II năm 2026" in exc.value.problems[0].message
    with pytest.raises(DomainError) as exc:
        services.campaign_open(
            actor=province_admin,
            regime=quarterly,
            template=template,
            year=2026,
            owner_unit=thai_nguyen,
            period_number=5,
        )
    assert exc.value.problems[0].field == "period_number"
    assert "từ 1 đến 4" in exc.value.problems[0].message


def test_a_half_year_regime_has_one_period(
    regime: Regime, template: ReportTemplate, province_admin: User, thai_nguyen: Unit
) -> None:
    with pytest.raises(DomainError) as exc:
        services.campaign_open(
            actor=province_admin,
            regime=regime,
            template=template,
            year=2026,
            owner_unit=thai_nguyen,
            period_number=2,
        )
    assert exc.value.problems[0].field == "period_number"
    assert not Campaign.objects.exists()


# -- the snapshot ---------------------------------------------------------------------------------


def test_snapshot_is_frozen_until_refreshed_and_refresh_is_refused_after_submission(
    regime: Regime,
    template: ReportTemplate,
    province_admin: User,
    thai_nguyen: Unit,
    commune: Unit,
    commune_officer: User,
) -> None:
    entry(commune, registered_on=dt.date(2026, 3, 1))
    campaign = services.campaign_open(
        actor=province_admin,
        regime=regime,
        template=template,
        year=2026,
        owner_unit=thai_nguyen,
        units=[commune],
    )
    report = campaign.reports.get()
    taken = report.snapshot_taken_at
    assert _value(report, "mo-hinh-dang-ky").computed == 1
    entry(commune, registered_on=dt.date(2026, 4, 1))  # recorded after the snapshot
    assert _value(report, "mo-hinh-dang-ky").computed == 1
    with travel(hour=10):
        services.report_refresh(actor=commune_officer, report=report)
    report.refresh_from_db()
    assert _value(report, "mo-hinh-dang-ky").computed == 2
    assert report.snapshot_taken_at is not None
    assert taken is not None
    assert report.snapshot_taken_at > taken
    assert report.events.filter(kind=EventKind.REFRESHED).count() == 1
    fill(report, commune_officer)
    services.report_submit(actor=commune_officer, report=report)
    entry(commune, registered_on=dt.date(2026, 5, 1))
    with pytest.raises(DomainError) as exc:
        services.report_refresh(actor=commune_officer, report=report)
    assert _codes(exc) == {CampaignError.BAD_STATE}
    # take_snapshot over the whole campaign leaves a submitted report alone too.
    assert services.take_snapshot(campaign=campaign) == 0
    assert _value(report, "mo-hinh-dang-ky").computed == 2


# -- the unit's figures ---------------------------------------------------------------------------


def test_manual_value_of_the_wrong_type_or_negative_is_refused_and_nothing_changes(
    report: Report, commune_officer: User
) -> None:
    fill(report, commune_officer, "3")
    with pytest.raises(DomainError) as exc:
        services.report_save(
            actor=commune_officer,
            report=report,
            manual={"van-ban-chi-dao": "mười", "buoi-tiep-cong-dan": "-2", "cuoc-kiem-tra": "4"},
        )
    fields = {p.field for p in exc.value.problems}
    assert fields == {"manual-van-ban-chi-dao", "manual-buoi-tiep-cong-dan"}
    messages = " ".join(p.message for p in exc.value.problems)
    assert "không phải là số" in messages
    assert "không thể là số âm" in messages
    assert _value(report, "van-ban-chi-dao").manual == 3
    assert _value(report, "cuoc-kiem-tra").manual == 3  # the good one is not written either


def test_decimal_comma_is_read(report: Report, commune_officer: User) -> None:
    services.report_save(actor=commune_officer, report=report, manual={"cuoc-kiem-tra": "2,5"})
    assert _value(report, "cuoc-kiem-tra").manual == Decimal("2.5")


def test_override_needs_a_reason_which_is_kept(report: Report, commune_officer: User) -> None:
    with pytest.raises(DomainError) as exc:
        services.report_save(
            actor=commune_officer, report=report, overrides={"mo-hinh-dang-ky": ("4", " ")}
        )
    assert _codes(exc) == {CampaignError.NO_REASON}
    assert exc.value.field == "reason-mo-hinh-dang-ky"
    assert _value(report, "mo-hinh-dang-ky").override is None
    services.report_save(
        actor=commune_officer,
        report=report,
        overrides={"mo-hinh-dang-ky": ("4", "Hai mô hình nhập muộn")},
    )
    value = _value(report, "mo-hinh-dang-ky")
    assert (value.override, value.override_reason, value.value) == (4, "Hai mô hình nhập muộn", 4)
    # An empty figure removes the override: the snapshot's figure stands again.
    services.report_save(
        actor=commune_officer, report=report, overrides={"mo-hinh-dang-ky": ("", "")}
    )
    value = _value(report, "mo-hinh-dang-ky")
    assert value.override is None
    assert value.value == value.computed


def test_narrative_is_kept_per_section(report: Report, commune_officer: User) -> None:
    section = report.campaign.template.sections.order_by("order").first()
    assert section is not None
    services.report_save(
        actor=commune_officer, report=report, narratives={section.pk: "Đã ban hành 3 văn bản."}
    )
    assert selectors.sections_of(report)[0] == (section, "Đã ban hành 3 văn bản.")


# -- who may write --------------------------------------------------------------------------------


def test_parent_cannot_edit_a_childs_report_and_sibling_does_not_see_it(
    report: Report, province_officer: User, sibling_officer: User
) -> None:
    with pytest.raises(PermissionDenied) as exc:
        services.report_save(actor=province_officer, report=report, manual={"cuoc-kiem-tra": "1"})
    assert "cấp trên" in exc.value.message
    with pytest.raises(NotFound):
        services.report_save(actor=sibling_officer, report=report, manual={"cuoc-kiem-tra": "1"})
    assert _value(report, "cuoc-kiem-tra").manual is None


def test_the_unit_does_not_approve_its_own_report(report: Report, commune_officer: User) -> None:
    fill(report, commune_officer)
    services.report_submit(actor=commune_officer, report=report)
    with pytest.raises(PermissionDenied):
        services.report_approve(actor=commune_officer, report=report)


def test_reviewer_is_the_level_above_in_the_campaign(
    campaign: Campaign, report: Report, thai_nguyen: Unit
) -> None:
    assert selectors.reviewer_unit(report) == thai_nguyen
    own = campaign.reports.get(unit=thai_nguyen)
    # The province has nobody above it: the owner reviews its own report.
    assert selectors.reviewer_unit(own) == thai_nguyen


# -- submission ---------------------------------------------------------------------------------


def test_submit_needs_every_manual_figure(report: Report, commune_officer: User) -> None:
    with pytest.raises(DomainError) as exc:
        services.report_submit(actor=commune_officer, report=report)
    assert _codes(exc) == {CampaignError.MISSING_VALUE}
    assert len(exc.value.problems) == len(manual_codes(report)) >= 3
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_broken_rule_warns_and_needs_a_reason_to_submit(
    report: Report, commune_officer: User
) -> None:
    fill(report, commune_officer)
    services.report_save(
        actor=commune_officer,
        report=report,
        overrides={"mo-hinh-cong-nhan": ("5", "Công nhận cả mô hình kỳ trước")},
    )
    warnings = selectors.warnings_for(report)
    assert [w.code for w in warnings] == ["rule"]
    with pytest.raises(DomainError) as exc:
        services.report_submit(actor=commune_officer, report=report)
    assert _codes(exc) == {CampaignError.RULE_BROKEN}
    assert exc.value.field == "rule_reason"
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    services.report_submit(
        actor=commune_officer, report=report, rule_reason="Có 5 mô hình đăng ký từ kỳ trước."
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.rule_reason == "Có 5 mô hình đăng ký từ kỳ trước."
    assert report.first_submitted_on == dt.date(2026, 6, 15)


def test_submission_after_the_campaign_closed_is_refused_with_the_reason(
    campaign: Campaign, report: Report, commune_officer: User, province_admin: User
) -> None:
    fill(report, commune_officer)
    services.campaign_close(actor=province_admin, campaign=campaign)
    with pytest.raises(DomainError) as exc:
        services.report_submit(actor=commune_officer, report=report)
    assert _codes(exc) == {CampaignError.CLOSED}
    assert "đã kết thúc ngày 15/06/2026" in exc.value.message
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.submitted_at is None


# -- review and reopening -------------------------------------------------------------------------


def test_lifecycle_return_approve_lock_reopen_and_changes_since_approval(
    report: Report, commune_officer: User, province_officer: User
) -> None:
    fill(report, commune_officer)
    services.report_submit(actor=commune_officer, report=report)
    with pytest.raises(DomainError) as exc:  # a return needs its message
        services.report_return(actor=province_officer, report=report, message="")
    assert _codes(exc) == {CampaignError.NO_REASON}
    services.report_return(
        actor=province_officer, report=report, message="Bổ sung số buổi tiếp công dân."
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    services.report_save(actor=commune_officer, report=report, manual={"buoi-tiep-cong-dan": "6"})
    services.report_submit(actor=commune_officer, report=report)
    services.report_approve(actor=province_officer, report=report, message="Đạt.")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert report.is_locked
    # A locked report cannot be edited: the message says how to reopen it.
    with pytest.raises(DomainError) as exc:
        services.report_save(actor=commune_officer, report=report, manual={"cuoc-kiem-tra": "9"})
    assert "đề nghị mở lại" in exc.value.message
    assert _value(report, "cuoc-kiem-tra").manual == 1
    with pytest.raises(DomainError):  # the request needs its reason
        services.report_reopen_request(actor=commune_officer, report=report, reason=" ")
    services.report_reopen_request(
        actor=commune_officer, report=report, reason="Sai số cuộc kiểm tra."
    )
    with pytest.raises(PermissionDenied):  # the unit does not grant its own request
        services.report_reopen_decide(actor=commune_officer, report=report, grant=True)
    with pytest.raises(DomainError):  # a refusal needs its reason
        services.report_reopen_decide(actor=province_officer, report=report, grant=False)
    services.report_reopen_decide(actor=province_officer, report=report, grant=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    services.report_save(actor=commune_officer, report=report, manual={"cuoc-kiem-tra": "2"})
    report = selectors.report_get(user=province_officer, public_id=report.public_id)
    changes = selectors.changes_since_approval(report)
    assert [(c.label, c.approved, c.now) for c in changes] == [
        ("Cuộc kiểm tra, giám sát việc thực hiện dân chủ ở cơ sở", "1", "2")
    ]
    kinds = list(report.events.values_list("kind", flat=True))
    assert kinds[-5:] == [
        EventKind.SUBMITTED,
        EventKind.APPROVED,
        EventKind.REOPEN_REQUESTED,
        EventKind.REOPEN_GRANTED,
        EventKind.SAVED,
    ]


def test_reopen_refused_keeps_the_report_locked(
    report: Report, commune_officer: User, province_officer: User
) -> None:
    fill(report, commune_officer)
    services.report_submit(actor=commune_officer, report=report)
    services.report_approve(actor=province_officer, report=report)
    services.report_reopen_request(actor=commune_officer, report=report, reason="Sửa lỗi chính tả.")
    services.report_reopen_decide(
        actor=province_officer, report=report, grant=False, message="Không ảnh hưởng số liệu."
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert report.events.filter(kind=EventKind.REOPEN_REFUSED).count() == 1


def test_outlier_against_the_previous_approved_period_is_a_warning(
    regime: Regime,
    template: ReportTemplate,
    province_admin: User,
    province_officer: User,
    thai_nguyen: Unit,
    commune: Unit,
    commune_officer: User,
) -> None:
    with travel(dt.date(2025, 6, 16)):
        entry(commune, registered_on=dt.date(2025, 3, 1))
        entry(commune, registered_on=dt.date(2025, 3, 2))
        previous = services.campaign_open(
            actor=province_admin,
            regime=regime,
            template=template,
            year=2025,
            owner_unit=thai_nguyen,
            units=[commune],
        ).reports.get()
        fill(previous, commune_officer)
        services.report_submit(actor=commune_officer, report=previous)
        services.report_approve(actor=province_officer, report=previous)
    current = services.campaign_open(
        actor=province_admin,
        regime=regime,
        template=template,
        year=2026,
        owner_unit=thai_nguyen,
        units=[commune],
    ).reports.get()
    fill(current, commune_officer)
    services.report_save(
        actor=commune_officer,
        report=current,
        overrides={"mo-hinh-dang-ky": ("10", "Phát động đợt thi đua mới")},
    )
    warnings = selectors.warnings_for(current)
    assert [w.code for w in warnings] == ["outlier"]
    assert "“Mô hình, điển hình đăng ký trong kỳ”: 10 so với 2 kỳ trước" in warnings[0].message
    services.report_submit(actor=commune_officer, report=current)  # no reason needed
