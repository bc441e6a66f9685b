"""The error pages: Vietnamese, in the site's layout, saying what happened and what to do;
the API keeps answering problem+json; htmx gets a fragment for its target."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import loader
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import Role
from danvan.accounts.testing import login_verified, make_user
from danvan.units.models import Unit

pytestmark = [pytest.mark.django_db, pytest.mark.urls("danvan.core.tests.urls_errors")]

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _production_like(settings: Any) -> None:
    # Error pages only show with DEBUG off (with DEBUG on Django shows its debug pages).
    settings.DEBUG = False


def _officer(unit: Unit, name: str = "officer") -> Client:
    client = Client()
    login_verified(client, make_user(name, Role.OFFICER, unit))
    return client


def _text(response) -> str:
    return response.content.decode()


def test_404_in_the_layout_says_what_to_do(commune: Unit) -> None:
    response = _officer(commune).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = _text(response)
    assert "Không tìm thấy trang hoặc hồ sơ" in html
    assert "ngoài phạm vi bạn được giao" in html
    assert 'id="nav-main"' in html  # the site's top bar: the person can go on from here
    assert reverse("dashboard:home") in html


def test_404_for_a_visitor_leads_to_the_citizens_portal() -> None:
    response = Client().get("/khong-co/")
    assert response.status_code == 404
    assert f'href="{reverse("portal:home")}"' in _text(response)


def test_404_on_the_portal_keeps_the_portal_and_speaks_to_citizens(commune: Unit) -> None:
    for client in (Client(), _officer(commune)):
        response = client.get("/cong-dan/khong-co/")
        assert response.status_code == 404
        html = _text(response)
        assert "Điều hướng cổng công dân" in html  # the portal's own top bar
        assert "Tra cứu hồ sơ" in html
        assert "phân quyền" not in html
        assert f'href="{reverse("portal:home")}"' in html


def test_403_names_the_unit_and_who_to_ask(commune: Unit, thai_nguyen: Unit) -> None:
    admin = make_user("province-admin", Role.UNIT_ADMIN, thai_nguyen)
    admin.email = "qt@example.vn"
    admin.save()
    response = _officer(commune).get(f"/test-audit/{commune.code}/")
    assert response.status_code == 403
    html = _text(response)
    assert f"Bạn không có quyền thực hiện việc này trên đơn vị “{commune.name}”" in html
    assert "liên hệ quản trị viên" in html
    assert "qt@example.vn" in html
    assert 'id="nav-main"' in html


def test_403_of_a_view_keeps_its_own_message(commune: Unit) -> None:
    response = _officer(commune).get(reverse("legal:rule_add"))
    assert response.status_code == 403
    assert "Chỉ quản trị hệ thống được sửa quy định pháp lý." in _text(response)


def test_htmx_gets_a_fragment_marked_for_swapping(commune: Unit) -> None:
    response = _officer(commune).get(f"/test-audit/{commune.code}/", headers=HTMX)
    assert response.status_code == 403
    html = _text(response)
    assert "<html" not in html
    assert "Không có quyền" in html
    assert response["X-Danvan-Error"] == "403"
    missing = _officer(commune, "o2").get("/khong-co/", headers=HTMX)
    assert missing.status_code == 404
    assert "<html" not in _text(missing)


def test_400_in_the_layout(commune: Unit) -> None:
    response = _officer(commune).get("/test-bad/")
    assert response.status_code == 400
    html = _text(response)
    assert "Yêu cầu không hợp lệ" in html
    assert "Không có gì bị thay đổi" in html
    assert 'id="nav-main"' in html


def test_400_for_a_forged_host_uses_nothing_of_the_request() -> None:
    response = Client().get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    html = _text(response)
    assert "Yêu cầu không hợp lệ" in html
    assert "bootstrap.min.css" in html


def test_500_page_looks_like_the_site_and_needs_no_database(
    commune: Unit, django_assert_num_queries
) -> None:
    client = _officer(commune)
    client.raise_request_exception = False
    response = client.get("/test-boom/")
    assert response.status_code == 500
    html = _text(response)
    assert "Hệ thống gặp lỗi" in html
    assert "không phải do bạn" in html
    assert "danvan/app.css" in html
    assert "bootstrap.min.css" in html
    with django_assert_num_queries(0):
        assert "Hệ thống gặp lỗi" in loader.render_to_string("500.html")


def test_500_for_htmx_is_a_fragment(commune: Unit) -> None:
    client = _officer(commune)
    client.raise_request_exception = False
    response = client.get("/test-boom/", headers=HTMX)
    assert response.status_code == 500
    assert "<html" not in _text(response)
    assert "Hệ thống gặp lỗi" in _text(response)


def test_csrf_failure_says_reload_and_retype(commune: Unit) -> None:
    client = Client(enforce_csrf_checks=True)
    login_verified(client, make_user("officer", Role.OFFICER, commune))
    response = client.post(reverse("accounts:switch_unit"), {"unit": commune.code})
    assert response.status_code == 403
    html = _text(response)
    assert "Biểu mẫu đã hết hiệu lực" in html
    assert "tải lại trang" in html
    assert "Nhập lại" in html
    assert "cookie" in html
    assert 'id="nav-main"' in html


def test_the_api_keeps_problem_json(commune: Unit) -> None:
    missing = Client().get("/api/v1/khong-co/")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/problem+json")
    client = Client()
    client.raise_request_exception = False
    failed = client.get("/api/v1/test-boom/")
    assert failed.status_code == 500
    assert failed["Content-Type"].startswith("application/problem+json")
    assert failed.json()["code"] == "server_error"


def test_a_citizens_stale_form_says_reload_in_the_portal() -> None:
    response = Client(enforce_csrf_checks=True).post(reverse("portal:submit"), {"summary": "x"})
    assert response.status_code == 403
    html = _text(response)
    assert "Biểu mẫu đã hết hiệu lực" in html
    assert "Điều hướng cổng công dân" in html
