"""People's supervision at the grassroots (Law 10/2022/QH15): the people's inspection
board of a commune, community investment supervision boards of projects, their plans,
activities, findings and recommendations, and the conferences of agencies and
enterprises (staff conference, workers' conference, workplace dialogue).

The legal figures (board sizes, notice period, conference counts) are SupervisionRule
rows with their citation and validity, never constants in code.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel
from danvan.units.models import Unit


class RuleCode(models.TextChoices):
    INSPECTION_MIN_MEMBERS = "inspection_min_members", _("Ban TTND: số thành viên tối thiểu")
    INSPECTION_MEMBERS_PER_VILLAGE = (
        "inspection_members_per_village",
        _("Ban TTND: số thành viên tối thiểu ở mỗi thôn, tổ dân phố"),
    )
    INVESTMENT_MAX_REPRESENTATIVES = (
        "investment_max_representatives",
        _("Ban GSĐTCĐ: số đại diện tối đa"),
    )
    INVESTMENT_MAX_DEPUTIES = "investment_max_deputies", _("Ban GSĐTCĐ: số phó trưởng ban tối đa")
    PLAN_NOTICE_WORKING_DAYS = (
        "plan_notice_working_days",
        _("Kế hoạch kiểm tra, giám sát gửi trước (ngày làm việc)"),
    )
    WORKPLACE_DIALOGUES_PER_YEAR = (
        "workplace_dialogues_per_year",
        _("Đối thoại tại nơi làm việc: số lần tối thiểu mỗi năm"),
    )
    WORKPLACE_DIALOGUE_MIN_PER_SIDE = (
        "workplace_dialogue_min_per_side",
        _("Đối thoại tại nơi làm việc: số người tối thiểu mỗi bên"),
    )
    STAFF_CONFERENCES_PER_YEAR = (
        "staff_conferences_per_year",
        _("Hội nghị cán bộ, công chức, viên chức: số lần mỗi năm"),
    )
    WORKERS_CONFERENCES_PER_YEAR = (
        "workers_conferences_per_year",
        _("Hội nghị người lao động: số lần mỗi năm"),
    )


class SupervisionRule(TimeStampedModel):
    """One version of a legal figure, in force from valid_from to valid_to (inclusive)."""

    code = models.CharField(_("quy định"), max_length=40, choices=RuleCode.choices)
    amount = models.PositiveIntegerField(_("số lượng"))
    citation = models.CharField(_("căn cứ pháp lý"), max_length=300)
    to_verify = models.BooleanField(_("cần đối chiếu văn bản chính thức"), default=False)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    class Meta:
        ordering = ["code", "-valid_from"]
        verbose_name = _("quy định giám sát")
        verbose_name_plural = _("quy định giám sát")
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="supervision_rule_once"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="supervision_rule_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.amount} ({self.citation})"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Board(TimeStampedModel):
    """A people's inspection board (one per commune) or a community investment
    supervision board (one per project of the commune)."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("Ban Thanh tra nhân dân")
        INVESTMENT = "investment", _("Ban Giám sát đầu tư của cộng đồng")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="boards"
    )
    kind = models.CharField(_("loại ban"), max_length=12, choices=Kind.choices)
    project = models.CharField(
        _("dự án, công trình"),
        max_length=300,
        blank=True,
        help_text=_("Chỉ với Ban Giám sát đầu tư của cộng đồng."),
    )
    term_start = models.DateField(_("bắt đầu nhiệm kỳ"))
    term_end = models.DateField(_("kết thúc nhiệm kỳ"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["unit__path", "kind", "-term_start", "id"]
        verbose_name = _("ban giám sát")
        verbose_name_plural = _("ban giám sát")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True)
                | models.Q(term_end__gte=models.F("term_start")),
                name="supervision_board_term_range",
            )
        ]

    def __str__(self) -> str:
        if self.project:
            return f"{self.get_kind_display()} — {self.project}"
        return f"{self.get_kind_display()} — {self.unit.name}"

    @property
    def audit_unit(self) -> Unit:
        return self.unit


class BoardMember(TimeStampedModel):
    class Role(models.TextChoices):
        HEAD = "head", _("Trưởng ban")
        DEPUTY = "deputy", _("Phó trưởng ban")
        MEMBER = "member", _("Thành viên")
        REPRESENTATIVE = "representative", _("Đại diện cộng đồng")

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("họ và tên"), max_length=200)
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    village = models.ForeignKey(
        Unit,
        verbose_name=_("thôn, tổ dân phố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    term_start = models.DateField(_("bắt đầu"), null=True, blank=True)
    term_end = models.DateField(_("kết thúc"), null=True, blank=True)

    class Meta:
        ordering = ["board", "role", "full_name", "id"]
        verbose_name = _("thành viên ban")
        verbose_name_plural = _("thành viên ban")

    def __str__(self) -> str:
        return f"{self.full_name} — {self.get_role_display()}"

    @property
    def audit_unit(self) -> Unit:
        return self.board.unit

    def is_current_on(self, day: dt.date) -> bool:
        return (self.term_start is None or self.term_start <= day) and (
            self.term_end is None or day <= self.term_end
        )


class Plan(TimeStampedModel):
    """An inspection or supervision plan, sent to the body concerned before it starts."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(_("tên kế hoạch"), max_length=300)
    scope = models.TextField(_("nội dung, phạm vi"), blank=True)
    starts_on = models.DateField(_("ngày bắt đầu"))
    sent_on = models.DateField(
        _("ngày gửi kế hoạch"),
        null=True,
        blank=True,
        help_text=_("Ngày gửi kế hoạch cho cơ quan, đơn vị được kiểm tra, giám sát."),
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("kế hoạch kiểm tra, giám sát")
        verbose_name_plural = _("kế hoạch kiểm tra, giám sát")

    def __str__(self) -> str:
        return self.title

    @property
    def audit_unit(self) -> Unit:
        return self.board.unit


class Activity(TimeStampedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    date = models.DateField(_("ngày"))
    description = models.TextField(_("nội dung đã thực hiện"))

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("hoạt động")
        verbose_name_plural = _("hoạt động")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.description[:60]}"

    @property
    def audit_unit(self) -> Unit:
        return self.plan.board.unit


class Finding(TimeStampedModel):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField(_("nội dung phát hiện"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("phát hiện")
        verbose_name_plural = _("phát hiện")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def audit_unit(self) -> Unit:
        return self.activity.plan.board.unit


class Recommendation(TimeStampedModel):
    """A recommendation made from a finding, tracked until the board closes it."""

    class State(models.TextChoices):
        OPEN = "open", _("Chờ trả lời")
        ANSWERED = "answered", _("Đã trả lời")
        CLOSED = "closed", _("Đã kết thúc")

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField(_("nội dung kiến nghị"))
    addressed_to = models.CharField(_("cơ quan, người nhận kiến nghị"), max_length=300)
    due_date = models.DateField(_("hạn trả lời"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    closing_note = models.TextField(_("kết quả theo dõi"), blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("kiến nghị")
        verbose_name_plural = _("kiến nghị")
        indexes = [models.Index(fields=["state", "due_date"])]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def audit_unit(self) -> Unit:
        return self.finding.activity.plan.board.unit


class Conference(TimeStampedModel):
    """A conference of an agency or an enterprise under Law 10/2022/QH15 and the Labour
    Code 2019: staff conference, workers' conference or workplace dialogue."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Hội nghị cán bộ, công chức, viên chức")
        WORKERS = "workers", _("Hội nghị người lao động")
        DIALOGUE = "dialogue", _("Đối thoại tại nơi làm việc")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit, verbose_name=_("cơ quan, doanh nghiệp"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại hội nghị"), max_length=10, choices=Kind.choices)
    held_on = models.DateField(_("ngày tổ chức"))
    participants_employer = models.PositiveIntegerField(_("số người bên người sử dụng lao động"))
    participants_workers = models.PositiveIntegerField(_("số người bên người lao động"))
    minutes = models.TextField(_("biên bản"), blank=True)
    minutes_file = models.FileField(
        _("tệp biên bản"), upload_to="supervision/minutes/%Y/", max_length=255, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("hội nghị")
        verbose_name_plural = _("hội nghị")
        indexes = [models.Index(fields=["unit", "kind", "held_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.unit.name} ({self.held_on:%d/%m/%Y})"

    @property
    def audit_unit(self) -> Unit:
        return self.unit


class ConferencePlan(TimeStampedModel):
    """A conference put on an agency's or an enterprise's schedule before it is held
    (lịch hội nghị): the day and place announced to staff or workers. Recording the
    conference once held links it here; a planned day that passes with nothing recorded
    is overdue (supervision.selectors.conference_plans)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("cơ quan, doanh nghiệp"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại hội nghị"), max_length=10, choices=Conference.Kind.choices)
    planned_on = models.DateField(_("ngày dự kiến"))
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    note = models.CharField(_("nội dung dự kiến"), max_length=500, blank=True)
    conference = models.OneToOneField(
        Conference,
        verbose_name=_("hội nghị đã tổ chức"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["planned_on", "id"]
        verbose_name = _("lịch hội nghị")
        verbose_name_plural = _("lịch hội nghị")
        indexes = [models.Index(fields=["unit", "planned_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.unit.name} ({self.planned_on:%d/%m/%Y})"

    @property
    def audit_unit(self) -> Unit:
        return self.unit
