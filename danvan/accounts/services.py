"""Writes for users, role grants and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from danvan.audit import services as audit
from danvan.core.errors import DomainError
from danvan.units.models import Unit

from . import policies
from .models import ApiToken, Role, RoleGrant, User
from .policies import Perm

TOKEN_PREFIX = "dv_"


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
        raise DomainError("user_exists", f"Tên đăng nhập “{username}” đã được dùng.", field="username")
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
        raise DomainError("grant_bad_role", "Vai trò không hợp lệ.", field="role")
    if role == Role.SYSTEM_ADMIN:
        if unit is not None:
            raise DomainError("grant_bad_unit", "Quản trị hệ thống không gắn với đơn vị.", field="unit")
        if actor is not None and not policies.is_system_admin(actor):
            raise DomainError("permission_denied", "Chỉ quản trị hệ thống được cấp vai trò này.")
    else:
        if unit is None:
            raise DomainError("grant_bad_unit", "Cần chọn đơn vị cho vai trò.", field="unit")
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
                raise DomainError("permission_denied", "Chỉ quản trị hệ thống được thu hồi vai trò này.")
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
        raise DomainError("token_name_required", "Cần đặt tên cho mã truy cập.", field="name")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name[:100], prefix=raw[:10], key_hash=hash_token(raw)
    )
    audit.record(
        actor=actor, action="create", instance=token, changes={"name": [None, token.name]}
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise DomainError("not_found", "Không tìm thấy mã truy cập.")
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
