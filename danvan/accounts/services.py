"""Writes for users, role grants and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from functools import partial
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.audit import services as audit
from danvan.core.errors import DomainError
from danvan.core.validators import one_of
from danvan.units.models import Unit
from danvan.worklist.models import Notice
from danvan.worklist.services import notice_send

from . import policies
from .models import ApiToken, Role, RoleGrant, User
from .policies import Perm
from .tasks import send_email

TOKEN_PREFIX = "dv_"  # noqa: S105 (a public marker, not a secret)


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    full_name: str = "",
    email: str = "",
) -> User:
    if User.objects.filter(username=username).exists():
        raise DomainError(
            "user_exists",
            _("Tên đăng nhập “%(username)s” đã được dùng.") % {"username": username},
            field="username",
        )
    user = User(username=username, full_name=full_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit.record_create(actor=actor, instance=user)
    return user


@transaction.atomic
def grant_create(*, actor: Any, user: User, role: str, unit: Unit | None) -> RoleGrant:
    if role not in Role.values:
        raise DomainError("grant_bad_role", one_of(_("Vai trò"), Role.labels), field="role")
    if role == Role.SYSTEM_ADMIN:
        if unit is not None:
            raise DomainError(
                "grant_bad_unit", _("Quản trị hệ thống không gắn với đơn vị."), field="unit"
            )
        if actor is not None and not policies.is_system_admin(actor):
            raise DomainError("permission_denied", _("Chỉ quản trị hệ thống được cấp vai trò này."))
    else:
        if unit is None:
            raise DomainError("grant_bad_unit", _("Cần chọn đơn vị cho vai trò."), field="unit")
        if actor is not None:
            policies.require(actor, Perm.GRANT_MANAGE, unit)
    grant, created = RoleGrant.objects.get_or_create(
        user=user,
        role=role,
        unit=unit,
        defaults={"granted_by": actor if getattr(actor, "is_authenticated", False) else None},
    )
    if created:
        audit.record_create(actor=actor, instance=grant)
    policies.forget_grants(user)
    return grant


@transaction.atomic
def grant_revoke(*, actor: Any, grant: RoleGrant) -> None:
    if actor is not None:
        if grant.unit is None:
            if not policies.is_system_admin(actor):
                raise DomainError(
                    "permission_denied", _("Chỉ quản trị hệ thống được thu hồi vai trò này.")
                )
        else:
            policies.require(actor, Perm.GRANT_MANAGE, grant.unit)
    audit.record_delete(actor=actor, instance=grant)
    grant.delete()
    policies.forget_grants(grant.user)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Create an API token for *actor*; the secret is returned once and never stored."""
    name = name.strip()
    if not name:
        raise DomainError("token_name_required", _("Cần đặt tên cho mã truy cập."), field="name")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name[:100], prefix=raw[:10], key_hash=hash_token(raw)
    )
    audit.record(actor=actor, action="create", instance=token, changes={"name": [None, token.name]})
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise DomainError("not_found", _("Không tìm thấy mã truy cập."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit.record(
            actor=actor,
            action="update",
            instance=token,
            changes={"revoked_at": [None, token.revoked_at.isoformat()]},
        )
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user behind a bearer token, or None. Marks the token as used."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> User:
    """Set *user*'s password (change or reset). The audit row never holds the hash."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(
        actor=actor if getattr(actor, "is_authenticated", False) else user,
        action="update",
        instance=user,
        changes={"password": ["••••••", "••••••"]},
    )
    return user


@transaction.atomic
def totp_device_start(*, actor: User) -> TOTPDevice:
    """The unconfirmed TOTP device *actor* is enrolling; created when there is none.

    Reusing the pending device keeps the secret stable while the user scans the
    code, so reloading the page does not invalidate what the app already holds.
    """
    if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise DomainError("totp_exists", _("Tài khoản đã bật xác thực hai bước."))
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name="default", confirmed=False)
        # The secret key must never reach the audit trail: record only harmless fields.
        audit.record(
            actor=actor,
            action="create",
            instance=device,
            changes={"name": [None, device.name], "confirmed": [None, False]},
        )
    return device


def totp_device_confirm(*, actor: User, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm *device* with a code from the authenticator app; nothing changes if wrong.

    The code is checked outside the transaction on purpose: a wrong code raises,
    and the failure counter that throttles guessing must survive that rollback.
    """
    if device.user_id != actor.pk or device.confirmed:
        raise DomainError("not_found", _("Không tìm thấy thiết bị xác thực."))
    token = token.strip().replace(" ", "")
    if not token.isdigit() or not device.verify_token(token):
        raise DomainError(
            "totp_invalid", _("Mã xác thực không đúng hoặc đã hết hạn."), field="token"
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(
            actor=actor, action="update", instance=device, changes={"confirmed": [False, True]}
        )
    return device


@transaction.atomic
def login_delay_notify(
    *, username: str, until: dt.datetime, failures: int, address: str | None
) -> Notice | None:
    """Tell the owner of *username* that logging in to it waits until *until*, after
    *failures* wrong passwords (accounts.lockout): a notice on the site and, when the
    account has an address, an e-mail sent once the notice is saved. Someone else may be
    guessing the password; the owner is the one who can tell. Nothing for an account
    name that does not exist (the lock-out itself answers the same either way)."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        return None
    context = {
        "user": user,
        "until": timezone.localtime(until),
        "failures": failures,
        "address": address or "",
    }
    title = render_to_string("accounts/email/login_delay_subject.txt", context).strip()
    (notice,) = notice_send(
        users=[user],
        kind=Notice.Kind.OTHER,
        title=_(
            "Đăng nhập vào tài khoản của bạn bị tạm chặn đến %(until)s sau %(n)s lần nhập sai"
            " mật khẩu. Nếu không phải bạn, hãy đổi mật khẩu và báo quản trị viên đơn vị."
        )
        % {"until": f"{context['until']:%H:%M %d/%m/%Y}", "n": failures},
        url=reverse("accounts:password_change"),
    )
    if user.email:
        transaction.on_commit(
            partial(
                send_email.delay,
                subject=title,
                body=render_to_string("accounts/email/login_delay.txt", context),
                to=[user.email],
            )
        )
    return notice
