"""Report campaigns: one regime's report of one period, asked of the units of a subtree.

An administrator opens a campaign (regime, template, year, the unit that opens it and
the units that must report). Each unit gets a Report, pre-filled from a snapshot of the
computed indicators taken when the campaign opens, so that its figures do not move after
it; the unit types its manual figures and narrative, overrides a computed figure only
with a reason, and submits; the level above approves (the report is then locked) or
returns it. A locked report reopens only on a recorded request granted by the level
above. Every step is a ReportEvent (append-only); the approval keeps the values, so the
reviewer sees what changed since (issue 13, item 2).

The transitions are one table in services.TRANSITIONS (drawn in docs: draft → submitted
→ approved → reopen requested → draft; submitted → returned → submitted).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel
from danvan.reports.models import Indicator, Regime, ReportTemplate, Section
from danvan.units.models import Unit

# Figures are counts and small decimals (a percentage): 18 digits, 2 after the point.
VALUE_DIGITS = 18
VALUE_PLACES = 2


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("Đang nhận báo cáo")
    CLOSED = "closed", _("Đã kết thúc")


class Campaign(TimeStampedModel):
    """One period's report of a regime, asked of a list of units (đợt báo cáo)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    regime = models.ForeignKey(
        Regime, verbose_name=_("chế độ báo cáo"), on_delete=models.PROTECT, related_name="+"
    )
    template = models.ForeignKey(
        ReportTemplate, verbose_name=_("mẫu báo cáo"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm báo cáo"))
    # Which period of the year: 1 for half-year and annual regimes, 1–4 quarterly, 1–12
    # monthly (Regime.period).
    period_number = models.PositiveSmallIntegerField(_("kỳ trong năm"), default=1)
    # The data period, stored as opened: a later change of the regime's cut-off does not
    # move the period of a campaign already under way.
    period_start = models.DateField(_("kỳ số liệu từ ngày"))
    period_end = models.DateField(_("ngày chốt số liệu"))
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị mở đợt"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("tên đợt báo cáo"), max_length=300)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người mở đợt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "title"]
        verbose_name = _("đợt báo cáo")
        verbose_name_plural = _("đợt báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "year", "period_number", "owner_unit"],
                name="campaign_once_per_period",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("report_campaigns:detail", kwargs={"public_id": self.public_id})

    @property
    def audit_unit(self) -> Unit:
        return self.owner_unit

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt (khóa)")
    REOPEN_REQUESTED = "reopen_requested", _("Đề nghị mở lại")


# Statuses in which the unit has sent its report (it counts as submitted on the board);
# a reopen request leaves the approved report locked until it is granted.
SUBMITTED_STATUSES = (
    ReportStatus.SUBMITTED,
    ReportStatus.APPROVED,
    ReportStatus.REOPEN_REQUESTED,
)
APPROVED_STATUSES = (ReportStatus.APPROVED, ReportStatus.REOPEN_REQUESTED)
# Statuses in which the unit edits its report and may refresh its snapshot.
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class Report(TimeStampedModel):
    """One unit's report in a campaign."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("đợt báo cáo"), on_delete=models.CASCADE, related_name="reports"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị báo cáo"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # RegimeDeadline of the unit's kind: N working days after the cut-off.
    due_date = models.DateField(_("hạn gửi"))
    snapshot_taken_at = models.DateTimeField(_("số liệu chốt lúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    # The (local) day of the first submission: on time is judged on it, so a report
    # returned for a correction after the deadline is not made late by its resubmission.
    first_submitted_on = models.DateField(_("gửi lần đầu ngày"), null=True, blank=True)
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    # Why the unit submitted although a validation rule did not hold (shown to the reviewer).
    rule_reason = models.TextField(_("giải trình khi số liệu không thỏa quy tắc"), blank=True)
    # The report as an official document (export.py): its number-symbol from the unit's
    # register (validated by core/docnumber.py), the bodies of its heading, place, signer
    # and recipients (Decree 30/2020 art. 8 and Appendix I; the Party layout, domain.md §6b).
    doc_number = models.CharField(_("số, ký hiệu văn bản"), max_length=60, blank=True)
    superior_body = models.CharField(_("cơ quan, tổ chức chủ quản"), max_length=200, blank=True)
    issuer_body = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    doc_place = models.CharField(_("địa danh"), max_length=100, blank=True)
    signing_authority = models.CharField(_("quyền hạn ký"), max_length=60, blank=True)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=100, blank=True)
    recipients = models.TextField(_("nơi nhận (mỗi dòng một nơi)"), blank=True)

    class Meta:
        ordering = ["campaign", "unit__path"]
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="campaign_report_once")
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.campaign.title} — {self.unit.name}"

    def get_absolute_url(self) -> str:
        return reverse("report_campaigns:report", kwargs={"public_id": self.public_id})

    @property
    def audit_unit(self) -> Unit:
        return self.unit

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_sent(self) -> bool:
        """Sent to the level above (counted as submitted on the board)."""
        return self.status in SUBMITTED_STATUSES

    @property
    def is_locked(self) -> bool:
        return self.status in APPROVED_STATUSES


class Figures(models.Model):
    """The figures of one indicator, or of one row of a table indicator, in a report: the
    snapshot's (computed), the unit's (manual), and a computed figure's override with its
    reason (kept and shown to the reviewer)."""

    computed = models.DecimalField(
        _("số liệu tính"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        null=True,
        blank=True,
    )
    manual = models.DecimalField(
        _("số liệu nhập"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        null=True,
        blank=True,
    )
    override = models.DecimalField(
        _("số liệu điều chỉnh"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        null=True,
        blank=True,
    )
    override_reason = models.TextField(_("lý do điều chỉnh"), blank=True)

    class Meta:
        abstract = True

    @property
    def value(self) -> Decimal | None:
        """The figure the report states: the override, else the snapshot, else the typed one."""
        if self.override is not None:
            return self.override
        if self.computed is not None:
            return self.computed
        return self.manual

    @property
    def disagrees(self) -> bool:
        """The unit overrode the snapshot with another figure (flagged to the level above)."""
        return (
            self.override is not None
            and self.computed is not None
            and (self.override != self.computed)
        )


class ReportValue(Figures):
    """One indicator's figure in a report (a number indicator; a table's are ReportCells)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["report", "indicator__order"]
        verbose_name = _("số liệu báo cáo")
        verbose_name_plural = _("số liệu báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="report_value_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"


class ReportCell(Figures):
    """One row of a table indicator in a report (issue 13, item 1: "numbers and small
    tables"): the row's key and label as they stood when the row was written (a field's
    code and name; a manual table's line), and its figures, like a ReportValue's."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="cells")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    row_key = models.CharField(_("mã dòng"), max_length=64)
    row_label = models.CharField(_("dòng"), max_length=300)
    row_order = models.PositiveSmallIntegerField(_("thứ tự dòng"), default=0)

    class Meta:
        ordering = ["report", "indicator__order", "row_order", "row_key"]
        verbose_name = _("dòng số liệu của bảng")
        verbose_name_plural = _("dòng số liệu của bảng")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator", "row_key"], name="report_cell_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.row_key}: {self.value}"


class ReportNarrative(models.Model):
    """The text a unit writes for one section of the template."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="narratives")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("nội dung"), blank=True)

    class Meta:
        ordering = ["report", "section__order"]
        verbose_name = _("nội dung báo cáo theo phần")
        verbose_name_plural = _("nội dung báo cáo theo phần")
        constraints = [
            models.UniqueConstraint(fields=["report", "section"], name="report_narrative_once")
        ]

    def __str__(self) -> str:
        return f"{self.section_id}: {self.text[:40]}"


class EventKind(models.TextChoices):
    OPENED = "opened", _("Mở báo cáo")
    SNAPSHOT = "snapshot", _("Chốt số liệu")
    REFRESHED = "refreshed", _("Cập nhật số liệu")
    SAVED = "saved", _("Lưu bản nháp")
    SUBMITTED = "submitted", _("Gửi báo cáo")
    RETURNED = "returned", _("Trả lại")
    APPROVED = "approved", _("Duyệt")
    REOPEN_REQUESTED = "reopen_requested", _("Đề nghị mở lại")
    REOPEN_GRANTED = "reopen_granted", _("Đồng ý mở lại")
    REOPEN_REFUSED = "reopen_refused", _("Không đồng ý mở lại")


class ReportEvent(models.Model):
    """One step of a report's history (append-only). On approval *data* holds the
    values and narratives as approved: after a reopen the reviewer sees what changed."""

    report = models.ForeignKey(
        Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("diễn biến"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"))
    message = models.TextField(_("nội dung"), blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)

    class Meta:
        ordering = ["report", "at", "id"]
        verbose_name = _("diễn biến báo cáo")
        verbose_name_plural = _("diễn biến báo cáo")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d/%m/%Y %H:%M}"
