"""Regimes, deadlines and templates: the period arithmetic, the working-day deadlines,
the refusals of clean() through the services, and the seed of the data migration."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from danvan.accounts.testing import make_user
from danvan.core.errors import DomainError, PermissionDenied
from danvan.legal.workdays import WorkCalendar
from danvan.reports import services
from danvan.reports.models import (
    Frequency,
    Indicator,
    IssuerKind,
    Regime,
    RegimeDeadline,
    ReportTemplate,
    Source,
    ValidationRule,
)
from danvan.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

NO_EXCEPTIONS = WorkCalendar(exceptions={})


def _regime(**kw: Any) -> Regime:
    fields: dict[str, Any] = {
        "code": "thu-nghiem",
        "name": "Báo cáo thử nghiệm",
        "issuer_kind": IssuerKind.STATE,
        "content": "Nội dung",
        "reporters": "UBND cấp xã",
        "receivers": "UBND cấp tỉnh",
        "sending_method": "Hệ thống thông tin báo cáo",
        "frequency": Frequency.HALF_YEAR,
        "period_start_month": 12,
        "period_start_day": 15,
        "period_end_month": 6,
        "period_end_day": 14,
        "citation": "Nghị định 09/2019/NĐ-CP, Điều 12",
    }
    fields.update(kw)
    return services.regime_create(actor=None, **fields)


def _template(regime: Regime) -> ReportTemplate:
    return services.template_create(
        actor=None, regime=regime, name="Mẫu thử", effective_from=dt.date(2026, 1, 1)
    )


# -- the data period ----------------------------------------------------------------------


def test_half_year_period_starts_in_the_previous_year() -> None:
    regime = _regime()
    assert regime.period(2026) == (dt.date(2025, 12, 15), dt.date(2026, 6, 14))


def test_annual_period_runs_from_15_december_to_14_december() -> None:
    regime = _regime(frequency=Frequency.ANNUAL, period_end_month=12, period_end_day=14)
    assert regime.period(2026) == (dt.date(2025, 12, 15), dt.date(2026, 12, 14))


def test_a_period_within_one_calendar_year_stays_in_it() -> None:
    regime = _regime(
        frequency=Frequency.ANNUAL,
        period_start_month=1,
        period_start_day=1,
        period_end_month=12,
        period_end_day=31,
    )
    assert regime.period(2026) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


# -- deadlines in working days ------------------------------------------------------------


def test_deadline_skips_the_weekend() -> None:
    # The cut-off on Friday 12/06/2026: one working day after it is Monday 15/06/2026.
    regime = _regime(period_end_day=12)
    deadline = services.regime_deadline_create(
        actor=None, regime=regime, unit_kind=UnitKind.COMMUNE, working_days=1
    )
    assert deadline.due_date(2026, NO_EXCEPTIONS) == dt.date(2026, 6, 15)


def test_deadline_counts_from_a_cut_off_on_sunday() -> None:
    # Sunday 14/06/2026 → Monday 15 (1), Tuesday 16 (2), …, Friday 19 (5).
    regime = _regime()
    deadline = services.regime_deadline_create(
        actor=None, regime=regime, unit_kind=UnitKind.PROVINCE, working_days=5
    )
    assert deadline.due_date(2026, NO_EXCEPTIONS) == dt.date(2026, 6, 19)


def test_deadline_of_zero_working_days_is_refused() -> None:
    regime = _regime()
    with pytest.raises(DomainError) as caught:
        services.regime_deadline_create(
            actor=None, regime=regime, unit_kind=UnitKind.COMMUNE, working_days=0
        )
    assert caught.value.field == "working_days"
    assert "ít nhất 1 ngày làm việc" in caught.value.message
    assert not RegimeDeadline.objects.filter(regime=regime).exists()


def test_cut_off_on_a_day_the_month_lacks_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        _regime(period_end_month=2, period_end_day=30)
    assert caught.value.field == "period_end_day"
    assert "30/2 không có trong năm" in caught.value.message
    assert not Regime.objects.filter(code="thu-nghiem").exists()


# -- indicators and rules -----------------------------------------------------------------


def test_computed_indicator_with_an_unknown_query_is_refused() -> None:
    template = _template(_regime())
    with pytest.raises(DomainError) as caught:
        services.indicator_create(
            actor=None,
            template=template,
            order=1,
            code="mo-hinh",
            label="Mô hình đăng ký",
            source=Source.COMPUTED,
            query="khong_co",
        )
    message = caught.value.message
    assert caught.value.field == "query"
    assert message.startswith("Chỉ tiêu “Mô hình đăng ký” dùng truy vấn “khong_co” chưa có")
    assert "các truy vấn có: " in message
    assert "movement_registered" in message
    assert not Indicator.objects.filter(template=template).exists()


def test_computed_indicator_without_a_query_is_refused() -> None:
    template = _template(_regime())
    with pytest.raises(DomainError) as caught:
        services.indicator_create(
            actor=None, template=template, order=1, code="x", label="X", source=Source.COMPUTED
        )
    assert caught.value.field == "query"


def test_manual_indicator_with_a_query_is_refused() -> None:
    template = _template(_regime())
    with pytest.raises(DomainError) as caught:
        services.indicator_create(
            actor=None,
            template=template,
            order=1,
            code="doi-thoai",
            label="Hội nghị đối thoại",
            source=Source.MANUAL,
            query="cases_received",
        )
    assert caught.value.field == "query"
    assert "do đơn vị nhập nên không dùng truy vấn" in caught.value.message


def test_rule_between_indicators_of_two_templates_is_refused() -> None:
    regime = _regime()
    mine, other = (
        _template(regime),
        services.template_create(
            actor=None,
            regime=regime,
            name="Mẫu khác",
            version=2,
            effective_from=dt.date(2026, 7, 1),
        ),
    )
    left = services.indicator_create(
        actor=None, template=mine, order=1, code="a", label="Chỉ tiêu A", source=Source.MANUAL
    )
    right = services.indicator_create(
        actor=None, template=other, order=1, code="b", label="Chỉ tiêu B", source=Source.MANUAL
    )
    with pytest.raises(DomainError) as caught:
        services.validation_rule_create(
            actor=None, template=mine, left=left, operator="le", right=right, message="A ≤ B"
        )
    assert caught.value.field == "right"
    assert "Chỉ tiêu “Chỉ tiêu B” thuộc mẫu báo cáo khác" in caught.value.message
    assert (
        not ValidationRule.objects.exists()
        or not ValidationRule.objects.filter(template=mine).exists()
    )


def test_rule_comparing_an_indicator_with_itself_is_refused() -> None:
    template = _template(_regime())
    a = services.indicator_create(
        actor=None, template=template, order=1, code="a", label="A", source=Source.MANUAL
    )
    with pytest.raises(DomainError) as caught:
        services.validation_rule_create(
            actor=None, template=template, left=a, operator="le", right=a, message="A ≤ A"
        )
    assert "hai chỉ tiêu khác nhau" in caught.value.message


def test_an_officer_may_not_change_regimes(commune: Unit) -> None:
    officer = make_user("canbo-baocao", "officer", commune)
    with pytest.raises(PermissionDenied):
        services.regime_create(actor=officer, code="x", name="X")


# -- the seed -----------------------------------------------------------------------------


def test_seed_regimes_templates_and_rules_are_present_after_migrate() -> None:
    half = Regime.objects.get(code="nd09-6-thang-dan-chu-co-so")
    annual = Regime.objects.get(code="nd09-nam-dan-chu-co-so")
    party = Regime.objects.get(code="dang-so-ket-6-thang-dan-chu-dan-van-kheo")
    assert party.issuer_kind == IssuerKind.PARTY
    assert half.issuer_kind == IssuerKind.STATE
    assert all(r.to_verify and r.citation for r in (half, annual, party))
    assert half.period(2026) == (dt.date(2025, 12, 15), dt.date(2026, 6, 14))
    assert annual.period(2026) == (dt.date(2025, 12, 15), dt.date(2026, 12, 14))
    assert set(half.deadlines.values_list("unit_kind", flat=True)) == {"commune", "province"}
    template = half.templates.get(active=True)
    assert template.sections.count() == 6
    rules = {
        (r.left.code, r.operator, r.right.code)
        for r in template.rules.select_related("left", "right")
    }
    assert ("mo-hinh-cong-nhan", "le", "mo-hinh-dang-ky") in rules
    assert ("mo-hinh-tieu-bieu", "le", "mo-hinh-cong-nhan") in rules
    # Every seeded indicator passes the checks an administrator's edit must pass.
    for indicator in Indicator.objects.filter(template__regime__in=[half, annual, party]):
        indicator.full_clean()
    assert annual.templates.exists()
    assert party.templates.exists()


def test_indicator_in_a_section_of_another_template_is_refused() -> None:
    regime = _regime()
    mine = _template(regime)
    other = services.template_create(
        actor=None, regime=regime, name="Mẫu khác", version=2, effective_from=dt.date(2026, 7, 1)
    )
    section = services.section_create(actor=None, template=other, order=1, title="Phần khác")
    with pytest.raises(DomainError) as caught:
        services.indicator_create(
            actor=None,
            template=mine,
            section=section,
            order=1,
            code="a",
            label="A",
            source=Source.MANUAL,
        )
    assert caught.value.field == "section"
    assert "Phần “Phần khác” thuộc mẫu báo cáo khác" in caught.value.message


# -- several periods a year (Decree 09/2019/NĐ-CP art. 12) --------------------------------


def _periodic(frequency: str, start: tuple[int, int], end: tuple[int, int]) -> Regime:
    return Regime(
        code=f"r-{frequency}",
        name="Chế độ thử",
        frequency=frequency,
        period_start_month=start[0],
        period_start_day=start[1],
        period_end_month=end[0],
        period_end_day=end[1],
    )


def test_quarterly_periods_follow_each_other_by_three_months() -> None:
    regime = _periodic(Frequency.QUARTERLY, (12, 15), (3, 14))
    assert regime.periods_per_year == 4
    assert regime.period(2026, 1) == (dt.date(2025, 12, 15), dt.date(2026, 3, 14))
    assert regime.period(2026, 2) == (dt.date(2026, 3, 15), dt.date(2026, 6, 14))
    assert regime.period(2026, 4) == (dt.date(2026, 9, 15), dt.date(2026, 12, 14))
    assert regime.period_label(2) == "quý II"
    with pytest.raises(ValueError, match="period 5"):
        regime.period(2026, 5)


def test_monthly_periods_and_a_day_the_month_lacks() -> None:
    regime = _periodic(Frequency.MONTHLY, (12, 15), (1, 14))
    assert regime.periods_per_year == 12
    assert regime.period(2026, 2) == (dt.date(2026, 1, 15), dt.date(2026, 2, 14))
    assert regime.period(2026, 12) == (dt.date(2026, 11, 15), dt.date(2026, 12, 14))
    assert regime.period_label(3) == "tháng 3"
    # The 31st of a month kept within a shorter one.
    end_of_month = _periodic(Frequency.MONTHLY, (1, 1), (1, 31))
    assert end_of_month.period(2026, 2) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))


def test_one_period_a_year_regimes() -> None:
    regime = _periodic(Frequency.HALF_YEAR, (12, 15), (6, 14))
    assert regime.periods_per_year == 1
    assert regime.period_label(1) == ""
    assert regime.period(2026) == (dt.date(2025, 12, 15), dt.date(2026, 6, 14))
    with pytest.raises(ValueError, match="period 2"):
        regime.period(2026, 2)
