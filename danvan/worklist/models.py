"""In-app notices: a line in the top bar when something is assigned to a user."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.units.models import Unit


class Notice(models.Model):
    """A new assignment told to one user (a case to handle, a round to score …).

    The notice carries the text and the link as they were when sent; the page behind
    the link still checks the user's permission when it is opened.
    """

    class Kind(models.TextChoices):
        CASE_ASSIGNED = "case_assigned", _("Được giao xử lý vụ việc")
        CASE_TRANSFERRED = "case_transferred", _("Vụ việc chuyển đến đơn vị")
        REVIEW_ASSIGNED = "review_assigned", _("Được phân công chấm điểm")
        OTHER = "other", _("Thông báo khác")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("loại thông báo"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("nội dung"), max_length=300)
    url = models.CharField(_("đường dẫn"), max_length=500)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã xem lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        # The top bar's count: unread notices of one user, on every page view.
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_unread")]

    def __str__(self) -> str:
        return self.title
