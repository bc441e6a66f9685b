"""Administrators change regimes and templates without a deploy (issue 13, item 1): the
services (checked, audited, refused in Vietnamese) and the edit pages (400 on a refusal,
with what was typed; 403 for readers, who see no edit buttons)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError, PermissionDenied
from danvan.reports import services
from danvan.reports.models import (
    Indicator,
    Regime,
    RegimeDeadline,
    ReportTemplate,
    Source,
    ValidationRule,
)
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

CODE = "nd09-6-thang-dan-chu-co-so"


@pytest.fixture
def admin() -> User:
    return make_user("quantri-bao-cao", Role.SYSTEM_ADMIN, None)


@pytest.fixture
def admin_client(admin: User) -> Client:
    client = Client()
    login_verified(client, admin)
    return client


@pytest.fixture
def officer_client(commune: Unit) -> Client:
    client = Client()
    login_verified(client, make_user("canbo-bao-cao", Role.OFFICER, commune))
    return client


def _regime() -> Regime:
    return Regime.objects.get(code=CODE)


def _template() -> ReportTemplate:
    return ReportTemplate.objects.get(regime__code=CODE, version=1)


def _regime_form(regime: Regime, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {name: getattr(regime, name) for name in services.REGIME_FIELDS}
    data["to_verify"] = "on" if regime.to_verify else ""
    data.update(changes)
    return {k: v for k, v in data.items() if v not in ("", None, False)}


# -- services -------------------------------------------------------------------------------


def test_regime_update_checks_and_audits(admin: User) -> None:
    regime = services.regime_update(actor=admin, regime=_regime(), citation="Nghị định 09, Điều 12")
    assert Regime.objects.get(pk=regime.pk).citation == "Nghị định 09, Điều 12"
    event = AuditEvent.objects.filter(model_label="reports.regime", object_pk=str(regime.pk)).last()
    assert event is not None
    assert event.action == AuditEvent.Action.UPDATE
    assert "citation" in event.changes
    with pytest.raises(DomainError) as refused:
        services.regime_update(actor=admin, regime=regime, period_end_month=2, period_end_day=30)
    assert refused.value.field == "period_end_day"
    assert "30/2" in refused.value.message
    assert Regime.objects.get(pk=regime.pk).period_end_month == 6  # nothing written


def test_only_administrators_change_regimes(commune: Unit) -> None:
    officer = make_user("canbo-khong-sua", Role.OFFICER, commune)
    with pytest.raises(PermissionDenied):
        services.regime_update(actor=officer, regime=_regime(), name="Khác")
    with pytest.raises(PermissionDenied):
        services.template_deactivate(actor=officer, template=_template())


def test_deadlines_are_set_per_unit_kind(admin: User) -> None:
    regime = _regime()
    before = {d.unit_kind: d.working_days for d in regime.deadlines.all()}
    assert "commune" in before
    services.regime_deadlines_set(
        actor=admin, regime=regime, days={"commune": before["commune"] + 1, "province": None}
    )
    after = {d.unit_kind: d.working_days for d in RegimeDeadline.objects.filter(regime=regime)}
    assert after["commune"] == before["commune"] + 1
    assert "province" not in after
    with pytest.raises(DomainError) as refused:
        services.regime_deadlines_set(actor=admin, regime=regime, days={"commune": 0})
    assert refused.value.field == "commune"
    assert "ít nhất 1 ngày làm việc" in refused.value.message


def test_an_unknown_query_is_refused_with_the_known_ones(admin: User) -> None:
    indicator = Indicator.objects.get(template=_template(), code="mo-hinh-dang-ky")
    with pytest.raises(DomainError) as refused:
        services.indicator_update(actor=admin, indicator=indicator, query="khong-co")
    assert refused.value.field == "query"
    assert "disclosures_missing" in refused.value.message
    assert Indicator.objects.get(pk=indicator.pk).query == "movement_registered"


def test_a_new_version_copies_sections_indicators_and_rules(admin: User) -> None:
    old = _template()
    copy = services.template_new_version(
        actor=admin, template=old, effective_from=dt.date(2027, 1, 1)
    )
    assert copy.version == 2
    assert copy.active
    assert copy.sections.count() == old.sections.count() > 0
    assert copy.indicators.count() == old.indicators.count() > 0
    assert copy.rules.count() == old.rules.count() > 0
    # The copy's rules and sections point inside the copy, never back at the old version.
    assert not ValidationRule.objects.filter(template=copy).exclude(left__template=copy).exists()
    assert (
        not Indicator.objects.filter(template=copy, section__isnull=False)
        .exclude(section__template=copy)
        .exists()
    )
    services.template_deactivate(actor=admin, template=old)
    assert not ReportTemplate.objects.get(pk=old.pk).active
    third = services.template_new_version(
        actor=admin, template=copy, effective_from=dt.date(2028, 1, 1)
    )
    assert third.version == 3


def test_deleting_an_indicator_takes_its_rules(admin: User) -> None:
    template = _template()
    indicator = Indicator.objects.get(template=template, code="mo-hinh-cong-nhan")
    rules = template.rules.count()
    services.indicator_delete(actor=admin, indicator=indicator)
    assert template.rules.count() == rules - 2  # recognized ≤ registered, exemplary ≤ recognized


def test_the_seeded_disclosure_figure_is_computed() -> None:
    # Migration 0003: the manual figure became the query's, in every seeded template.
    rows = Indicator.objects.filter(code="cong-khai-chua-thuc-hien")
    assert rows.count() == 3
    assert set(rows.values_list("source", "query")) == {(Source.COMPUTED, "disclosures_missing")}


# -- pages ----------------------------------------------------------------------------------


def test_admin_edits_a_regime(admin_client: Client) -> None:
    regime = _regime()
    url = reverse("reports:regime_edit", kwargs={"code": CODE})
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, _regime_form(regime, name="Báo cáo 6 tháng (sửa)"))
    assert response.status_code == 302
    assert Regime.objects.get(pk=regime.pk).name == "Báo cáo 6 tháng (sửa)"


def test_a_refused_regime_keeps_what_was_typed(admin_client: Client) -> None:
    regime = _regime()
    url = reverse("reports:regime_edit", kwargs={"code": CODE})
    response = admin_client.post(
        url,
        _regime_form(regime, name="Tên mới đã gõ", period_end_month=2, period_end_day=31),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ngày 31/2 không có trong năm" in page
    assert "Tên mới đã gõ" in page
    assert Regime.objects.get(pk=regime.pk).name == regime.name


def test_admin_adds_a_regime_and_a_template(admin_client: Client) -> None:
    regime = _regime()
    response = admin_client.post(
        reverse("reports:regime_create"),
        _regime_form(regime, code="bao-cao-quy", name="Báo cáo quý", frequency="quarterly"),
    )
    assert response.status_code == 302
    created = Regime.objects.get(code="bao-cao-quy")
    assert response["Location"] == created.get_absolute_url()
    response = admin_client.post(
        reverse("reports:template_create", kwargs={"code": "bao-cao-quy"}),
        {"name": "Mẫu báo cáo quý", "effective_from": "01/01/2027", "active": "on"},
    )
    assert response.status_code == 302
    template = ReportTemplate.objects.get(regime=created)
    assert (template.version, template.effective_from) == (1, dt.date(2027, 1, 1))


def test_indicator_form_refuses_an_unknown_query(admin_client: Client) -> None:
    template = _template()
    url = reverse("reports:indicator_create", kwargs={"pk": template.pk})
    data = {
        "order": 99,
        "code": "chi-tieu-moi",
        "label": "Chỉ tiêu mới",
        "kind": "number",
        "source": "computed",
        "query": "khong-co",
        "aggregation": "sum",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "khong-co" in page
    assert "tasks_overdue" in page
    assert not Indicator.objects.filter(template=template, code="chi-tieu-moi").exists()
    response = admin_client.post(url, {**data, "query": "disclosures_missing"})
    assert response.status_code == 302
    assert Indicator.objects.get(template=template, code="chi-tieu-moi").query == (
        "disclosures_missing"
    )


def test_rule_form_offers_only_the_templates_indicators(admin_client: Client) -> None:
    template = _template()
    other = ReportTemplate.objects.exclude(pk=template.pk).first()
    assert other is not None
    foreign = other.indicators.first()
    assert foreign is not None
    own = template.indicators.order_by("order")[:2]
    url = reverse("reports:rule_create", kwargs={"pk": template.pk})
    response = admin_client.post(
        url, {"left": foreign.pk, "operator": "le", "right": own[0].pk, "message": "Kiểm tra"}
    )
    assert response.status_code == 400
    response = admin_client.post(
        url, {"left": own[0].pk, "operator": "le", "right": own[0].pk, "message": "Kiểm tra"}
    )
    assert response.status_code == 400
    assert "hai chỉ tiêu khác nhau" in response.content.decode()


def test_admin_deactivates_a_template_and_deletes_a_rule(admin_client: Client) -> None:
    template = _template()
    response = admin_client.post(reverse("reports:template_deactivate", kwargs={"pk": template.pk}))
    assert response.status_code == 302
    assert not ReportTemplate.objects.get(pk=template.pk).active
    rule = template.rules.first()
    assert rule is not None
    url = reverse(
        "reports:row_delete", kwargs={"pk": template.pk, "what": "quy-tac", "row_pk": rule.pk}
    )
    assert admin_client.get(url).status_code == 405
    assert admin_client.post(url).status_code == 302
    assert not ValidationRule.objects.filter(pk=rule.pk).exists()


def test_readers_see_no_edit_buttons_and_are_refused(officer_client: Client) -> None:
    detail = officer_client.get(reverse("reports:regime_detail", kwargs={"code": CODE}))
    assert detail.status_code == 200
    assert reverse("reports:regime_edit", kwargs={"code": CODE}) not in detail.content.decode()
    template = _template()
    for url in (
        reverse("reports:regime_create"),
        reverse("reports:regime_edit", kwargs={"code": CODE}),
        reverse("reports:regime_deadlines", kwargs={"code": CODE}),
        reverse("reports:template_edit", kwargs={"pk": template.pk}),
        reverse("reports:indicator_create", kwargs={"pk": template.pk}),
    ):
        assert officer_client.get(url).status_code == 403, url
    response = officer_client.post(
        reverse("reports:template_deactivate", kwargs={"pk": template.pk})
    )
    assert response.status_code == 403
    assert ReportTemplate.objects.get(pk=template.pk).active


def test_admin_sees_the_edit_buttons(admin_client: Client) -> None:
    page = admin_client.get(
        reverse("reports:regime_detail", kwargs={"code": CODE})
    ).content.decode()
    template = _template()
    assert reverse("reports:regime_edit", kwargs={"code": CODE}) in page
    assert reverse("reports:template_new_version", kwargs={"pk": template.pk}) in page
    assert reverse("reports:regime_deadlines", kwargs={"code": CODE}) in page


def test_admin_edits_deadlines_on_one_form(admin_client: Client) -> None:
    url = reverse("reports:regime_deadlines", kwargs={"code": CODE})
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"commune": "0", "province": "12"})
    assert response.status_code == 400
    deadlines = dict(_regime().deadlines.values_list("unit_kind", "working_days"))
    response = admin_client.post(url, {"commune": "7", "province": "12"})
    assert response.status_code == 302
    after = dict(_regime().deadlines.values_list("unit_kind", "working_days"))
    assert after == {"commune": 7, "province": 12}
    assert deadlines != after


def test_unknown_rows_are_404(admin_client: Client) -> None:
    assert (
        admin_client.get(reverse("reports:template_edit", kwargs={"pk": 999999})).status_code == 404
    )
    other = ReportTemplate.objects.exclude(pk=_template().pk).first()
    assert other is not None
    indicator = _template().indicators.first()
    assert indicator is not None
    # An indicator of another template answers like a missing one.
    url = reverse("reports:indicator_edit", kwargs={"pk": other.pk, "indicator_pk": indicator.pk})
    assert admin_client.get(url).status_code == 404


def test_the_menu_links_the_regimes_for_readers_only(
    officer_client: Client, client: Client
) -> None:
    link = f'href="{reverse("reports:regime_list")}"'
    page = reverse("units:tree")  # a page every signed-in user opens, with the menu
    response = officer_client.get(page)
    assert response.status_code == 200
    assert link in response.content.decode()
    assert "Báo cáo định kỳ" in response.content.decode()
    client.force_login(make_user("khong-vai-tro-bc"))
    response = client.get(page)
    assert response.status_code == 200
    assert link not in response.content.decode()
