from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel
from danvan.units.models import Unit


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    UNIT_ADMIN = "unit_admin", _("Quản trị đơn vị")
    OFFICER = "officer", _("Cán bộ nghiệp vụ")
    REVIEWER = "reviewer", _("Thành viên hội đồng đánh giá")
    INSPECTOR = "inspector", _("Cán bộ kiểm tra, giám sát")
    LEADER = "leader", _("Lãnh đạo (chỉ xem)")
    # Held in addition to a handling role: sees a denouncer's identity on the cases one is
    # assigned to (Law on Denunciations 2018, art. 8 and 47).
    IDENTITY_KEEPER = "identity_keeper", _("Được xem danh tính người tố cáo")


# Roles that hold administrative power must log in with a second factor.
ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.UNIT_ADMIN)


class RoleGrant(TimeStampedModel):
    """A role on a unit, covering the unit and everything under it.

    The system administrator's grant has no unit: it covers the whole country.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants"
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="grant_unique"),
            models.CheckConstraint(
                condition=models.Q(role="system_admin", unit__isnull=True)
                | (~models.Q(role="system_admin") & models.Q(unit__isnull=False)),
                name="grant_unit_matches_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id and self.unit else _("toàn quốc")
        return f"{self.get_role_display()} — {where}"

    @property
    def audit_unit(self) -> Unit | None:
        return self.unit


class ApiToken(TimeStampedModel):
    """A bearer token for API clients. Only a SHA-256 hash of the secret is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("tên"), max_length=100)
    # The first characters of the token, shown so a user can tell tokens apart.
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
