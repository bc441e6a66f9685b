"""The campaign fixtures (Thái Nguyên's half-year campaign, time frozen), a province
report whose communes have sent and been approved, and an upload folder of the test's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from danvan.accounts.models import User
from danvan.reports.campaigns import services
from danvan.reports.campaigns.models import Campaign, Report
from danvan.reports.campaigns.tests import conftest as campaign_fixtures
from danvan.reports.campaigns.tests.conftest import fill
from danvan.units.models import Unit

# The campaign tests' fixtures, shared (a conftest is seen only by the tests below it).
_frozen = campaign_fixtures._frozen
regime = campaign_fixtures.regime
template = campaign_fixtures.template
province_admin = campaign_fixtures.province_admin
province_officer = campaign_fixtures.province_officer
commune_officer = campaign_fixtures.commune_officer
sibling_officer = campaign_fixtures.sibling_officer
campaign = campaign_fixtures.campaign

PROVINCE_HEADER = {
    "doc_number": "Số: 125/BC-UBND",
    "issuer_body": "Ủy ban nhân dân tỉnh Thái Nguyên",
    "doc_place": "Thái Nguyên",
    "signing_authority": "TM. ỦY BAN NHÂN DÂN",
    "signer_position": "Chủ tịch",
    "signer_name": "Nguyễn Văn A",
}
COMMUNE_HEADER = {
    **PROVINCE_HEADER,
    "doc_number": "Số: 12/BC-UBND",
    "issuer_body": "Ủy ban nhân dân xã",
    "signer_name": "Trần Thị B",
}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JOBS_HEARTBEAT_DIR = str(tmp_path / "jobs")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def province_report(
    campaign: Campaign,
    thai_nguyen: Unit,
    commune: Unit,
    sibling_commune: Unit,
    commune_officer: User,
    sibling_officer: User,
    province_officer: User,
) -> Report:
    """The province's report, with its document fields; the commune's report has its
    document fields, the sibling commune's has none (its Word file is left out)."""
    services.take_snapshot(campaign=campaign)
    for unit, officer in ((commune, commune_officer), (sibling_commune, sibling_officer)):
        child = Report.objects.get(campaign=campaign, unit=unit)
        fill(child, officer, "2")
        services.report_submit(actor=officer, report=child, rule_reason="Giải trình.")
        services.report_approve(actor=province_officer, report=child)
    services.report_set_document(
        actor=commune_officer,
        report=Report.objects.get(campaign=campaign, unit=commune),
        **COMMUNE_HEADER,
    )
    report = Report.objects.get(campaign=campaign, unit=thai_nguyen)
    services.report_set_document(actor=province_officer, report=report, **PROVINCE_HEADER)
    return Report.objects.get(pk=report.pk)
