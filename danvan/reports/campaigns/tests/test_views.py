"""The campaign pages: who sees what (200/302/403/404), and each refused form answering
400 with its Vietnamese message and what was typed kept."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.reports.campaigns import services
from danvan.reports.campaigns.models import Campaign, Report, ReportStatus, ReportValue
from danvan.reports.indicators import get_query
from danvan.reports.models import Regime, ReportTemplate
from danvan.units.models import Unit

from .conftest import fill

pytestmark = pytest.mark.django_db


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        login_verified(client, user)
    return client


def _url(name: str, obj: Campaign | Report) -> str:
    return reverse(f"report_campaigns:{name}", kwargs={"public_id": obj.public_id})


@pytest.fixture
def outsider(thai_nguyen: Unit) -> User:
    other = Unit.objects.filter(parent__isnull=True).exclude(pk=thai_nguyen.pk).first()
    return make_user("cb-tinh-khac", Role.OFFICER, other)


def test_list_access(campaign: Campaign, commune_officer: User) -> None:
    page = _client(commune_officer).get(reverse("report_campaigns:list"))
    assert page.status_code == 200
    assert campaign.title in page.content.decode()
    assert _client(None).get(reverse("report_campaigns:list")).status_code == 302
    assert (
        _client(make_user("khong-vai-tro")).get(reverse("report_campaigns:list")).status_code == 403
    )


def test_open_form(
    regime: Regime,
    template: ReportTemplate,
    province_admin: User,
    province_officer: User,
    thai_nguyen: Unit,
) -> None:
    url = reverse("report_campaigns:open")
    assert _client(province_officer).get(url).status_code == 403
    admin = _client(province_admin)
    assert admin.get(url).status_code == 200
    foreign = ReportTemplate.objects.exclude(regime=regime).first()
    assert foreign is not None
    data = {
        "regime": regime.pk,
        "template": foreign.pk,
        "year": "2026",
        "owner_unit": thai_nguyen.code,
        "title": "Đợt thử nghiệm",
    }
    refused = admin.post(url, data)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "không thuộc chế độ" in page
    assert 'value="Đợt thử nghiệm"' in page
    assert not Campaign.objects.exists()
    bad_year = admin.post(url, {**data, "template": template.pk, "year": "năm nay"})
    assert bad_year.status_code == 400
    done = admin.post(url, {**data, "template": template.pk})
    assert done.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.title == "Đợt thử nghiệm"
    assert campaign.reports.count() > 10


def test_board_access(
    campaign: Campaign,
    province_officer: User,
    commune_officer: User,
    outsider: User,
    commune: Unit,
) -> None:
    url = _url("detail", campaign)
    page = _client(province_officer).get(url)
    assert page.status_code == 200
    assert "Tỷ lệ đúng hạn" in page.content.decode()
    assert page.context["board"].total.expected == 3
    own = _client(commune_officer).get(url)
    assert own.status_code == 200
    assert own.context["board"].root == commune
    assert _client(outsider).get(url).status_code == 404
    assert _client(None).get(url).status_code == 302


def test_report_page_access(
    report: Report,
    province_officer: User,
    commune_officer: User,
    sibling_officer: User,
) -> None:
    url = _url("report", report)
    page = _client(commune_officer).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Số liệu chốt lúc" in text
    assert "15/06/2026" in text
    # Each computed figure links to the records it counts.
    query = get_query("movement_registered")
    assert query is not None
    campaign = report.campaign
    records = query.records_url(report.unit, campaign.period_start, campaign.period_end)
    assert escape(records) in text
    assert page.context["may_edit"] is True
    parent = _client(province_officer).get(url)
    assert parent.status_code == 200
    assert parent.context["may_edit"] is False
    assert _client(sibling_officer).get(url).status_code == 404


def test_bad_figures_answer_400_keep_what_was_typed_and_change_nothing(
    report: Report, commune_officer: User
) -> None:
    client = _client(commune_officer)
    response = client.post(
        _url("report", report),
        {"manual-van-ban-chi-dao": "mười", "override-mo-hinh-dang-ky": "7"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "không phải là số" in page
    assert "ghi rõ lý do" in page
    assert 'value="mười"' in page
    assert not ReportValue.objects.filter(report=report).exclude(manual=None).exists()
    assert not ReportValue.objects.filter(report=report).exclude(override=None).exists()
    ok = client.post(_url("report", report), {"manual-van-ban-chi-dao": "3"})
    assert ok.status_code == 302
    assert ReportValue.objects.get(report=report, indicator__code="van-ban-chi-dao").manual == 3


def test_parent_posting_to_a_childs_report_is_403(report: Report, province_officer: User) -> None:
    response = _client(province_officer).post(
        _url("report", report), {"manual-van-ban-chi-dao": "3"}
    )
    assert response.status_code == 403


def test_submit_review_and_closing_through_the_pages(
    campaign: Campaign,
    report: Report,
    province_admin: User,
    province_officer: User,
    commune_officer: User,
) -> None:
    unit = _client(commune_officer)
    assert unit.post(_url("submit", report), {}).status_code == 400  # manual figures missing
    fill(report, commune_officer)
    services.report_save(
        actor=commune_officer,
        report=report,
        overrides={"mo-hinh-cong-nhan": ("5", "Số liệu từ sổ theo dõi")},
    )
    refused = unit.post(_url("submit", report), {})
    assert refused.status_code == 400
    assert "quy tắc kiểm tra" in refused.content.decode()
    sent = unit.post(_url("submit", report), {"rule_reason": "Mô hình đăng ký từ kỳ trước."})
    assert sent.status_code == 302
    assert unit.post(_url("approve", report), {}).status_code == 403
    reviewer = _client(province_officer)
    page = reviewer.get(_url("report", report))
    assert page.context["may_review"] is True
    assert "Mô hình đăng ký từ kỳ trước." in page.content.decode()
    assert "Số liệu từ sổ theo dõi" in page.content.decode()
    assert reviewer.post(_url("return", report), {"message": ""}).status_code == 400
    assert reviewer.post(_url("approve", report), {}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    # Locked: saving answers 400 with the way to reopen.
    locked = unit.post(_url("report", report), {"manual-van-ban-chi-dao": "9"})
    assert locked.status_code == 400
    # Closing: a draft can no longer be sent, and the page says why.
    other = campaign.reports.exclude(pk=report.pk).exclude(unit=campaign.owner_unit).get()
    sibling = make_user("cb-xa-ben-2", Role.OFFICER, other.unit)
    fill(other, sibling)
    assert _client(province_admin).post(_url("close", campaign)).status_code == 302
    closed = _client(sibling).post(_url("submit", other), {})
    assert closed.status_code == 400
    assert "đã kết thúc ngày" in closed.content.decode()
