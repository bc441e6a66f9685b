"""The account pages through HTTP: login and lock-out, passwords, tokens, unit switcher."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse

from danvan.accounts import services
from danvan.accounts.models import ApiToken, Role, User
from danvan.accounts.selectors import SESSION_UNIT_KEY
from danvan.accounts.testing import login_verified, make_user
from danvan.audit.models import AuditEvent
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

PASSWORD = "Dan-van-kheo-2025!"


@pytest.fixture
def officer(commune: Unit) -> User:
    user = make_user("can-bo-xa", Role.OFFICER, commune)
    user.email = "canbo@example.vn"
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(client: Client, username: str, password: str, **extra: str) -> Any:
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password, **extra}
    )


# --- Logging in and out ------------------------------------------------------


def test_login_page_is_vietnamese_with_labels(client: Client) -> None:
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="form-label" for="id_username">Tên đăng nhập' in html
    assert '<label class="form-label" for="id_password">Mật khẩu' in html
    assert "<script>" not in html


def test_login_success_redirects_to_dashboard(client: Client, officer: User) -> None:
    response = _login(client, officer.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_login_honours_a_safe_next_only(client: Client, officer: User) -> None:
    response = _login(client, officer.username, PASSWORD, next=reverse("accounts:profile"))
    assert response["Location"] == reverse("accounts:profile")
    client.post(reverse("accounts:logout"))
    response = _login(client, officer.username, PASSWORD, next="https://evil.example/")
    assert response["Location"] == reverse("dashboard:home")


def test_login_failure_shows_error_beside_the_form(client: Client, officer: User) -> None:
    response = _login(client, officer.username, "sai-mat-khau")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in html
    assert 'id="error-summary"' in html
    assert "_auth_user_id" not in client.session


@time_machine.travel(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC), tick=False)
def test_lockout_after_five_failures(client: Client, officer: User) -> None:
    statuses = [_login(client, officer.username, f"sai-{i}").status_code for i in range(5)]
    # The fifth failure reaches the limit and already answers with the lock-out page.
    assert statuses == [200, 200, 200, 200, 429]
    response = _login(client, officer.username, PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Tạm thời chưa đăng nhập được" in html
    assert "nhập sai 5 lần" in html
    assert "khoảng 1 phút nữa" in html  # the first delay (accounts/tests/test_lockout.py)
    assert "quản trị viên đơn vị" in html
    # Even the right password is refused while the delay lasts.
    assert "_auth_user_id" not in client.session


def test_other_accounts_are_not_locked_by_someone_elses_failures(
    client: Client, officer: User, sibling_commune: Unit
) -> None:
    other = make_user("can-bo-khac", Role.OFFICER, sibling_commune)
    other.set_password(PASSWORD)
    other.save()
    for i in range(5):
        _login(client, officer.username, f"sai-{i}")
    assert _login(client, other.username, PASSWORD).status_code == 302


def test_logout_is_post_only(client: Client, officer: User) -> None:
    client.force_login(officer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


# --- Passwords -----------------------------------------------------------------


def test_password_change(client: Client, officer: User) -> None:
    client.force_login(officer)
    url = reverse("accounts:password_change")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"old_password": "sai", "new_password1": "Moi-2025-abc!", "new_password2": "Moi-2025-abc!"},
    )
    assert response.status_code == 200
    assert "Mật khẩu hiện tại không đúng." in response.content.decode()
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Moi-2025-abc!",
            "new_password2": "Moi-2025-abc!",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    officer.refresh_from_db()
    assert officer.check_password("Moi-2025-abc!")
    # The session survives the change, and the audit trail never sees the hash.
    assert client.get(reverse("accounts:password_change_done")).status_code == 200
    event = AuditEvent.objects.filter(
        model_label="accounts.user", object_pk=str(officer.pk), action="update"
    ).first()
    assert event is not None
    assert set(event.changes) == {"password"}
    assert officer.password not in str(event.changes)


def test_password_change_needs_login(client: Client) -> None:
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_password_reset_mail_is_sent_by_the_task_after_commit(
    client: Client, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("accounts:password_reset"), {"email": officer.email})
        # Nothing leaves during the request: the task is queued for after the commit.
        assert mail.outbox == []
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(callbacks) == 1
    callbacks[0]()  # the transaction commits: the (eager) Celery task sends the message

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    assert message.to == [officer.email]
    assert message.subject == "Đặt lại mật khẩu danvan"
    body = str(message.body)
    assert "Tên đăng nhập của bạn: can-bo-xa" in body
    assert message.alternatives  # the HTML part travels too
    link = re.search(r"http://testserver(/\S+)", body)
    assert link is not None

    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    set_url = response.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "Lai-2025-xyz!", "new_password2": "Lai-2025-xyz!"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    officer.refresh_from_db()
    assert officer.check_password("Lai-2025-xyz!")
    # The link cannot be used twice.
    response = client.get(link.group(1), follow=True)
    assert "không hợp lệ" in response.content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "ai@example.vn"})
    # The same answer as for a known address: nobody learns who has an account.
    assert response.status_code == 302
    assert mail.outbox == []


# --- Profile ----------------------------------------------------------------------


def test_profile_shows_identity_grants_and_two_factor(client: Client, officer: User) -> None:
    assert client.get(reverse("accounts:profile")).status_code == 302
    login_verified(client, officer)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert officer.username in html
    assert officer.email in html
    grant = officer.grants.get()
    assert grant.unit is not None
    assert grant.unit.name in html
    assert "Cán bộ nghiệp vụ" in html
    assert "Chưa bật" in html


def test_profile_of_an_admin_says_two_factor_is_on(client: Client, system_admin: User) -> None:
    login_verified(client, system_admin)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Đang bật" in html
    assert "Toàn quốc" in html


# --- API tokens -------------------------------------------------------------------


def test_token_create_shows_the_secret_once_and_stores_only_its_hash(
    client: Client, officer: User
) -> None:
    login_verified(client, officer)
    url = reverse("accounts:tokens")
    response = client.post(url, {"name": "Đồng bộ báo cáo"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    match = re.search(r'value="(dv_[^"]+)"', response.content.decode())
    assert match is not None
    raw = match.group(1)

    token = ApiToken.objects.get(user=officer)
    assert token.key_hash == services.hash_token(raw)
    assert token.name == "Đồng bộ báo cáo"
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw not in [str(v) for v in stored.values()]

    listing = client.get(url).content.decode()
    assert "Đồng bộ báo cáo" in listing
    assert token.prefix in listing
    assert raw not in listing
    assert services.token_authenticate(raw) == officer


def test_token_create_needs_a_name(client: Client, officer: User) -> None:
    login_verified(client, officer)
    response = client.post(reverse("accounts:tokens"), {"name": "  "})
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert not ApiToken.objects.filter(user=officer).exists()


def test_token_revoke(client: Client, officer: User, sibling_commune: Unit) -> None:
    token, raw = services.token_create(actor=officer, name="cũ")
    login_verified(client, officer)
    url = reverse("accounts:token_revoke", args=[token.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.token_authenticate(raw) is None
    assert "Đã thu hồi" in client.get(reverse("accounts:tokens")).content.decode()


def test_token_revoke_of_someone_elses_token_is_404(
    client: Client, officer: User, sibling_commune: Unit
) -> None:
    other = make_user("nguoi-khac", Role.OFFICER, sibling_commune)
    token, _raw = services.token_create(actor=other, name="của người khác")
    login_verified(client, officer)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- Unit switcher ----------------------------------------------------------------


def test_switch_unit_to_an_allowed_unit(client: Client, thai_nguyen: Unit, commune: Unit) -> None:
    leader = make_user("lanh-dao-tinh", Role.LEADER, thai_nguyen)
    login_verified(client, leader)
    profile = reverse("accounts:profile")
    response = client.post(reverse("accounts:switch_unit"), {"unit": commune.code, "next": profile})
    assert response.status_code == 302
    assert response["Location"] == profile
    assert client.session[SESSION_UNIT_KEY] == commune.code
    assert client.get(reverse("dashboard:home")).context["unit"] == commune


def test_switch_unit_goes_back_to_a_same_site_referer_only(
    client: Client, thai_nguyen: Unit, commune: Unit
) -> None:
    leader = make_user("lanh-dao-tinh", Role.LEADER, thai_nguyen)
    login_verified(client, leader)
    url = reverse("accounts:switch_unit")
    back = "http://testserver" + reverse("accounts:profile")
    response = client.post(url, {"unit": commune.code}, headers={"referer": back})
    assert response["Location"] == back
    response = client.post(
        url, {"unit": commune.code}, headers={"referer": "https://evil.example/"}
    )
    assert response["Location"] == reverse("dashboard:home")


def test_switch_unit_to_a_sibling_or_unknown_unit_is_refused_alike(
    client: Client, officer: User, commune: Unit, sibling_commune: Unit
) -> None:
    login_verified(client, officer)
    url = reverse("accounts:switch_unit")
    for typed in (sibling_commune.code, sibling_commune.name, "khong-co"):
        response = client.post(url, {"unit": typed})
        assert response.status_code == 400
        assert f"Không tìm thấy đơn vị “{typed}” trong phạm vi" in response.content.decode()
    response = client.post(url, {"unit": "zzz", "unit_pick": sibling_commune.code})
    assert response.status_code == 400
    assert SESSION_UNIT_KEY not in client.session
    assert client.post(url, {"unit": commune.code}).status_code == 302
    assert client.get(url).status_code == 405


def test_switch_unit_by_a_name_without_diacritics(client: Client, thai_nguyen: Unit) -> None:
    """A province leader has 90-odd communes: the switcher is the unit picker."""
    leader = make_user("lanh-dao-tinh", Role.LEADER, thai_nguyen)
    login_verified(client, leader)
    target = Unit.objects.get(name="Phường Phan Đình Phùng", parent=thai_nguyen)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'id="unit-switcher-unit"' in page
    assert 'role="combobox"' in page
    response = client.post(reverse("accounts:switch_unit"), {"unit": "phan dinh phung"})
    assert response.status_code == 302
    assert client.session[SESSION_UNIT_KEY] == target.code
    # The switcher now shows the working unit by name.
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'value="Phường Phan Đình Phùng — Thái Nguyên"' in page


def test_switch_unit_needs_login(client: Client, commune: Unit) -> None:
    response = client.post(reverse("accounts:switch_unit"), {"unit": commune.code})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
