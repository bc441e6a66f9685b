"""The periodic-reports API (/api/v1/reports/…): regimes, templates, campaigns, reports,
their figures and their review, with the same policy checks as the pages; every refusal
a problem+json with a Vietnamese detail, and nothing written.

The campaign fixtures are the campaigns tests' own (imported below, frozen on Monday
15/06/2026): test arguments of the same names are those fixtures, hence F811 off here.
"""

# ruff: noqa: F811

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from danvan.accounts.models import Role, User
from danvan.accounts.testing import API_READ_SCOPED, build_cast, make_user, walk
from danvan.core.validation import TEXT_LIMIT
from danvan.reports.campaigns import services
from danvan.reports.campaigns.models import Campaign, Report, ReportStatus, ReportValue
from danvan.reports.campaigns.tests.conftest import (  # noqa: F401 (fixtures)
    _frozen,
    campaign,
    commune_officer,
    fill,
    manual_codes,
    province_admin,
    province_officer,
    regime,
    report,
    sibling_officer,
    template,
    travel,
)
from danvan.reports.models import Regime, ReportTemplate, Source
from danvan.units.models import Unit

from .helpers import assert_problem, bearer

pytestmark = pytest.mark.django_db

BASE = "/api/v1/reports"


def report_url(report: Report, action: str = "") -> str:
    return f"{BASE}/{report.public_id}" + (f"/{action}" if action else "")


def get(user: User | None, url: str, **params: Any) -> Any:
    return Client().get(url, params, headers=bearer(user) if user else {})


def send(user: User, url: str, body: dict[str, Any], method: str = "post") -> Any:
    call = getattr(Client(), method)
    return call(url, body, content_type="application/json", headers=bearer(user))


def computed_code(report: Report) -> str:
    return str(
        report.campaign.template.indicators.filter(source=Source.COMPUTED)
        .order_by("order")
        .values_list("code", flat=True)[0]
    )


def _value(report: Report, code: str) -> ReportValue:
    return ReportValue.objects.get(report=report, indicator__code=code)


@pytest.fixture
def outsider(db: None) -> User:
    """An officer of another province: the campaign of Thái Nguyên is out of sight."""
    other = Unit.objects.filter(kind="province").exclude(code="19").order_by("code").first()
    assert other is not None
    return make_user("cb-tinh-khac", Role.OFFICER, other)


def submitted(report: Report, officer: User) -> Report:
    fill(report, officer)
    return services.report_submit(actor=officer, report=report)


# -- regimes and templates --------------------------------------------------------------


def test_regimes_with_their_deadlines(commune_officer: User, regime: Regime) -> None:
    response = get(commune_officer, f"{BASE}/regimes", year=2026)
    assert response.status_code == 200, response.content
    found = {r["code"]: r for r in response.json()}
    half_year = found[regime.code]
    assert (half_year["period_start"], half_year["period_end"]) == ("2025-12-15", "2026-06-14")
    deadlines = {d["unit_kind"]: d for d in half_year["deadlines"]}
    assert deadlines["commune"]["working_days"] == 2
    assert deadlines["commune"]["due_date"] == "2026-06-16"
    assert deadlines["province"]["due_date"] == "2026-06-19"
    assert half_year["templates"][0]["version"] == 1

    detail = get(commune_officer, f"{BASE}/regimes/{regime.code}")
    assert detail.status_code == 200, detail.content
    body = detail.json()
    assert body["content"] == regime.content
    assert body["year"] == 2026  # the frozen day's year by default
    assert_problem(get(commune_officer, f"{BASE}/regimes/khong-co"), 404, "regime_not_found")


def test_regimes_are_for_the_officers_who_work_to_them(db: None) -> None:
    nobody = make_user("khong-vai-tro")
    assert_problem(get(nobody, f"{BASE}/regimes"), 403, "permission_denied")
    assert get(None, f"{BASE}/regimes").status_code == 401


def test_a_template_with_sections_indicators_and_rules(
    commune_officer: User, template: ReportTemplate
) -> None:
    response = get(commune_officer, f"{BASE}/templates/{template.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["regime"]["code"] == template.regime.code
    assert len(body["sections"]) == template.sections.count()
    assert [i["code"] for i in body["indicators"]] == list(
        template.indicators.order_by("order").values_list("code", flat=True)
    )
    computed = next(i for i in body["indicators"] if i["source"] == "computed")
    assert computed["query"]
    assert computed["query_label"]
    rule = body["rules"][0]
    assert {rule["left"], rule["right"]} <= {i["code"] for i in body["indicators"]}
    assert rule["operator_label"] == "≤"
    assert_problem(get(commune_officer, f"{BASE}/templates/999999"), 404, "template_not_found")


# -- campaigns ---------------------------------------------------------------------------


def test_campaigns_the_user_sees_paged(
    campaign: Campaign, province_officer: User, commune_officer: User, outsider: User
) -> None:
    mine = get(province_officer, f"{BASE}/campaigns", limit=10)
    assert mine.status_code == 200, mine.content
    body = mine.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["public_id"] == str(campaign.public_id)
    assert item["expected"] == 3
    assert item["owner_unit"]["code"] == "19"
    assert item["status"] == "open"
    # A commune reads the campaign that asks its report.
    assert get(commune_officer, f"{BASE}/campaigns").json()["count"] == 1
    assert get(commune_officer, f"{BASE}/campaigns", status="closed").json()["count"] == 0
    assert get(outsider, f"{BASE}/campaigns").json()["count"] == 0
    assert_problem(get(province_officer, f"{BASE}/campaigns", status="x"), 422, "validation_error")


def test_a_campaign_with_its_board(
    campaign: Campaign,
    province_officer: User,
    commune_officer: User,
    outsider: User,
    report: Report,
    commune: Unit,
) -> None:
    submitted(report, commune_officer)
    response = get(province_officer, f"{BASE}/campaigns/{campaign.public_id}")
    assert response.status_code == 200, response.content
    body = response.json()
    board = body["board"]
    assert board["root"]["code"] == "19"
    total = board["total"]
    assert (total["expected"], total["submitted"], total["on_time"]) == (3, 1, 1)
    assert total["reporting_pct"] == round(100 / 3, 1)
    assert len(body["reports"]) == 3
    assert body["may_close"] is False  # an officer, not the unit's administrator

    # The commune reads its own part of the board, and its own report.
    own = get(commune_officer, f"{BASE}/campaigns/{campaign.public_id}").json()
    assert own["board"]["root"]["code"] == commune.code
    assert own["board"]["total"]["expected"] == 1
    assert [r["public_id"] for r in own["own_reports"]] == [str(report.public_id)]

    # Out of sight: answered like a missing campaign.
    missing = get(outsider, f"{BASE}/campaigns/{campaign.public_id}")
    assert_problem(missing, 404, "campaign_not_found")


# -- one report --------------------------------------------------------------------------


def test_report_access_walk(report: Report, commune: Unit) -> None:
    cast = build_cast(commune)
    walk(cast, report_url(report), expect=API_READ_SCOPED, api=True)


def test_a_report_with_its_values(report: Report, commune_officer: User) -> None:
    response = get(commune_officer, report_url(report))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["due_date"] == "2026-06-16"
    assert body["snapshot_taken_at"] is not None
    assert body["reviewer_unit"]["code"] == "19"
    assert body["allowed_actions"] == ["save", "submit"]
    values = {v["indicator"]: v for v in body["values"]}
    computed = values[computed_code(report)]
    assert computed["source"] == "computed"
    assert computed["computed"] is not None
    assert computed["records_url"].startswith("/")
    manual = values[manual_codes(report)[0]]
    assert (manual["manual"], manual["value"], manual["records_url"]) == (None, None, "")
    assert len(body["narratives"]) == report.campaign.template.sections.count()
    assert [e["kind"] for e in body["events"]] == ["opened", "snapshot"]
    assert body["rollup"] is None  # a commune has no children in this campaign


def test_save_figures_overrides_and_narratives(report: Report, commune_officer: User) -> None:
    first, second = manual_codes(report)[:2]
    computed = computed_code(report)
    section = report.campaign.template.sections.order_by("order").first()
    assert section is not None
    body = {
        "manual": [{"indicator": first, "value": "12,5"}, {"indicator": second, "value": 0}],
        "overrides": [{"indicator": computed, "value": 7, "reason": "Số liệu từ sổ tiếp dân."}],
        "narratives": [{"section_id": section.pk, "text": "Đã ban hành 3 văn bản."}],
    }
    response = send(commune_officer, report_url(report, "values"), body, "patch")
    assert response.status_code == 200, response.content
    values = {v["indicator"]: v for v in response.json()["values"]}
    assert Decimal(values[first]["manual"]) == Decimal("12.5")
    # Zero is a figure, not an empty one.
    assert Decimal(values[second]["value"]) == 0
    assert Decimal(values[computed]["value"]) == 7
    assert values[computed]["override_reason"] == "Số liệu từ sổ tiếp dân."
    texts = {n["section_id"]: n["text"] for n in response.json()["narratives"]}
    assert texts[section.pk] == "Đã ban hành 3 văn bản."
    assert response.json()["events"][-1]["kind"] == "saved"


def test_an_override_needs_a_reason_and_a_figure_must_be_a_number(
    report: Report, commune_officer: User
) -> None:
    computed, manual = computed_code(report), manual_codes(report)[0]
    body = {
        "manual": [{"indicator": manual, "value": "mười hai"}],
        "overrides": [{"indicator": computed, "value": "9", "reason": "  "}],
    }
    response = send(commune_officer, report_url(report, "values"), body, "patch")
    problem = assert_problem(response, 400, "campaign_bad_value")
    fields = {e["field"]: e["code"] for e in problem["errors"]}
    assert fields == {
        f"manual-{manual}": "campaign_bad_value",
        f"reason-{computed}": "campaign_no_reason",
    }
    only_override = {"overrides": [{"indicator": computed, "value": "9"}]}
    response = send(commune_officer, report_url(report, "values"), only_override, "patch")
    assert "lý do" in assert_problem(response, 400, "campaign_no_reason")["detail"]
    value = _value(report, computed)
    assert value.override is None
    assert _value(report, manual).manual is None


def test_a_parent_does_not_write_a_childs_report(
    report: Report, province_officer: User, outsider: User
) -> None:
    body = {"manual": [{"indicator": manual_codes(report)[0], "value": "1"}]}
    problem = assert_problem(
        send(province_officer, report_url(report, "values"), body, "patch"),
        403,
        "permission_denied",
    )
    assert "không sửa thay" in problem["detail"]
    # Out of sight: like a missing report, for reads and writes alike.
    assert_problem(get(outsider, report_url(report)), 404, "report_not_found")
    assert_problem(
        send(outsider, report_url(report, "values"), body, "patch"), 404, "report_not_found"
    )
    assert _value(report, manual_codes(report)[0]).manual is None


def test_submit_approve_and_the_lock(
    report: Report, commune_officer: User, province_officer: User
) -> None:
    fill(report, commune_officer)
    # Only the report's own unit sends it; the reviewer approves it.
    response = send(commune_officer, report_url(report, "submit"), {})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    assert_problem(
        send(commune_officer, report_url(report, "approve"), {}), 403, "permission_denied"
    )

    approved = send(province_officer, report_url(report, "approve"), {"message": "Đạt."})
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    assert approved.json()["allowed_actions"] == []

    # Locked: no more figures, until a reopen is granted.
    body = {"manual": [{"indicator": manual_codes(report)[0], "value": "5"}]}
    locked = send(commune_officer, report_url(report, "values"), body, "patch")
    assert "khóa" in assert_problem(locked, 400, "campaign_report_bad_state")["detail"]
    assert _value(report, manual_codes(report)[0]).manual == Decimal(1)


def test_return_needs_a_message(
    report: Report, commune_officer: User, province_officer: User
) -> None:
    submitted(report, commune_officer)
    empty = send(province_officer, report_url(report, "return"), {"message": " "})
    assert_problem(empty, 400, "campaign_no_reason")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    response = send(province_officer, report_url(report, "return"), {"message": "Bổ sung số."})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "returned"
    assert body["events"][-1] == {
        **body["events"][-1],
        "kind": "returned",
        "message": "Bổ sung số.",
    }


def test_reopen_request_and_decision(
    report: Report, commune_officer: User, province_officer: User
) -> None:
    services.report_approve(actor=province_officer, report=submitted(report, commune_officer))
    no_reason = send(commune_officer, report_url(report, "reopen-request"), {})
    assert_problem(no_reason, 400, "campaign_no_reason")
    asked = send(commune_officer, report_url(report, "reopen-request"), {"reason": "Sai số."})
    assert asked.status_code == 200, asked.content
    assert asked.json()["status"] == "reopen_requested"
    # The unit cannot grant its own request.
    assert_problem(
        send(commune_officer, report_url(report, "reopen"), {"decision": "grant"}),
        403,
        "permission_denied",
    )
    refuse = send(province_officer, report_url(report, "reopen"), {"decision": "refuse"})
    assert_problem(refuse, 400, "campaign_no_reason")
    bad = send(province_officer, report_url(report, "reopen"), {"decision": "maybe"})
    assert_problem(bad, 422, "validation_error")
    granted = send(province_officer, report_url(report, "reopen"), {"decision": "grant"})
    assert granted.status_code == 200, granted.content
    assert granted.json()["status"] == "draft"
    assert granted.json()["allowed_actions"] == []  # the province reads; the commune edits


def test_no_submission_after_the_campaign_closed(
    campaign: Campaign, report: Report, commune_officer: User, province_admin: User
) -> None:
    fill(report, commune_officer)
    services.campaign_close(actor=province_admin, campaign=campaign)
    problem = assert_problem(
        send(commune_officer, report_url(report, "submit"), {}), 400, "campaign_closed"
    )
    assert "đã kết thúc" in problem["detail"]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert get(commune_officer, report_url(report)).json()["allowed_actions"] == []


def test_a_parent_report_shows_its_childrens_rollup(
    campaign: Campaign,
    report: Report,
    thai_nguyen: Unit,
    commune_officer: User,
    province_officer: User,
) -> None:
    services.report_approve(actor=province_officer, report=submitted(report, commune_officer))
    province = Report.objects.get(campaign=campaign, unit=thai_nguyen)
    response = get(province_officer, report_url(province))
    assert response.status_code == 200, response.content
    rolled = response.json()["rollup"]
    assert rolled["missing_count"] == 1  # the sibling commune has not been approved
    children = {c["report"]: c for c in rolled["children"]}
    assert children[str(report.public_id)]["counted"] is True
    first = manual_codes(report)[0]
    totals = {t["indicator"]: t for t in rolled["totals"]}
    assert Decimal(totals[first]["total"]) == 1  # the approved commune's figure
    line = {v["indicator"]: v for v in children[str(report.public_id)]["values"]}
    assert Decimal(line[first]["value"]) == 1


def test_nul_and_over_long_texts_are_refused(report: Report, commune_officer: User) -> None:
    section = report.campaign.template.sections.order_by("order").first()
    assert section is not None
    nul = {"narratives": [{"section_id": section.pk, "text": "Nội\x00dung"}]}
    response = send(commune_officer, report_url(report, "values"), nul, "patch")
    assert_problem(response, 400, "nul_character")
    long = {"narratives": [{"section_id": section.pk, "text": "x" * (TEXT_LIMIT + 1)}]}
    response = send(commune_officer, report_url(report, "values"), long, "patch")
    assert_problem(response, 422, "validation_error")
    assert not report.narratives.exists()


def test_a_submission_after_its_deadline_is_late_on_the_board(
    campaign: Campaign, report: Report, commune_officer: User, province_officer: User
) -> None:
    fill(report, commune_officer)
    with travel(dt.date(2026, 6, 17)):
        assert send(commune_officer, report_url(report, "submit"), {}).status_code == 200
        board = get(province_officer, f"{BASE}/campaigns/{campaign.public_id}").json()["board"]
    # The commune sent after its deadline (16/06), its sibling has not sent by it; the
    # province's deadline (19/06) is still ahead.
    assert board["total"]["late"] == 2
    assert board["total"]["on_time"] == 0
