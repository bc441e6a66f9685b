"""Disclosure to citizens ("dân biết"): Law 10/2022/QH15, Điều 11–13 (domain.md §3).

What must be disclosed, and for how long on which form, is rule data (`DisclosureKind`,
effective-dated with its citation and a to-verify flag), never a constant in code: an
administrator adds a new version of a kind without a deploy. A `Disclosure` records one
piece of content a unit made public, with one `DisclosureChannel` per form it used (each
with its own days, so the loudspeaker days and the posting days can be checked) and the
evidence of it (`DisclosureEvidence`).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel
from danvan.units.models import Unit, UnitKind


class RuleUnitKind(models.TextChoices):
    """The kinds of unit the law gives a list of contents to disclose."""

    COMMUNE = UnitKind.COMMUNE.value, _("Xã, phường, đặc khu")
    AGENCY = UnitKind.AGENCY.value, _("Cơ quan, đơn vị")
    ENTERPRISE = UnitKind.ENTERPRISE.value, _("Doanh nghiệp")


# Which list of kinds a unit follows. Chương III of Law 10/2022/QH15 covers state
# agencies and public service units alike, so a public service unit follows the agency list.
RULE_KIND_OF_UNIT: dict[str, str] = {
    UnitKind.COMMUNE: RuleUnitKind.COMMUNE,
    UnitKind.AGENCY: RuleUnitKind.AGENCY,
    UnitKind.PUBLIC_SERVICE: RuleUnitKind.AGENCY,
    UnitKind.ENTERPRISE: RuleUnitKind.ENTERPRISE,
}


class DisclosureForm(models.TextChoices):
    """The nine forms of disclosure (Law 10/2022/QH15, Điều 12) [checked]."""

    POSTING = "posting", _("Niêm yết tại trụ sở")
    WEBSITE = "website", _("Đăng trên cổng, trang thông tin điện tử")
    LOUDSPEAKER = "loudspeaker", _("Phát trên hệ thống truyền thanh")
    VILLAGE_HEAD = "village_head", _("Qua trưởng thôn, tổ trưởng tổ dân phố")
    LETTER = "letter", _("Văn bản gửi đến công dân, tổ chức")
    CONFERENCE = "conference", _("Tại hội nghị, đối thoại với công dân")
    RECEPTION_PRESS = "reception_press", _("Qua tiếp công dân, họp báo, thông cáo báo chí")
    MASS_ORGANIZATION = "mass_organization", _("Qua Mặt trận Tổ quốc và các đoàn thể")
    TELECOM = "telecom", _("Qua mạng viễn thông, mạng xã hội")


class DisclosureKind(TimeStampedModel):
    """One version of one kind of content a unit must (or may) disclose.

    Versions of the same kind share `unit_kind` and `number`; the one that applies to a
    disclosure is the one in force on the disclosure's first day.
    """

    unit_kind = models.CharField(_("áp dụng cho"), max_length=16, choices=RuleUnitKind.choices)
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    title = models.CharField(_("nội dung công khai"), max_length=300)
    mandatory = models.BooleanField(_("bắt buộc công khai"), default=True)
    loudspeaker_min_days = models.PositiveSmallIntegerField(
        _("số ngày liên tục tối thiểu trên hệ thống truyền thanh"),
        default=0,
        help_text=_("0: không bắt buộc phát trên hệ thống truyền thanh."),
    )
    posting_min_days = models.PositiveSmallIntegerField(
        _("số ngày niêm yết liên tục tối thiểu"),
        default=0,
        help_text=_("0: không có thời hạn niêm yết tối thiểu."),
    )
    posting_to_verify = models.BooleanField(
        _("thời hạn niêm yết cần đối chiếu"),
        default=False,
        help_text=_("Số ngày niêm yết chưa được đối chiếu với văn bản gốc."),
    )
    citation = models.CharField(_("căn cứ pháp lý"), max_length=300)
    to_verify = models.BooleanField(
        _("cần đối chiếu văn bản chính thức"),
        default=False,
        help_text=_("Quy định chưa được đối chiếu với văn bản gốc; quản trị viên cần xác minh."),
    )
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["unit_kind", "number", "-valid_from"]
        verbose_name = _("loại nội dung công khai")
        verbose_name_plural = _("loại nội dung công khai")
        indexes = [models.Index(fields=["unit_kind", "number", "valid_from"])]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_kind", "number", "valid_from"], name="disclosure_kind_version"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="disclosure_kind_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Disclosure(TimeStampedModel):
    """One content a unit disclosed, over a period, through one or more forms."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="disclosures"
    )
    kind = models.ForeignKey(
        DisclosureKind,
        verbose_name=_("loại nội dung"),
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    summary = models.TextField(_("tóm tắt nội dung"), blank=True)
    start = models.DateField(_("công khai từ ngày"))
    end = models.DateField(_("đến ngày"), null=True, blank=True)
    # The last day the disclosure could start in time, as the governing text sets it (a
    # budget estimate within so many days of its approval, a decision once issued…):
    # entered per disclosure, since the time limits differ by content and by text.
    # Starting after it is a late disclosure (disclosure.selectors.compliance).
    due_on = models.DateField(_("hạn công khai"), null=True, blank=True)
    is_public = models.BooleanField(_("hiện trên cổng thông tin công dân"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("nội dung công khai")
        verbose_name_plural = _("nội dung công khai")
        indexes = [
            models.Index(fields=["unit", "start"]),
            models.Index(fields=["is_public", "start"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="disclosure_period_range",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("disclosure:detail", args=[self.public_id])

    @property
    def audit_unit(self) -> Unit:
        return self.unit


class DisclosureChannel(TimeStampedModel):
    """One form a disclosure used, with its own days (e.g. 3 days on the loudspeakers)."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="channels")
    form = models.CharField(_("hình thức"), max_length=20, choices=DisclosureForm.choices)
    place = models.CharField(_("nơi, phương tiện"), max_length=200, blank=True)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("hình thức công khai")
        verbose_name_plural = _("hình thức công khai")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="disclosure_channel_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} ({self.start:%d/%m/%Y})"

    @property
    def audit_unit(self) -> Unit:
        return self.disclosure.unit


def _evidence_path(instance: DisclosureEvidence, filename: str) -> str:
    return f"disclosure/{instance.disclosure.public_id}/{uuid.uuid4().hex}"


class DisclosureEvidence(TimeStampedModel):
    """A photo or document proving a disclosure (a picture of the notice board, a letter)."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("mô tả"), max_length=300, blank=True)
    # A document that IS the disclosed content (the approved budget as PDF, the plan as
    # DOCX) may be published on the citizens' portal; proof of the disclosure (a photo of
    # the notice board, which may show passers-by) stays internal. Off by default, and
    # refused for images by services.evidence_add.
    is_public = models.BooleanField(_("công bố trên cổng thông tin công dân"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("minh chứng công khai")
        verbose_name_plural = _("minh chứng công khai")

    def __str__(self) -> str:
        return self.caption or self.original_name

    @property
    def audit_unit(self) -> Unit:
        return self.disclosure.unit
