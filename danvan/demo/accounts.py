"""The demo accounts: one user for every role, at the province and at a commune.

Demo accounts share one password, :data:`DEMO_PASSWORD`. Administrators (system
and unit administrators) must pass TOTP, so each gets a confirmed device whose
secret is derived, not random, and therefore the same on every machine::

    key    = SHA-1("danvan-demo-totp:" + username)   (20 bytes)
    secret = base32(key)                             (what an authenticator app takes)

Known passwords and keys: never run this against a production database
(``seed_demo`` refuses unless DEBUG is on or ``--force`` is given).

Running the seeding twice adds nothing: users are found again by username, grants
by (user, role, unit) and devices by (user, name). The areas' demo modules find
these users by username (``xa.canbo``, ``tinh.lanhdao`` …) rather than importing
this module, so the dependency stays one-way.
"""

from __future__ import annotations

import hashlib
from base64 import b32encode
from dataclasses import dataclass, field

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.accounts import services as account_services
from danvan.accounts.models import ADMIN_ROLES, Role, User
from danvan.audit import services as audit
from danvan.units.demo import DemoError
from danvan.units.models import Unit

DEMO_PASSWORD = "danvan-demo-2025"  # noqa: S105 (a published demo password)
TOTP_DEVICE_NAME = "demo"
TOTP_KEY_SALT = "danvan-demo-totp:"

# Demo accounts: (username, full name, role, "province" | "commune" | None).
ACCOUNTS: tuple[tuple[str, str, str, str | None], ...] = (
    ("admin", "Quản trị hệ thống (demo)", Role.SYSTEM_ADMIN, None),
    ("tinh.quantri", "Nguyễn Thị Hồng Nhung", Role.UNIT_ADMIN, "province"),
    ("tinh.canbo", "Trần Văn Khánh", Role.OFFICER, "province"),
    ("tinh.danhgia", "Lê Thị Thu Hà", Role.REVIEWER, "province"),
    ("tinh.kiemtra", "Phạm Quang Huy", Role.INSPECTOR, "province"),
    ("tinh.lanhdao", "Hoàng Minh Tuấn", Role.LEADER, "province"),
    ("xa.quantri", "Đỗ Thị Lan", Role.UNIT_ADMIN, "commune"),
    ("xa.canbo", "Dương Văn Hải", Role.OFFICER, "commune"),
    ("xa.danhgia", "Ma Thị Hoa", Role.REVIEWER, "commune"),
    ("xa.kiemtra", "Lương Đức Thắng", Role.INSPECTOR, "commune"),
    ("xa.lanhdao", "Hà Văn Bình", Role.LEADER, "commune"),
)


def demo_totp_key(username: str) -> bytes:
    """The fixed 20-byte TOTP key of a demo administrator (see the module docstring)."""
    return hashlib.sha1((TOTP_KEY_SALT + username).encode(), usedforsecurity=False).digest()


def demo_totp_secret(username: str) -> str:
    """The base32 secret an authenticator app takes for *username*."""
    return b32encode(demo_totp_key(username)).decode()


@dataclass
class DemoAccount:
    username: str
    role: str
    unit: Unit | None
    totp_secret: str = ""
    otpauth_uri: str = ""

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)

    @property
    def unit_label(self) -> str:
        return self.unit.name if self.unit is not None else _("Toàn quốc")


@dataclass
class AccountsDemoResult:
    created: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("users", "grants", "devices"), 0)
    )
    accounts: list[DemoAccount] = field(default_factory=list)
    password: str = DEMO_PASSWORD

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


def _device(user: User, result: AccountsDemoResult) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, name=TOTP_DEVICE_NAME).first()
    if device is not None:
        return device
    result.created["devices"] += 1
    device = TOTPDevice.objects.create(
        user=user,
        name=TOTP_DEVICE_NAME,
        key=demo_totp_key(user.username).hex(),
        confirmed=True,
    )
    # The key is a secret: the audit row names the device, never the key.
    audit.record(
        actor=None,
        action="create",
        instance=device,
        changes={
            "user": [None, user.pk],
            "name": [None, device.name],
            "confirmed": [None, True],
        },
    )
    return device


@transaction.atomic
def demo_seed_accounts(*, province: Unit, commune: Unit) -> AccountsDemoResult:
    """Create (or find again) every demo account, its grant and, for admins, its device.

    Written through the account services with ``actor=None`` (the system), so the
    audit trail shows how the demo came about.
    """
    result = AccountsDemoResult()
    where = {"province": province, "commune": commune, None: None}
    for username, full_name, role, scope in ACCOUNTS:
        unit = where[scope]
        user = User.objects.filter(username=username).first()
        if user is None:
            validate_password(DEMO_PASSWORD, User(username=username, full_name=full_name))
            result.created["users"] += 1
            user = account_services.user_create(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                full_name=full_name,
                email=f"{username}@example.org",
            )
        if not user.grants.filter(role=role, unit=unit).exists():
            result.created["grants"] += 1
            account_services.grant_create(actor=None, user=user, role=role, unit=unit)
        account = DemoAccount(username=username, role=role, unit=unit)
        if role in ADMIN_ROLES:
            device = _device(user, result)
            account.totp_secret = b32encode(device.bin_key).decode()
            account.otpauth_uri = device.config_url
        result.accounts.append(account)
    return result


def demo_totp_code(username: str) -> str:
    """The current 6-digit code of *username*'s confirmed TOTP device (for demos and tests)."""
    devices = TOTPDevice.objects.filter(user__username=username, confirmed=True)
    device = devices.filter(name=TOTP_DEVICE_NAME).first() or devices.first()
    if device is None:
        raise DemoError(
            "no_totp_device",
            _("Tài khoản “%(username)s” không có thiết bị TOTP đã xác nhận.")
            % {"username": username},
        )
    code = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    return f"{code:0{device.digits}d}"
