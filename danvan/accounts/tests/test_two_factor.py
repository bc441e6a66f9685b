"""Two-factor authentication: administrators enrol a TOTP device, then verify every session."""

from __future__ import annotations

import base64
import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.accounts import services
from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.audit.models import AuditEvent
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice, *, offset: int = 0) -> str:
    device.refresh_from_db()
    return str(totp(device.bin_key, step=device.step, drift=offset)).zfill(device.digits)


def _wrong_code(device: TOTPDevice) -> str:
    # Not any code within the device's tolerance window (previous, current, next step).
    valid = {_code(device, offset=o) for o in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


@pytest.fixture
def unit_admin_without_device(commune: Unit) -> User:
    user = services.user_create(actor=None, username="qt-xa", password=None, full_name="QT Xã")
    services.grant_create(actor=None, user=user, role=Role.UNIT_ADMIN, unit=commune)
    return user


def _setup_page(client: Client) -> tuple[TOTPDevice, str]:
    response = client.get(reverse("accounts:two_factor"), {"next": reverse("dashboard:home")})
    assert response.status_code == 200
    return TOTPDevice.objects.get(confirmed=False), response.content.decode()


def test_admin_without_device_is_sent_to_enrol_and_then_reaches_dashboard(
    client: Client, unit_admin_without_device: User
) -> None:
    client.force_login(unit_admin_without_device)
    dashboard = reverse("dashboard:home")
    response = client.get(dashboard)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    assert not TOTPDevice.objects.filter(user=unit_admin_without_device).exists()

    device, html = _setup_page(client)
    assert device.user == unit_admin_without_device
    # The QR code is an SVG image drawn on the server; the secret is also in text.
    assert 'src="data:image/svg+xml;base64,' in html
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html)
    assert secret is not None
    assert base64.b32decode(secret.group(1).replace(" ", "")) == device.bin_key
    assert "<script>" not in html

    response = client.post(
        reverse("accounts:two_factor"), {"token": _code(device), "next": dashboard}
    )
    assert response.status_code == 302
    assert response["Location"] == dashboard
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(dashboard).status_code == 200

    # Both writes are in the audit trail, and the secret key is in neither.
    events = AuditEvent.objects.filter(model_label="otp_totp.totpdevice", object_pk=str(device.pk))
    assert sorted(e.action for e in events) == ["create", "update"]
    assert all(device.key not in str(e.changes) for e in events)


def test_reloading_the_setup_page_keeps_the_same_secret(
    client: Client, unit_admin_without_device: User
) -> None:
    client.force_login(unit_admin_without_device)
    first, _html = _setup_page(client)
    second, _html = _setup_page(client)
    assert first.pk == second.pk
    assert TOTPDevice.objects.filter(user=unit_admin_without_device).count() == 1


def test_wrong_code_at_setup_is_refused_and_changes_nothing(
    client: Client, unit_admin_without_device: User
) -> None:
    client.force_login(unit_admin_without_device)
    device, _html = _setup_page(client)
    response = client.post(reverse("accounts:two_factor"), {"token": _wrong_code(device)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mã xác thực không đúng hoặc đã hết hạn." in html
    assert 'class="invalid-feedback d-block"' in html
    device.refresh_from_db()
    assert not device.confirmed
    # Still not verified: the dashboard keeps sending the administrator back.
    assert client.get(reverse("dashboard:home")).status_code == 302
    assert not AuditEvent.objects.filter(
        model_label="otp_totp.totpdevice", action="update"
    ).exists()


def test_admin_with_a_device_verifies_a_code_each_session(client: Client, commune: Unit) -> None:
    admin = make_user("qt-xa-co-thiet-bi", Role.UNIT_ADMIN, commune)
    device = TOTPDevice.objects.get(user=admin, confirmed=True)
    client.force_login(admin)
    profile = reverse("accounts:profile")
    response = client.get(profile)
    assert response.status_code == 302
    two_factor = reverse("accounts:two_factor")
    assert response["Location"] == f"{two_factor}?next={profile}"

    page = client.get(two_factor, {"next": profile}).content.decode()
    assert "data:image/svg+xml" not in page  # no new enrolment for an enrolled user
    response = client.post(two_factor, {"token": _code(device), "next": profile})
    assert response.status_code == 302
    assert response["Location"] == profile
    assert client.get(profile).status_code == 200
    assert TOTPDevice.objects.filter(user=admin).count() == 1


def test_admin_with_a_device_is_refused_a_wrong_code(client: Client, commune: Unit) -> None:
    admin = make_user("qt-xa-sai-ma", Role.UNIT_ADMIN, commune)
    device = TOTPDevice.objects.get(user=admin, confirmed=True)
    client.force_login(admin)
    response = client.post(reverse("accounts:two_factor"), {"token": _wrong_code(device)})
    assert response.status_code == 200
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
    assert client.get(reverse("dashboard:home")).status_code == 302
    # Guessing is throttled: right after a failure even a right code must wait.
    response = client.post(reverse("accounts:two_factor"), {"token": _code(device)})
    assert "Bạn đã nhập sai nhiều lần" in response.content.decode()
    assert client.get(reverse("dashboard:home")).status_code == 302


def test_two_factor_ignores_an_unsafe_next(client: Client, unit_admin_without_device: User) -> None:
    client.force_login(unit_admin_without_device)
    device, _html = _setup_page(client)
    response = client.post(
        reverse("accounts:two_factor"),
        {"token": _code(device), "next": "https://evil.example/" + quote("/")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")


def test_two_factor_needs_login(client: Client) -> None:
    response = client.get(reverse("accounts:two_factor"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_officer_may_enrol_too(client: Client, commune: Unit) -> None:
    officer = make_user("can-bo-tu-nguyen", Role.OFFICER, commune)
    client.force_login(officer)
    # Not forced: an officer reaches the dashboard without a second factor.
    assert client.get(reverse("dashboard:home")).status_code == 200
    device, _html = _setup_page(client)
    response = client.post(reverse("accounts:two_factor"), {"token": _code(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=officer).confirmed


def test_admin_logs_in_with_password_then_code(client: Client, commune: Unit) -> None:
    admin = make_user("qt-dang-nhap", Role.UNIT_ADMIN, commune)
    admin.set_password("Quan-tri-2025!")
    admin.save()
    device = TOTPDevice.objects.get(user=admin, confirmed=True)
    response = client.post(
        reverse("accounts:login"), {"username": admin.username, "password": "Quan-tri-2025!"}
    )
    assert response["Location"] == reverse("dashboard:home")
    response = client.get(reverse("dashboard:home"))
    assert response["Location"] == f"{reverse('accounts:two_factor')}?next=/"
    page = client.get(response["Location"]).content.decode()
    assert "Mã xác thực" in page
    assert ">Xác nhận</button>" in page
    response = client.post(reverse("accounts:two_factor"), {"token": _code(device), "next": "/"})
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
