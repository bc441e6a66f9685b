"""Review conferences: half-year reviews (sơ kết 6 tháng), annual reviews (tổng kết năm)
and thematic conferences (chuyên đề) held by a level (a province, a commune …).

A conference has its chair (from the officials directory, with the name and position
copied when recorded: officials change, the record must not), its delegates, its
participating points when it is held online (each commune a point, with its attendance:
the 2025 national review linked 3,280 commune points), its speeches and its conclusion.
The conclusion's points become tasks through the proposals pages (the tasks app finds
the conference through ``danvan.directives.tasks.sources``), and the conclusion notice
(thông báo kết luận) prints in the official layout of its issuer (notice.py).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel
from danvan.units.models import Official, Unit

TITLE_MAX_LENGTH = 300
NAME_MAX_LENGTH = 200


class ConferenceKind(models.TextChoices):
    HALF_YEAR_REVIEW = "half_year_review", _("Sơ kết 6 tháng")
    ANNUAL_REVIEW = "annual_review", _("Tổng kết năm")
    THEMATIC = "thematic", _("Chuyên đề")


class Half(models.IntegerChoices):
    FIRST = 1, _("6 tháng đầu năm")
    SECOND = 2, _("6 tháng cuối năm")


class IssuerFamily(models.TextChoices):
    """Which layout the notice prints in (domain.md §6b)."""

    STATE = "state", _("Nhà nước (Nghị định 30/2020/NĐ-CP)")
    PARTY = "party", _("Đảng")


class Conference(TimeStampedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("cấp tổ chức"),
        on_delete=models.PROTECT,
        related_name="directive_conferences",
    )
    kind = models.CharField(_("loại hội nghị"), max_length=20, choices=ConferenceKind.choices)
    title = models.CharField(_("tên hội nghị"), max_length=TITLE_MAX_LENGTH)
    held_on = models.DateField(_("ngày tổ chức"), db_index=True)
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    online = models.BooleanField(_("trực tuyến"), default=False)
    chair = models.ForeignKey(
        Official,
        verbose_name=_("chủ trì"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_conferences",
    )
    # Copied when the chair is chosen: the directory shows today's position, the record
    # keeps the one held at the conference.
    chair_name = models.CharField(_("họ tên người chủ trì"), max_length=NAME_MAX_LENGTH, blank=True)
    chair_position = models.CharField(
        _("chức vụ người chủ trì"), max_length=NAME_MAX_LENGTH, blank=True
    )
    period_year = models.PositiveSmallIntegerField(_("năm được sơ kết, tổng kết"), null=True)
    period_half = models.PositiveSmallIntegerField(
        _("sáu tháng"), choices=Half.choices, null=True, blank=True
    )
    agenda = models.TextField(_("chương trình hội nghị"), blank=True)
    conclusion = models.TextField(_("kết luận"), blank=True)
    concluded_at = models.DateTimeField(_("ghi kết luận lúc"), null=True, blank=True)
    # The conclusion notice (thông báo kết luận).
    notice_number = models.CharField(_("số, ký hiệu thông báo"), max_length=80, blank=True)
    notice_on = models.DateField(_("ngày thông báo"), null=True, blank=True)
    notice_place = models.CharField(_("địa danh"), max_length=100, blank=True)
    issuer_family = models.CharField(
        _("khối cơ quan ban hành"), max_length=8, choices=IssuerFamily.choices, blank=True
    )
    issuer_body = models.CharField(_("cơ quan ban hành"), max_length=300, blank=True)
    superior_body = models.CharField(_("cơ quan cấp trên"), max_length=300, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=NAME_MAX_LENGTH, blank=True)
    signer_position = models.CharField(
        _("chức vụ người ký"), max_length=NAME_MAX_LENGTH, blank=True
    )
    signing_authority = models.CharField(_("thẩm quyền ký"), max_length=200, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("hội nghị sơ kết, tổng kết, chuyên đề")
        verbose_name_plural = _("hội nghị sơ kết, tổng kết, chuyên đề")
        indexes = [models.Index(fields=["unit", "-held_on"], name="conf_unit_date")]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("conferences:detail", args=[self.public_id])

    @property
    def audit_unit(self) -> Unit:
        return self.unit

    @property
    def has_notice(self) -> bool:
        return bool(self.notice_number and self.notice_on and self.issuer_family)

    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class Delegate(TimeStampedModel):
    """A delegate: an official of the directory, or a guest written by name."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="delegates")
    official = models.ForeignKey(
        Official, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("họ và tên"), max_length=NAME_MAX_LENGTH)
    position = models.CharField(_("chức vụ"), max_length=NAME_MAX_LENGTH, blank=True)
    organisation = models.CharField(_("cơ quan, đơn vị"), max_length=300, blank=True)
    attended = models.BooleanField(_("có mặt"), default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("đại biểu")
        verbose_name_plural = _("đại biểu")
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "official"],
                condition=models.Q(official__isnull=False),
                name="conf_delegate_official_once",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_unit(self) -> Unit:
        return self.conference.unit


class Point(TimeStampedModel):
    """A participating point of an online conference (điểm cầu): one per commune."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="points")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    expected = models.PositiveIntegerField(_("số người dự kiến"), default=0)
    attended = models.PositiveIntegerField(_("số người dự"), default=0)
    connected = models.BooleanField(_("đã kết nối"), default=False)

    class Meta:
        ordering = ["unit__path"]
        verbose_name = _("điểm cầu")
        verbose_name_plural = _("điểm cầu")
        constraints = [
            models.UniqueConstraint(fields=["conference", "unit"], name="conf_point_once")
        ]

    def __str__(self) -> str:
        return str(self.unit)

    @property
    def audit_unit(self) -> Unit:
        return self.conference.unit


class Speech(TimeStampedModel):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="speeches")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    speaker_name = models.CharField(_("người phát biểu"), max_length=NAME_MAX_LENGTH)
    position = models.CharField(_("chức vụ"), max_length=NAME_MAX_LENGTH, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.SET_NULL
    )
    summary = models.TextField(_("tóm tắt nội dung"), blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("phát biểu")
        verbose_name_plural = _("phát biểu")

    def __str__(self) -> str:
        return self.speaker_name

    @property
    def audit_unit(self) -> Unit:
        return self.conference.unit
