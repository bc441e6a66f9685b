"""The report as an official Word document (checked against its layout) and as a
workbook; the document's number goes through the one parser."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from danvan.accounts.models import User
from danvan.accounts.testing import login_verified
from danvan.core.errors import DomainError
from danvan.legal.layoutcheck import assert_follows_layout
from danvan.reports.campaigns import export, services
from danvan.reports.campaigns.models import Campaign, Report
from danvan.reports.exports.word import official_document
from danvan.units.models import Unit

from .conftest import entry, fill

pytestmark = pytest.mark.django_db

IN_PERIOD = dt.date(2026, 3, 2)

HEADER = {
    "doc_number": "Số: 125/BC-UBND",
    "superior_body": "",
    "issuer_body": "Ủy ban nhân dân tỉnh Thái Nguyên",
    "doc_place": "Thái Nguyên",
    "signing_authority": "TM. ỦY BAN NHÂN DÂN",
    "signer_position": "Chủ tịch",
    "signer_name": "Nguyễn Văn A",
    "recipients": "- Ban Tuyên giáo và Dân vận Trung ương;\n- Lưu: VT.",
}


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
    entry(commune, registered_on=IN_PERIOD)
    services.take_snapshot(campaign=campaign)
    for unit, officer in ((commune, commune_officer), (sibling_commune, sibling_officer)):
        child = Report.objects.get(campaign=campaign, unit=unit)
        fill(child, officer, "2")
        services.report_submit(actor=officer, report=child, rule_reason="Giải trình.")
        services.report_approve(actor=province_officer, report=child)
    return Report.objects.get(campaign=campaign, unit=thai_nguyen)


def test_the_number_is_parsed_and_of_the_regimes_family(
    province_report: Report, province_officer: User
) -> None:
    with pytest.raises(DomainError) as exc:
        services.report_set_document(
            actor=province_officer, report=province_report, doc_number="125/BC UBND"
        )
    assert "125/BC UBND" in exc.value.message
    with pytest.raises(DomainError) as exc:  # a Party number on a State report
        services.report_set_document(
            actor=province_officer, report=province_report, doc_number="12-BC/TU"
        )
    assert "kiểu Nhà nước" in exc.value.message
    province_report.refresh_from_db()
    assert province_report.doc_number == ""
    services.report_set_document(actor=province_officer, report=province_report, **HEADER)
    province_report.refresh_from_db()
    assert province_report.doc_number == "125/BC-UBND"  # the label dropped, as written


def test_the_word_file_follows_the_layout_and_holds_the_figures_and_the_annex(
    province_report: Report, province_officer: User, commune: Unit
) -> None:
    services.report_set_document(actor=province_officer, report=province_report, **HEADER)
    province_report.refresh_from_db()
    services.report_fill_from_children(actor=province_officer, report=province_report)
    data = export.word(province_report)
    assert_follows_layout(data, official_document(export.build(province_report)))
    word = Document(io.BytesIO(data))
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    heading = "\n".join(cells[:4])  # the heading is a borderless two-column table
    assert "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN" in heading
    assert "Số: 125/BC-UBND" in heading
    assert "movement_registered" in cells  # the annex names each figure's query
    assert commune.name in cells  # the children's table
    assert "4" in cells  # the two communes' 2 + 2, filled into the province's figures


def test_downloads(province_report: Report, province_officer: User) -> None:
    client = Client()
    login_verified(client, province_officer)
    url = f"{province_report.get_absolute_url()}tai-word/"
    refused = client.get(url)
    assert refused.status_code == 400
    assert "số, ký hiệu văn bản" in refused.content.decode()
    page = client.post(
        f"{province_report.get_absolute_url()}van-ban/", {**HEADER, "doc_number": "x"}
    )
    assert page.status_code == 400
    assert 'value="x"' in page.content.decode()  # what was typed is kept
    assert client.post(f"{province_report.get_absolute_url()}van-ban/", HEADER).status_code == 302
    word = client.get(url)
    assert word.status_code == 200
    assert word["Content-Disposition"].endswith('.docx"')
    sheet = client.get(f"{province_report.get_absolute_url()}tai-excel/")
    assert sheet.status_code == 200
    book = load_workbook(io.BytesIO(sheet.getvalue()))
    assert book.sheetnames == ["Tỉnh", "Xã"]
    assert book["Xã"].max_row >= 3  # the header rows and a row per commune
