"""The regimes' pages: every officer reads them; anonymous users are sent to sign in;
a signed-in user without a reading role is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.testing import make_user
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

LIST = reverse("reports:regime_list")
DETAIL = reverse("reports:regime_detail", kwargs={"code": "nd09-6-thang-dan-chu-co-so"})


@pytest.fixture
def officer_client(client: Client, commune: Unit) -> Client:
    client.force_login(make_user("canbo-xa-bc", "officer", commune))
    return client


def test_officer_reads_the_list(officer_client: Client) -> None:
    response = officer_client.get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Báo cáo sơ kết 6 tháng thực hiện dân chủ ở cơ sở" in page
    assert "cần đối chiếu" in page


def test_officer_reads_a_regime_with_its_template_and_deadlines(
    officer_client: Client, django_assert_max_num_queries: Any
) -> None:
    # The regime, its deadlines, templates, sections, indicators and rules are
    # prefetched: the page's queries do not grow with the number of indicators.
    with django_assert_max_num_queries(20):
        response = officer_client.get(DETAIL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mô hình, điển hình đăng ký trong kỳ" in page
    assert "Công khai thông tin và cải cách hành chính" in page
    assert "15/12/" in page
    assert "14/06/" in page
    assert "ngày làm việc" in page


def test_unknown_regime_is_404(officer_client: Client) -> None:
    response = officer_client.get(reverse("reports:regime_detail", kwargs={"code": "khong-co"}))
    assert response.status_code == 404


@pytest.mark.parametrize("url", [LIST, DETAIL])
def test_anonymous_is_sent_to_sign_in(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_user_without_role_is_refused(client: Client) -> None:
    client.force_login(make_user("khong-vai-tro"))
    assert client.get(LIST).status_code == 403
