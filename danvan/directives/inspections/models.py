"""Inspections and supervision by steering committees (kiểm tra, giám sát; domain.md §1).

A steering committee at a level (a province, a commune …) approves a yearly plan of
inspections and supervision. Each inspection (cuộc kiểm tra, giám sát) has a team, the
units it visits (targets, inside the plan unit's subtree), a schedule within the plan's
year, findings per unit, recommendations per unit and a conclusion. Every recommendation
becomes a task of the inspected unit (danvan.directives.tasks), followed to closure there;
the inspected unit answers it here. A finding may reopen a closed task it concerns.

The inspection's state (planned → in progress → reported) changes only through
services.TRANSITIONS.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel
from danvan.units.models import Official, Unit


def report_path(instance: Any, filename: str) -> str:
    return f"inspections/reports/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}-{filename[-80:]}"


class InspectionKind(models.TextChoices):
    INSPECTION = "inspection", _("Kiểm tra")
    SUPERVISION = "supervision", _("Giám sát")
    BOTH = "both", _("Kiểm tra, giám sát")


class InspectionPlan(TimeStampedModel):
    """The yearly inspection and supervision plan of a steering committee's level."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit, verbose_name=_("cấp ban chỉ đạo"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(
        _("hình thức"), max_length=12, choices=InspectionKind.choices, default=InspectionKind.BOTH
    )
    title = models.CharField(_("tên kế hoạch"), max_length=300)
    # The number as written, label taken off (core.docnumber, domain.md §6).
    decision_number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    approved_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("kế hoạch kiểm tra, giám sát của Ban Chỉ đạo")
        verbose_name_plural = _("kế hoạch kiểm tra, giám sát của Ban Chỉ đạo")
        indexes = [models.Index(fields=["unit", "year"], name="insp_plan_unit_year")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:plan_detail", args=[self.public_id])

    @property
    def audit_unit(self) -> Unit:
        return self.unit


class InspectionState(models.TextChoices):
    PLANNED = "planned", _("Theo kế hoạch")
    IN_PROGRESS = "in_progress", _("Đang tiến hành")
    REPORTED = "reported", _("Đã có kết luận")


class Inspection(TimeStampedModel):
    """One inspection or supervision (cuộc kiểm tra, giám sát) of a plan."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(
        InspectionPlan,
        verbose_name=_("kế hoạch"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    title = models.CharField(_("tên cuộc kiểm tra, giám sát"), max_length=300)
    subject = models.TextField(_("nội dung"), blank=True)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    state = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=InspectionState.choices,
        default=InspectionState.PLANNED,
    )
    conclusion = models.TextField(_("kết luận"), blank=True)
    concluded_on = models.DateField(_("ngày kết luận"), null=True, blank=True)
    report_file = models.FileField(
        _("tệp báo cáo, kết luận"), upload_to=report_path, max_length=255, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("cuộc kiểm tra, giám sát")
        verbose_name_plural = _("cuộc kiểm tra, giám sát")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="inspection_range"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="reported") | models.Q(concluded_on__isnull=False),
                name="inspection_reported_has_day",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:detail", args=[self.public_id])

    @property
    def audit_unit(self) -> Unit:
        return self.plan.unit


class TeamRole(models.TextChoices):
    LEADER = "leader", _("Trưởng đoàn")
    MEMBER = "member", _("Thành viên")
    SECRETARY = "secretary", _("Thư ký")


class TeamMember(TimeStampedModel):
    """A member of the team: an official of the directory, or a name and position typed
    (a member from outside the directory, e.g. of the Front)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="team")
    official = models.ForeignKey(
        Official,
        verbose_name=_("cán bộ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    role = models.CharField(_("vai trò"), max_length=10, choices=TeamRole.choices)

    class Meta:
        ordering = ["inspection", "id"]
        verbose_name = _("thành viên đoàn")
        verbose_name_plural = _("thành viên đoàn")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(official__isnull=False) | ~models.Q(full_name=""),
                name="inspection_member_named",
            ),
            # One leader per team (trưởng đoàn).
            models.UniqueConstraint(
                fields=["inspection"],
                condition=models.Q(role="leader"),
                name="inspection_one_leader",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.get_role_display()}"

    @property
    def name(self) -> str:
        return self.official.full_name if self.official_id and self.official else self.full_name

    @property
    def title(self) -> str:
        return self.official.position if self.official_id and self.official else self.position

    @property
    def audit_unit(self) -> Unit:
        return self.inspection.plan.unit


class InspectionTarget(TimeStampedModel):
    """A unit an inspection visits, on its scheduled day."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="targets")
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị được kiểm tra"), on_delete=models.PROTECT, related_name="+"
    )
    scheduled_on = models.DateField(_("ngày làm việc"), null=True, blank=True)

    class Meta:
        ordering = ["inspection", "scheduled_on", "id"]
        verbose_name = _("đơn vị được kiểm tra, giám sát")
        verbose_name_plural = _("đơn vị được kiểm tra, giám sát")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "unit"], name="inspection_target_once")
        ]

    def __str__(self) -> str:
        return self.unit.name

    @property
    def audit_unit(self) -> Unit:
        return self.unit


class FindingKind(models.TextChoices):
    GOOD = "good", _("Ưu điểm, cách làm hay")
    SHORTCOMING = "shortcoming", _("Hạn chế, thiếu sót")
    VIOLATION = "violation", _("Vi phạm")


class Finding(TimeStampedModel):
    """What the team found at one unit. A shortcoming or a violation that concerns a
    closed task reopens it (the deliverable fell short)."""

    target = models.ForeignKey(InspectionTarget, on_delete=models.PROTECT, related_name="findings")
    kind = models.CharField(_("loại"), max_length=12, choices=FindingKind.choices)
    text = models.TextField(_("nội dung"))
    task = models.ForeignKey(
        "directive_tasks.Task",
        verbose_name=_("nhiệm vụ liên quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reopened_task = models.BooleanField(_("đã mở lại nhiệm vụ"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["target", "id"]
        verbose_name = _("phát hiện qua kiểm tra của Ban Chỉ đạo")
        verbose_name_plural = _("phát hiện qua kiểm tra của Ban Chỉ đạo")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def audit_unit(self) -> Unit:
        return self.target.unit


class Recommendation(TimeStampedModel):
    """A recommendation to an inspected unit (kiến nghị): the task it became (created in
    the same call) and the unit's answer. Progress and closure go through the task."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    target = models.ForeignKey(
        InspectionTarget, on_delete=models.PROTECT, related_name="recommendations"
    )
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("phát hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    text = models.TextField(_("nội dung kiến nghị"))
    due_on = models.DateField(_("thời hạn"))
    task = models.OneToOneField(
        "directive_tasks.Task",
        verbose_name=_("nhiệm vụ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer = models.TextField(_("trả lời của đơn vị"), blank=True)
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("kiến nghị sau kiểm tra của Ban Chỉ đạo")
        verbose_name_plural = _("kiến nghị sau kiểm tra của Ban Chỉ đạo")
        indexes = [models.Index(fields=["target", "answered_on"], name="insp_rec_target_answer")]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("inspections:answer", args=[self.public_id])

    @property
    def audit_unit(self) -> Unit:
        return self.target.unit
