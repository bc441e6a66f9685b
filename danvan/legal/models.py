"""Legal rules as effective-dated data, and the days the calendar makes exceptions for.

Rules change (four of the laws behind danvan were amended in 2025–2026), so none is a
constant in code: an administrator adds a new version with its citation and the date
it takes effect, and a case keeps the version in force when it started (domain.md §5).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel


class CaseKind(models.TextChoices):
    COMPLAINT = "complaint", _("Khiếu nại")
    DENUNCIATION = "denunciation", _("Tố cáo")
    FEEDBACK = "feedback", _("Phản ánh")
    PETITION = "petition", _("Kiến nghị")
    LETTER = "letter", _("Đơn thư (phân loại, xử lý)")


class Action(models.TextChoices):
    LIMITATION = "limitation", _("Thời hiệu")
    ACCEPT = "accept", _("Thụ lý hoặc từ chối")
    CLASSIFY = "classify", _("Phân loại, xử lý đơn")
    RESOLVE = "resolve", _("Giải quyết")
    EXTEND = "extend", _("Gia hạn")


class DayKind(models.TextChoices):
    CALENDAR = "calendar", _("ngày (dương lịch)")
    WORKING = "working", _("ngày làm việc")


class DeadlineRule(TimeStampedModel):
    """One version of one deadline rule (e.g. "first complaint, complex, remote: 60 days").

    The rule that applies to a case is the one whose match fields fit and whose
    validity covers the day the clock starts.
    """

    case_kind = models.CharField(_("loại vụ việc"), max_length=16, choices=CaseKind.choices)
    action = models.CharField(_("việc phải làm"), max_length=12, choices=Action.choices)
    # 1 or 2 for complaints (first / second time); 0 where it does not apply.
    round = models.PositiveSmallIntegerField(_("lần"), default=0)
    complex = models.BooleanField(_("vụ việc phức tạp"), default=False)
    remote = models.BooleanField(_("vùng sâu, vùng xa, đi lại khó khăn"), default=False)
    # For extensions: 1 = "complex" (one extension), 2 = "especially complex" (two).
    max_extensions = models.PositiveSmallIntegerField(_("số lần gia hạn tối đa"), default=0)
    days = models.PositiveSmallIntegerField(_("số ngày"))
    day_kind = models.CharField(_("cách tính ngày"), max_length=10, choices=DayKind.choices)
    # A deadline that falls on a day off moves to the next working day.
    roll_to_working_day = models.BooleanField(_("lùi sang ngày làm việc kế tiếp"), default=True)
    citation = models.CharField(_("căn cứ pháp lý"), max_length=300)
    to_verify = models.BooleanField(
        _("cần đối chiếu văn bản chính thức"),
        default=False,
        help_text=_("Quy định chưa được đối chiếu với văn bản gốc; quản trị viên cần xác minh."),
    )
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case_kind", "action", "round", "complex", "remote", "-valid_from"]
        verbose_name = _("quy định thời hạn")
        verbose_name_plural = _("quy định thời hạn")
        indexes = [models.Index(fields=["case_kind", "action", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="deadline_rule_valid_range",
            )
        ]

    def __str__(self) -> str:
        kind, action = self.get_case_kind_display(), self.get_action_display()
        return f"{kind} · {action}: {self.days} {self.get_day_kind_display()}"


class CalendarException(TimeStampedModel):
    """A day the official calendar treats differently from the `holidays` package:
    a day off the government announces, or a Saturday worked to make up for one."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ")
        WORKING_DAY = "working_day", _("Ngày làm việc bù")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    reason = models.CharField(_("lý do, căn cứ"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày nghỉ, làm bù")
        verbose_name_plural = _("ngày nghỉ, làm bù")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"


class Duty(models.TextChoices):
    """Recurring obligations with a legal minimum or a time limit (domain.md §3, §5)."""

    RECEPTION_COMMUNE_CHAIR = "reception_commune_chair", _("Chủ tịch UBND cấp xã tiếp công dân")
    RECEPTION_PROVINCE_CHAIR = (
        "reception_province_chair",
        _("Chủ tịch UBND cấp tỉnh tiếp công dân"),
    )
    DIALOGUE_ANNOUNCE = "dialogue_announce", _("Thông báo hội nghị đối thoại trước ngày họp")
    DIALOGUE_PUBLISH = "dialogue_publish", _("Công khai kết quả đối thoại sau ngày họp")


class Measure(models.TextChoices):
    DAYS_PER_WEEK = "days_per_week", _("ngày mỗi tuần (tối thiểu)")
    DAYS_PER_MONTH = "days_per_month", _("ngày mỗi tháng (tối thiểu)")
    DAYS_BEFORE = "days_before", _("ngày trước (tối thiểu)")
    DAYS_AFTER = "days_after", _("ngày sau (tối đa)")


class DutyRule(TimeStampedModel):
    """One version of a duty's legal figure ("a commune chair receives citizens at least
    one day a week"), effective-dated like `DeadlineRule`."""

    duty = models.CharField(_("nghĩa vụ"), max_length=32, choices=Duty.choices)
    amount = models.PositiveSmallIntegerField(_("số ngày"))
    measure = models.CharField(_("cách tính"), max_length=16, choices=Measure.choices)
    citation = models.CharField(_("căn cứ pháp lý"), max_length=300)
    to_verify = models.BooleanField(_("cần đối chiếu văn bản chính thức"), default=False)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["duty", "-valid_from"]
        verbose_name = _("quy định nghĩa vụ định kỳ")
        verbose_name_plural = _("quy định nghĩa vụ định kỳ")

    def __str__(self) -> str:
        return f"{self.get_duty_display()}: {self.amount} {self.get_measure_display()}"
