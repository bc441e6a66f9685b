"""The periodic-reports API's writes beyond the review: opening and closing a campaign,
refreshing a draft's computed figures, filling a parent's figures from its children, the
document fields, and the background export (start, progress, download, retry).

The fixtures are the campaigns tests' own (frozen on Monday 15/06/2026); F811 is off
because the test arguments of the same names are those fixtures.
"""

# ruff: noqa: F811

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.reports.campaigns import services
from danvan.reports.campaigns.exports.tests.conftest import (  # noqa: F401 (fixtures)
    media,
    province_report,
)
from danvan.reports.campaigns.models import Campaign, CampaignStatus, Report, ReportStatus
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
from danvan.reports.models import Regime, ReportTemplate
from danvan.units.models import Unit

from .helpers import assert_problem, bearer

pytestmark = pytest.mark.django_db

BASE = "/api/v1/reports"


def send(user: User, url: str, body: dict[str, Any] | None = None, method: str = "post") -> Any:
    call = getattr(Client(), method)
    return call(url, body or {}, content_type="application/json", headers=bearer(user))


def get(user: User, url: str) -> Any:
    return Client().get(url, headers=bearer(user))


# -- opening and closing -------------------------------------------------------------------


def _open_body(regime: Regime, template: ReportTemplate, **extra: Any) -> dict[str, Any]:
    return {
        "regime": regime.code,
        "template_id": template.pk,
        "year": 2026,
        "owner_unit": "19",
        **extra,
    }


def test_the_province_opens_a_campaign_for_the_units_it_names(
    province_admin: User,
    regime: Regime,
    template: ReportTemplate,
    thai_nguyen: Unit,
    commune: Unit,
) -> None:
    body = _open_body(regime, template, units=[thai_nguyen.code, commune.code], title=" Đợt 1 ")
    response = send(province_admin, f"{BASE}/campaigns", body)
    assert response.status_code == 201, response.content
    data = response.json()
    campaign = Campaign.objects.get(public_id=data["public_id"])
    assert campaign.title == "Đợt 1"
    assert sorted(r.unit.code for r in campaign.reports.all()) == sorted(
        [thai_nguyen.code, commune.code]
    )
    assert data["board"]["total"]["expected"] == 2
    assert data["may_close"] is True


def test_opening_refuses_in_vietnamese_and_writes_nothing(
    province_admin: User,
    commune_officer: User,
    regime: Regime,
    template: ReportTemplate,
) -> None:
    bad_year = send(province_admin, f"{BASE}/campaigns", _open_body(regime, template, year=1990))
    problem = assert_problem(bad_year, 400, "campaign_bad_year")
    assert {e["field"] for e in problem["errors"]} == {"year"}
    unknown = send(
        province_admin, f"{BASE}/campaigns", {**_open_body(regime, template), "regime": "x"}
    )
    assert_problem(unknown, 404, "regime_not_found")
    missing = _open_body(regime, template, template_id=999_999)
    assert_problem(send(province_admin, f"{BASE}/campaigns", missing), 404, "template_not_found")
    # A commune officer does not open campaigns.
    refused = send(commune_officer, f"{BASE}/campaigns", _open_body(regime, template))
    assert_problem(refused, 403, "permission_denied")
    assert not Campaign.objects.exists()


def test_closing_stops_submissions(
    campaign: Campaign, report: Report, province_admin: User, commune_officer: User
) -> None:
    fill(report, commune_officer)
    assert_problem(
        send(commune_officer, f"{BASE}/campaigns/{campaign.public_id}/close"),
        403,
        "permission_denied",
    )
    response = send(province_admin, f"{BASE}/campaigns/{campaign.public_id}/close")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == CampaignStatus.CLOSED
    late = send(commune_officer, f"{BASE}/{report.public_id}/submit", {"rule_reason": "x"})
    assert_problem(late, 400, "campaign_closed")


# -- refresh, fill, document -------------------------------------------------------------


def test_refresh_takes_the_snapshot_again_only_before_submission(
    report: Report, commune_officer: User
) -> None:
    before = report.snapshot_taken_at
    with travel(hour=15):
        response = send(commune_officer, f"{BASE}/{report.public_id}/refresh")
    assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert before is not None
    assert report.snapshot_taken_at is not None
    assert report.snapshot_taken_at > before
    fill(report, commune_officer)
    services.report_submit(actor=commune_officer, report=report, rule_reason="Giải trình.")
    refused = send(commune_officer, f"{BASE}/{report.public_id}/refresh")
    assert_problem(refused, 400, "campaign_report_bad_state")


def test_fill_copies_the_approved_childrens_totals(
    province_report: Report, province_officer: User
) -> None:
    response = send(province_officer, f"{BASE}/{province_report.public_id}/fill-from-children")
    assert response.status_code == 200, response.content
    manual = {v["indicator"]: v["manual"] for v in response.json()["values"] if v["manual"]}
    # Each commune typed 2 into every manual figure: the province's sums are 4.
    assert manual
    assert set(manual.values()) == {"4.00"}, manual


def test_fill_without_children_is_refused(report: Report, commune_officer: User) -> None:
    response = send(commune_officer, f"{BASE}/{report.public_id}/fill-from-children")
    assert_problem(response, 400, "campaign_bad_value")


def test_the_document_fields_change_only_as_sent(report: Report, commune_officer: User) -> None:
    url = f"{BASE}/{report.public_id}/document"
    response = send(
        commune_officer, url, {"doc_number": "Số: 12/BC-UBND", "signer_name": "Trần Thị B"}, "patch"
    )
    assert response.status_code == 200, response.content
    assert response.json()["document"]["doc_number"] == "12/BC-UBND"
    response = send(commune_officer, url, {"doc_place": "Thái Nguyên"}, "patch")
    document = response.json()["document"]
    assert (document["signer_name"], document["doc_place"]) == ("Trần Thị B", "Thái Nguyên")
    bad = send(commune_officer, url, {"doc_number": "12 / BC-UBND"}, "patch")
    problem = assert_problem(bad, 400, "campaign_bad_number")
    assert {e["field"] for e in problem["errors"]} == {"doc_number"}
    report.refresh_from_db()
    assert report.doc_number == "12/BC-UBND"


# -- exports -------------------------------------------------------------------------------


def test_export_start_progress_and_download(
    province_report: Report,
    province_officer: User,
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = f"{BASE}/{province_report.public_id}/exports"
    with django_capture_on_commit_callbacks(execute=True):
        response = send(province_officer, url, {"scope": "subtree"})
    assert response.status_code == 202, response.content
    started = response.json()
    assert started["scope"] == "subtree"
    status = get(province_officer, started["status_url"])
    assert status.status_code == 200, status.content
    body = status.json()
    assert body["state"] == "succeeded"
    assert body["done"] == body["total"] == 6
    download = get(province_officer, body["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as bundle:
        assert "README.txt" in bundle.namelist()


def test_only_the_author_follows_an_export(
    province_report: Report,
    province_officer: User,
    thai_nguyen: Unit,
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = f"{BASE}/{province_report.public_id}/exports"
    started = send(province_officer, url, {"scope": "unit"}).json()
    colleague = make_user("cb-tinh-2", Role.OFFICER, thai_nguyen)
    assert_problem(get(colleague, started["status_url"]), 403, "permission_denied")
    # Not made yet (queued, nothing executed): the file is not there.
    file_url = started["status_url"] + "/file"
    assert_problem(get(province_officer, file_url), 404, "export_not_ready")


def test_a_bad_scope_is_refused(province_report: Report, province_officer: User) -> None:
    response = send(province_officer, f"{BASE}/{province_report.public_id}/exports", {"scope": "x"})
    assert response.status_code == 422 or response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_submitted_report_still_takes_its_number(report: Report, commune_officer: User) -> None:
    fill(report, commune_officer)
    services.report_submit(actor=commune_officer, report=report, rule_reason="Giải trình.")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    url = f"{BASE}/{report.public_id}/document"
    response = send(commune_officer, url, {"doc_number": "15/BC-UBND"}, "patch")
    assert response.status_code == 200, response.content
