"""Consultation of citizens on drafts (Law 10/2022/QH15, art. 25–26).

The commune (or a village) opens a draft — a plan, land use, a project, a boundary
change, a charter — for citizens' opinions for a period; the opinions are moderated,
answered or grouped, and afterwards the commune publishes how they were taken in.

A commenter's name and contact are personal data (Law 91/2025/QH15): the contact is
seen only by the officers who manage the consultation, the name is shown on the portal
only when the commenter asked for it.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel
from danvan.units.models import Unit


def _document_path(instance: Consultation, filename: str) -> str:
    # An opaque name: the original one is kept in document_name.
    return f"consultations/{instance.public_id}/{uuid.uuid4().hex}"


class Consultation(TimeStampedModel):
    """A draft open for citizens' opinions."""

    class Subject(models.TextChoices):
        PLAN = "plan", _("Kế hoạch, quy hoạch")
        LAND_USE = "land_use", _("Kế hoạch sử dụng đất")
        PROJECT = "project", _("Dự án, công trình")
        BOUNDARY = "boundary", _("Điều chỉnh địa giới hành chính")
        CHARTER = "charter", _("Hương ước, quy ước")
        OTHER = "other", _("Nội dung khác")

    class State(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        OPEN = "open", _("Đang lấy ý kiến")
        CLOSED = "closed", _("Đã kết thúc lấy ý kiến")
        REPORTED = "reported", _("Đã công khai kết quả tiếp thu")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="consultations")
    subject = models.CharField(_("loại nội dung"), max_length=10, choices=Subject.choices)
    title = models.CharField(_("tên dự thảo"), max_length=300)
    draft = models.TextField(_("nội dung dự thảo"), blank=True)
    document = models.FileField(
        _("tệp dự thảo"), upload_to=_document_path, max_length=255, blank=True
    )
    document_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    document_type = models.CharField(max_length=100, blank=True)
    opens_on = models.DateField(_("ngày bắt đầu lấy ý kiến"), null=True, blank=True)
    closes_on = models.DateField(_("ngày kết thúc lấy ý kiến"), null=True, blank=True)
    closed_on = models.DateField(_("ngày kết thúc thực tế"), null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    report = models.TextField(_("kết quả tiếp thu ý kiến"), blank=True)
    reported_on = models.DateField(_("ngày công khai kết quả"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("đợt lấy ý kiến")
        verbose_name_plural = _("đợt lấy ý kiến")
        indexes = [models.Index(fields=["state", "unit"])]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_unit(self) -> Unit:
        return self.unit


class Comment(TimeStampedModel):
    """A citizen's opinion on a consultation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ kiểm duyệt")
        PUBLISHED = "published", _("Đã đăng")
        REJECTED = "rejected", _("Không đăng")
        GROUPED = "grouped", _("Đã gộp với ý kiến khác")

    # Personal data: the audit trail records that they changed, not their values.
    audit_private_fields: ClassVar[frozenset[str]] = frozenset({"commenter_name", "contact"})

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    text = models.TextField(_("nội dung ý kiến"))
    # Personal data (Law 91/2025/QH15): see the module docstring.
    commenter_name = models.CharField(_("họ tên người góp ý"), max_length=200, blank=True)
    contact = models.CharField(_("thông tin liên hệ"), max_length=300, blank=True)
    show_name = models.BooleanField(_("hiện tên"), default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reject_reason = models.TextField(_("lý do không đăng"), blank=True)
    group_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grouped",
        verbose_name=_("gộp vào ý kiến"),
    )
    answer = models.TextField(_("trả lời, giải trình"), blank=True)
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("ý kiến góp ý")
        verbose_name_plural = _("ý kiến góp ý")
        indexes = [models.Index(fields=["consultation", "status"])]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def audit_unit(self) -> Unit:
        return self.consultation.unit

    @property
    def public_name(self) -> str:
        """The name the portal may show: only when the commenter chose to show it."""
        return self.commenter_name if self.show_name else ""
