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
    # The ladder for late tasks (directives/tasks/ladder.py, domain.md §9), in working
    # days: provinces' own rules on following up tasks [to verify].
    TASK_REMIND = "task_remind", _("Nhắc nhiệm vụ trước hạn (ngày làm việc)")
    TASK_EXPLAIN = "task_explain", _("Yêu cầu giải trình khi quá hạn (ngày làm việc)")
    TASK_ESCALATE_UNANSWERED = (
        "task_escalate_unanswered",
        _("Báo cáo cấp trên khi chưa giải trình (ngày làm việc sau yêu cầu)"),
    )
    TASK_ESCALATE_OVERDUE = (
        "task_escalate_overdue",
        _("Báo cáo cấp trên khi quá hạn (ngày làm việc)"),
    )


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


class LayoutFamily(models.TextChoices):
    STATE = "state", _("Văn bản hành chính (Nhà nước)")
    PARTY = "party", _("Văn bản của Đảng")


class DocumentLayout(TimeStampedModel):
    """One version of the layout of one family of official documents (domain.md §6b):
    the figures the Word writer (officialdoc.py) reads, effective-dated like the other
    rules because the Party's layout was replaced in 2026 and the State's may be next.

    The legal texts give ranges (margins "20–25 mm", sizes "13–14"); a row holds the one
    value chosen within each range. The issuing body's names are NOT here: they change
    (domain.md §6b) and come with each document.
    """

    family = models.CharField(_("loại văn bản"), max_length=8, choices=LayoutFamily.choices)
    # Page: A4 portrait for both families; margins in millimetres.
    margin_top_mm = models.PositiveSmallIntegerField(_("lề trên (mm)"))
    margin_bottom_mm = models.PositiveSmallIntegerField(_("lề dưới (mm)"))
    margin_left_mm = models.PositiveSmallIntegerField(_("lề trái (mm)"))
    margin_right_mm = models.PositiveSmallIntegerField(_("lề phải (mm)"))
    font_name = models.CharField(_("phông chữ"), max_length=60, default="Times New Roman")
    # Share of the text width given to the issuing body's column of the two-column heading.
    issuer_column_pct = models.PositiveSmallIntegerField(_("độ rộng cột cơ quan ban hành (%)"))
    # The heading on the right: the national title and motto (State) or the Party's name.
    heading_title = models.CharField(_("tiêu đề (quốc hiệu, tên Đảng)"), max_length=120)
    heading_title_size = models.PositiveSmallIntegerField(_("cỡ chữ tiêu đề (pt)"))
    heading_motto = models.CharField(_("tiêu ngữ"), max_length=120, blank=True)
    heading_motto_size = models.PositiveSmallIntegerField(_("cỡ chữ tiêu ngữ (pt)"), default=0)
    # The issuing body on the left, under its superior body.
    superior_size = models.PositiveSmallIntegerField(_("cỡ chữ cơ quan cấp trên (pt)"))
    issuer_size = models.PositiveSmallIntegerField(_("cỡ chữ cơ quan ban hành (pt)"))
    issuer_rule = models.BooleanField(_("đường kẻ dưới tên cơ quan ban hành"), default=True)
    issuer_mark = models.CharField(
        _("dấu dưới tên cơ quan ban hành"), max_length=4, blank=True, help_text=_("Ví dụ: *")
    )
    # "Số: 15/TB-BCĐ" (State) or "Số 05-NQ/ĐU" (Party).
    number_label = models.CharField(_("chữ trước số văn bản"), max_length=10, default="Số")
    number_colon = models.BooleanField(_("có dấu hai chấm sau chữ “Số”"), default=True)
    number_size = models.PositiveSmallIntegerField(_("cỡ chữ số, ký hiệu (pt)"))
    date_size = models.PositiveSmallIntegerField(_("cỡ chữ địa danh, ngày tháng (pt)"))
    doc_type_size = models.PositiveSmallIntegerField(_("cỡ chữ tên loại văn bản (pt)"))
    excerpt_size = models.PositiveSmallIntegerField(_("cỡ chữ trích yếu (pt)"))
    excerpt_rule = models.BooleanField(_("đường kẻ dưới trích yếu"), default=True)
    body_size = models.PositiveSmallIntegerField(_("cỡ chữ nội dung (pt)"))
    first_line_indent_cm = models.DecimalField(
        _("thụt đầu dòng (cm)"), max_digits=4, decimal_places=2
    )
    paragraph_spacing_pt = models.PositiveSmallIntegerField(_("cách đoạn (pt)"))
    # The text of tables (figures, annexes) and of the captions of tables and charts:
    # neither text fixes it, so a row holds the size the issuer uses (default 12).
    table_size = models.PositiveSmallIntegerField(_("cỡ chữ bảng biểu (pt)"), default=12)
    # The words before the signing authority: on behalf of, deputy, by order.
    sign_on_behalf = models.CharField(_("chữ “thay mặt”"), max_length=8)
    sign_deputy = models.CharField(_("chữ “ký thay”"), max_length=8)
    sign_by_order = models.CharField(_("chữ “thừa lệnh”"), max_length=8)
    signature_size = models.PositiveSmallIntegerField(_("cỡ chữ thẩm quyền ký (pt)"))
    recipients_label = models.CharField(_("chữ “Nơi nhận”"), max_length=20, default="Nơi nhận:")
    recipients_label_size = models.PositiveSmallIntegerField(_("cỡ chữ “Nơi nhận” (pt)"))
    recipients_size = models.PositiveSmallIntegerField(_("cỡ chữ nơi nhận (pt)"))
    page_number_from = models.PositiveSmallIntegerField(_("đánh số trang từ trang"), default=2)
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
        ordering = ["family", "-valid_from"]
        verbose_name = _("thể thức văn bản")
        verbose_name_plural = _("thể thức văn bản")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="document_layout_valid_range",
            ),
            models.UniqueConstraint(
                fields=["family", "valid_from"], name="document_layout_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_family_display()} ({self.valid_from:%d/%m/%Y})"

    @property
    def number_prefix(self) -> str:
        """The label printed before the number: "Số:" or "Số"."""
        return f"{self.number_label}:" if self.number_colon else self.number_label

    @property
    def signing_words(self) -> tuple[str, str, str]:
        return (self.sign_on_behalf, self.sign_deputy, self.sign_by_order)
