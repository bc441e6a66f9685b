"""Report regimes and report templates, as data an administrator changes without a deploy.

A regime (chế độ báo cáo) carries what Decree 09/2019/NĐ-CP art. 7 requires of one: the
report's name, its content, who reports and who receives, how it is sent, the frequency,
the cut-off (data period) and the deadline, here one per level of the unit tree, since a
report aggregated over several levels sets a deadline per level (domain.md §10). Party
bodies set their own regimes and periods: the issuer kind says which, and both sit side
by side. A template is the outline and the data form of one report: sections of
narrative with guidance, and indicators, each computed by a registered query
(`reports.indicators`) or entered by hand, with its aggregation rule up the tree and
the validation rules between indicators.

The checks a row must pass live in `clean()`: the services (`reports.services`) run
them on every write, and raise them as the project's DomainError.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel
from danvan.core.text import fold
from danvan.legal.workdays import WorkCalendar
from danvan.units.models import UnitKind

from .errors import ReportsError
from .indicators import get_query, get_table_query, queries, table_queries


class IssuerKind(models.TextChoices):
    STATE = "state", _("Cơ quan hành chính nhà nước")
    PARTY = "party", _("Cơ quan, tổ chức của Đảng")


class Frequency(models.TextChoices):
    HALF_YEAR = "half_year", _("6 tháng")
    ANNUAL = "annual", _("Hằng năm")
    QUARTERLY = "quarterly", _("Hằng quý")
    MONTHLY = "monthly", _("Hằng tháng")
    AD_HOC = "ad_hoc", _("Đột xuất, chuyên đề")


# How many reports a year each frequency asks for, and the months between two periods.
PERIODS_PER_YEAR = {Frequency.QUARTERLY: 4, Frequency.MONTHLY: 12}


def shift_months(day: dt.date, months: int) -> dt.date:
    """*day* moved by *months* calendar months, kept within the month it lands in (the
    31st of a 30-day month becomes the 30th)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


_MONTH = [MinValueValidator(1), MaxValueValidator(12)]
_DAY = [MinValueValidator(1), MaxValueValidator(31)]


class Regime(TimeStampedModel):
    """One report regime (Decree 09/2019/NĐ-CP art. 7), for a State or a Party issuer."""

    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên báo cáo"), max_length=300)
    issuer_kind = models.CharField(
        _("cơ quan ban hành chế độ"), max_length=8, choices=IssuerKind.choices
    )
    content = models.TextField(_("nội dung yêu cầu báo cáo"))
    reporters = models.TextField(_("đối tượng thực hiện báo cáo"))
    receivers = models.TextField(_("cơ quan nhận báo cáo"))
    sending_method = models.TextField(_("phương thức gửi, nhận báo cáo"))
    frequency = models.CharField(_("tần suất"), max_length=12, choices=Frequency.choices)
    # The cut-off (thời gian chốt số liệu): the data period runs from start (day/month)
    # to end (day/month) of the report year; a start after the end in the calendar
    # year lies in the previous year (half-year: 15/12 of the previous year → 14/6).
    period_start_month = models.PositiveSmallIntegerField(
        _("kỳ số liệu từ tháng"), validators=_MONTH
    )
    period_start_day = models.PositiveSmallIntegerField(_("kỳ số liệu từ ngày"), validators=_DAY)
    period_end_month = models.PositiveSmallIntegerField(
        _("kỳ số liệu đến tháng"), validators=_MONTH
    )
    period_end_day = models.PositiveSmallIntegerField(_("kỳ số liệu đến ngày"), validators=_DAY)
    citation = models.CharField(_("căn cứ pháp lý"), max_length=300)
    # The pattern of the legal rule data (legal.models.DeadlineRule.to_verify): shown on
    # the regimes' pages until an administrator has checked the official text.
    to_verify = models.BooleanField(
        _("cần đối chiếu văn bản chính thức"),
        default=False,
        help_text=_("Chế độ chưa được đối chiếu với văn bản gốc; quản trị viên cần xác minh."),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["issuer_kind", "name"]
        verbose_name = _("chế độ báo cáo")
        verbose_name_plural = _("chế độ báo cáo")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reports:regime_detail", kwargs={"code": self.code})

    def clean(self) -> None:
        super().clean()
        # 29 February is refused too: it would make the period move between years.
        for month, day, field in (
            (self.period_start_month, self.period_start_day, "period_start_day"),
            (self.period_end_month, self.period_end_day, "period_end_day"),
        ):
            if month is None or day is None:
                continue
            try:
                dt.date(2025, month, day)
            except ValueError:
                raise ValidationError(
                    {
                        field: ValidationError(
                            _(
                                "Ngày %(day)s/%(month)s không có trong năm; "
                                "chọn ngày 1–28 của tháng 2, 1–30 hoặc 1–31 theo tháng."
                            ),
                            code=ReportsError.BAD_CUTOFF,
                            params={"day": day, "month": month},
                        )
                    }
                ) from None

    @property
    def periods_per_year(self) -> int:
        """1 for half-year, annual and ad hoc reports; 4 quarterly; 12 monthly."""
        return PERIODS_PER_YEAR.get(Frequency(self.frequency), 1)

    def period_label(self, number: int) -> str:
        """ "quý II", "tháng 3": how the period *number* of a year is named (empty when the
        regime has one period a year)."""
        if self.periods_per_year == 4:
            return _("quý %(n)s") % {"n": ("I", "II", "III", "IV")[number - 1]}
        if self.periods_per_year == 12:
            return _("tháng %(n)s") % {"n": number}
        return ""

    def period(self, year: int, number: int = 1) -> tuple[dt.date, dt.date]:
        """The data period *number* (1 for a regime with one period a year) of the report
        of *year*: (first day, cut-off day), both counted.

        The regime's days give the first period of the year. It ends in *year*; it starts
        in *year* too unless its start comes after its end in the calendar, then in the
        year before (Decree 09/2019/NĐ-CP art. 12: half-year 2026 = 15/12/2025 –
        14/06/2026, annual 2026 = 15/12/2025 – 14/12/2026). A quarterly or monthly
        regime's later periods follow by three months or one (art. 12: quarter I =
        15/12 – 14/03, quarter II = 15/03 – 14/06 …; month 2 = 15/01 – 14/02 …).
        """
        if not 1 <= number <= self.periods_per_year:
            raise ValueError(f"period {number} of a regime with {self.periods_per_year} a year")
        end = dt.date(year, self.period_end_month, self.period_end_day)
        start_key = (self.period_start_month, self.period_start_day)
        start_year = year - 1 if start_key > (self.period_end_month, self.period_end_day) else year
        start = dt.date(start_year, *start_key)
        step = (12 // self.periods_per_year) * (number - 1)
        return shift_months(start, step), shift_months(end, step)


class RegimeDeadline(TimeStampedModel):
    """When the units of one level send the report of one regime: N working days after
    the cut-off. A report merged over several levels has one deadline per level, each
    higher level after the lower ones (domain.md §10)."""

    regime = models.ForeignKey(
        Regime, verbose_name=_("chế độ báo cáo"), on_delete=models.CASCADE, related_name="deadlines"
    )
    unit_kind = models.CharField(_("cấp, loại đơn vị"), max_length=32, choices=UnitKind.choices)
    working_days = models.PositiveSmallIntegerField(
        _("số ngày làm việc sau ngày chốt số liệu"),
        # Decree 09/2019/NĐ-CP art. 12: at least one working day after the cut-off.
        validators=[
            MinValueValidator(
                1,
                message=_(
                    "Hạn gửi báo cáo phải sau ngày chốt số liệu ít nhất 1 ngày làm việc "
                    "(Nghị định 09/2019/NĐ-CP, Điều 12); nhập từ 1 trở lên."
                ),
            )
        ],
        help_text=_("Ít nhất 1 ngày làm việc giữa ngày chốt số liệu và hạn gửi báo cáo."),
    )

    class Meta:
        ordering = ["regime", "working_days"]
        verbose_name = _("hạn gửi báo cáo theo cấp")
        verbose_name_plural = _("hạn gửi báo cáo theo cấp")
        constraints = [
            models.UniqueConstraint(fields=["regime", "unit_kind"], name="regime_deadline_once"),
            # Decree 09/2019/NĐ-CP art. 12: at least one working day after the cut-off.
            models.CheckConstraint(
                condition=models.Q(working_days__gte=1), name="regime_deadline_one_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_unit_kind_display()}: {self.working_days}"

    def due_date(self, year: int, calendar: WorkCalendar | None = None, number: int = 1) -> dt.date:
        """The deadline of the report of *year* (its period *number*): the N-th working day
        after the cut-off."""
        _start, end = self.regime.period(year, number)
        return (calendar or WorkCalendar()).add_working_days(end, self.working_days)


class ReportTemplate(TimeStampedModel):
    """The outline and data form of a regime's report, versioned by the day it applies."""

    regime = models.ForeignKey(
        Regime, verbose_name=_("chế độ báo cáo"), on_delete=models.CASCADE, related_name="templates"
    )
    name = models.CharField(_("tên mẫu báo cáo"), max_length=300)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    effective_from = models.DateField(_("áp dụng từ"))
    active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        ordering = ["regime", "-effective_from", "-version"]
        verbose_name = _("mẫu báo cáo")
        verbose_name_plural = _("mẫu báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["regime", "version"], name="report_template_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class Section(TimeStampedModel):
    """A part of the report's narrative, with the guidance of what to write in it."""

    template = models.ForeignKey(
        ReportTemplate,
        verbose_name=_("mẫu báo cáo"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    title = models.CharField(_("tiêu đề"), max_length=300)
    guidance = models.TextField(_("hướng dẫn nội dung"), blank=True)

    class Meta:
        ordering = ["template", "order"]
        verbose_name = _("phần báo cáo")
        verbose_name_plural = _("phần báo cáo")

    def __str__(self) -> str:
        return self.title


class IndicatorKind(models.TextChoices):
    NUMBER = "number", _("Số liệu")
    TABLE = "table", _("Bảng")


class Source(models.TextChoices):
    COMPUTED = "computed", _("Tính từ dữ liệu danvan")
    MANUAL = "manual", _("Đơn vị nhập")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Cộng số liệu các đơn vị cấp dưới")
    COUNT_DISTINCT = "count_distinct", _("Đếm không trùng")
    RECOMPUTE = "recompute", _("Tính lại từ dữ liệu của các đơn vị cấp dưới")
    NONE = "none", _("Không tổng hợp")


# A manual table's rows: one label a line, at most this many, each at most this long.
MAX_TABLE_ROWS = 50
MAX_ROW_LABEL = 200
ROW_KEY_LENGTH = 64


def row_key(label: str) -> str:
    """The stable key of a manual table's row: its label folded to ASCII words joined by
    hyphens ("Văn hóa – xã hội" → "van-hoa-xa-hoi"), at most ROW_KEY_LENGTH long."""
    return re.sub(r"[^a-z0-9]+", "-", fold(label)).strip("-")[:ROW_KEY_LENGTH].strip("-")


def parse_rows(text: str) -> list[tuple[str, str]]:
    """A manual table's rows as typed (one label a line, blank lines skipped): (key,
    label) pairs in order. The checks are Indicator.clean's."""
    labels = [" ".join(line.split()) for line in (text or "").splitlines()]
    return [(row_key(label), label) for label in labels if label]


class Indicator(TimeStampedModel):
    """One figure (or small table) of a template, computed by a named query or typed.

    A table (kind TABLE) has one figure per row: a computed table's rows are the
    categories of its table query (the movement's fields, the cases' kinds); a manual
    table's rows are the lines of *rows*, which an administrator edits like any field.
    """

    template = models.ForeignKey(
        ReportTemplate,
        verbose_name=_("mẫu báo cáo"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("thuộc phần"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    code = models.SlugField(_("mã chỉ tiêu"), max_length=64)
    label = models.CharField(_("tên chỉ tiêu"), max_length=300)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    kind = models.CharField(
        _("loại"), max_length=8, choices=IndicatorKind.choices, default=IndicatorKind.NUMBER
    )
    source = models.CharField(_("nguồn số liệu"), max_length=10, choices=Source.choices)
    query = models.CharField(
        _("truy vấn tính số liệu"),
        max_length=64,
        blank=True,
        help_text=_("Chỉ với chỉ tiêu tính từ dữ liệu: tên một truy vấn đã đăng ký."),
    )
    aggregation = models.CharField(
        _("cách tổng hợp lên cấp trên"),
        max_length=16,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
    )
    rows = models.TextField(
        _("các dòng của bảng"),
        blank=True,
        help_text=_(
            "Chỉ với chỉ tiêu dạng bảng do đơn vị nhập: mỗi dòng một nội dung (tối đa 50 dòng)."
            " Bảng tính từ dữ liệu lấy các dòng từ truy vấn."
        ),
    )
    allow_negative = models.BooleanField(_("cho phép số âm"), default=False)
    # A change on the previous period larger than this is flagged for the reviewer: a
    # warning to explain, never a refusal (issue 13, item 1). Empty: no check.
    outlier_pct = models.PositiveSmallIntegerField(
        _("cảnh báo khi chênh lệch so với kỳ trước quá (%)"), null=True, blank=True
    )

    class Meta:
        ordering = ["template", "order"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="indicator_code_in_template")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_table(self) -> bool:
        return self.kind == IndicatorKind.TABLE

    def table_rows(self) -> list[tuple[str, str]]:
        """A manual table's rows: (key, label) pairs, in the administrator's order."""
        return parse_rows(self.rows)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, ValidationError] = {}
        if self.source == Source.COMPUTED:
            query_error = self._query_error()
            if query_error is not None:
                errors["query"] = query_error
        elif self.query:
            errors["query"] = ValidationError(
                _(
                    "Chỉ tiêu “%(label)s” do đơn vị nhập nên không dùng truy vấn; "
                    "để trống ô truy vấn hoặc chọn nguồn “Tính từ dữ liệu danvan”."
                ),
                code=ReportsError.MANUAL_WITH_QUERY,
                params={"label": self.label},
            )
        rows_error = self._rows_error()
        if rows_error is not None:
            errors["rows"] = rows_error
        section = self.section if self.section_id is not None else None
        if section is not None and section.template_id != self.template_id:
            errors["section"] = ValidationError(
                _("Phần “%(section)s” thuộc mẫu báo cáo khác; chọn một phần của mẫu này."),
                code=ReportsError.FOREIGN_SECTION,
                params={"section": section.title},
            )
        if errors:
            raise ValidationError(errors)

    def _query_error(self) -> ValidationError | None:
        """A computed indicator names a registered query of its kind: a number query for a
        figure, a table query for a table."""
        number, table = get_query(self.query), get_table_query(self.query)
        if self.is_table and table is None:
            names = ", ".join(q.name for q in table_queries())
            if number is not None:
                message = _(
                    "Chỉ tiêu dạng bảng “%(label)s” cần truy vấn theo dòng, “%(query)s” chỉ cho"
                    " một số liệu; các truy vấn dạng bảng có: %(names)s."
                )
            else:
                message = _(
                    "Chỉ tiêu dạng bảng “%(label)s” dùng truy vấn “%(query)s” chưa có; "
                    "các truy vấn dạng bảng có: %(names)s."
                )
        elif not self.is_table and number is None:
            names = ", ".join(q.name for q in queries())
            if table is not None:
                message = _(
                    "Chỉ tiêu “%(label)s” là một số liệu, “%(query)s” là truy vấn dạng bảng;"
                    " chọn loại “Bảng” hoặc một truy vấn có: %(names)s."
                )
            else:
                message = _(
                    "Chỉ tiêu “%(label)s” dùng truy vấn “%(query)s” chưa có; "
                    "các truy vấn có: %(names)s."
                )
        else:
            return None
        return ValidationError(
            message,
            code=ReportsError.UNKNOWN_QUERY,
            params={"label": self.label, "query": self.query, "names": names},
        )

    def _rows_error(self) -> ValidationError | None:
        """A manual table lists its rows (one a line, distinct, each with a letter or a
        digit); a figure or a computed table has none to list."""
        rows = self.table_rows()
        if not (self.is_table and self.source == Source.MANUAL):
            if not rows:
                return None
            return ValidationError(
                _(
                    "Chỉ tiêu dạng bảng do đơn vị nhập mới có các dòng; để trống ô “các dòng"
                    " của bảng” (bảng tính từ dữ liệu lấy các dòng từ truy vấn)."
                ),
                code=ReportsError.BAD_ROWS,
            )
        if not rows:
            message = _(
                "Bảng “%(label)s” do đơn vị nhập cần các dòng: mỗi dòng một nội dung, ví dụ"
                " “Kinh tế” rồi xuống dòng “Văn hóa – xã hội”."
            )
        elif len(rows) > MAX_TABLE_ROWS:
            message = _("Bảng “%(label)s” có %(n)s dòng; tối đa %(max)s dòng.")
        elif bad := [label for key, label in rows if not key or len(label) > MAX_ROW_LABEL]:
            message = _(
                "Dòng “%(row)s” của bảng “%(label)s” không hợp lệ: mỗi dòng cần có chữ hoặc số"
                " và dài tối đa %(len)s ký tự."
            )
            return ValidationError(
                message,
                code=ReportsError.BAD_ROWS,
                params={"row": bad[0][:60], "label": self.label, "len": MAX_ROW_LABEL},
            )
        else:
            seen: dict[str, str] = {}
            for key, label in rows:
                if key in seen:
                    return ValidationError(
                        _(
                            "Bảng “%(label)s” có hai dòng trùng nhau: “%(first)s” và “%(second)s”"
                            " (không kể dấu, chữ hoa); đặt tên mỗi dòng một khác."
                        ),
                        code=ReportsError.BAD_ROWS,
                        params={"label": self.label, "first": seen[key], "second": label},
                    )
                seen[key] = label
            return None
        return ValidationError(
            message,
            code=ReportsError.BAD_ROWS,
            params={"label": self.label, "n": len(rows), "max": MAX_TABLE_ROWS},
        )


class Operator(models.TextChoices):
    LE = "le", "≤"
    LT = "lt", "<"
    EQ = "eq", "="
    GE = "ge", "≥"


_COMPARE = {
    Operator.LE: lambda a, b: a <= b,
    Operator.LT: lambda a, b: a < b,
    Operator.EQ: lambda a, b: a == b,
    Operator.GE: lambda a, b: a >= b,
}


class ValidationRule(TimeStampedModel):
    """A relation two indicators of a template must keep (recognized ≤ registered).

    A table indicator takes part by its total (the sum of its rows): "the entries
    registered by field = the entries registered". A broken rule is shown as a warning;
    submitting anyway needs a reason (issue 13)."""

    template = models.ForeignKey(
        ReportTemplate,
        verbose_name=_("mẫu báo cáo"),
        on_delete=models.CASCADE,
        related_name="rules",
    )
    left = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu vế trái"), on_delete=models.CASCADE, related_name="+"
    )
    operator = models.CharField(_("phép so sánh"), max_length=2, choices=Operator.choices)
    right = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu vế phải"), on_delete=models.CASCADE, related_name="+"
    )
    message = models.CharField(_("thông báo khi không thỏa"), max_length=300)

    class Meta:
        ordering = ["template", "id"]
        verbose_name = _("quy tắc kiểm tra số liệu")
        verbose_name_plural = _("quy tắc kiểm tra số liệu")

    def __str__(self) -> str:
        return f"{self.left.code} {self.get_operator_display()} {self.right.code}"

    def clean(self) -> None:
        super().clean()
        if self.left_id is None or self.right_id is None:
            return
        if self.left_id == self.right_id:
            raise ValidationError(
                {
                    "right": ValidationError(
                        _(
                            "Quy tắc phải so sánh hai chỉ tiêu khác nhau; "
                            "chọn chỉ tiêu vế phải khác vế trái."
                        ),
                        code=ReportsError.SAME_INDICATOR,
                    )
                }
            )
        errors: dict[str, ValidationError] = {}
        for field in ("left", "right"):
            indicator: Indicator = getattr(self, field)
            if indicator.template_id != self.template_id:
                errors[field] = ValidationError(
                    _(
                        "Chỉ tiêu “%(label)s” thuộc mẫu báo cáo khác; "
                        "quy tắc chỉ so sánh các chỉ tiêu của cùng một mẫu."
                    ),
                    code=ReportsError.FOREIGN_INDICATOR,
                    params={"label": indicator.label},
                )
        if errors:
            raise ValidationError(errors)

    def holds(self, left: float, right: float) -> bool:
        return bool(_COMPARE[Operator(self.operator)](left, right))
