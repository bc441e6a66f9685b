"""Plans and tasks (theo dõi nhiệm vụ), after the Government Office's task tracking
(Decision 42/2014/QĐ-TTg, amended by Decision 23/2018/QĐ-TTg; domain.md §9).

A plan (from a document or on its own) breaks into tasks. A task has a lead unit (chủ
trì), coordinating units (phối hợp), an expected deliverable (sản phẩm), a due date and a
source (the paragraph of a document, a conference's conclusion, an inspection's
recommendation, or a plan). Tasks are delegated downwards as sub-tasks. The lifecycle
state (open, submitted, closed, cancelled) is changed only by services.transitions; the
status the Government Office counts (done on time, done late, open within or past the
deadline) is never stored: status.py computes it from the dates. Every change of state
is an append-only TaskEvent.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel
from danvan.units.models import Unit


def result_path(instance: Any, filename: str) -> str:
    return f"tasks/results/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}-{filename[-80:]}"


def evidence_path(instance: Any, filename: str) -> str:
    return f"tasks/evidence/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}-{filename[-80:]}"


class Plan(TimeStampedModel):
    """A plan of a unit (kế hoạch), from a document of the register or on its own."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("tên kế hoạch"), max_length=300)
    document = models.ForeignKey(
        "directives.Document",
        verbose_name=_("văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="task_plans",
    )
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="task_plan_range",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("directive_tasks:plan_detail", args=[self.public_id])

    @property
    def audit_unit(self) -> Unit:
        return self.unit


class SourceKind(models.TextChoices):
    DOCUMENT = "document", _("Văn bản")
    PLAN = "plan", _("Kế hoạch")
    CONFERENCE = "conference", _("Kết luận hội nghị")
    INSPECTION = "inspection", _("Kiến nghị sau kiểm tra, giám sát")
    OTHER = "other", _("Khác")


class TaskState(models.TextChoices):
    """Where a task is in its life; changed only by services (TRANSITIONS)."""

    OPEN = "open", _("Đang thực hiện")
    SUBMITTED = "submitted", _("Đã nộp sản phẩm, chờ nghiệm thu")
    CLOSED = "closed", _("Đã nghiệm thu")
    CANCELLED = "cancelled", _("Đã hủy")


class LadderStep(models.TextChoices):
    """The ladder for late work as provinces use it (domain.md §9), climbed one step at a
    time by the daily job (ladder.py): remind, urge, request an explanation, escalate."""

    NONE = "none", _("Chưa nhắc")
    REMINDED = "reminded", _("Đã nhắc")
    URGED = "urged", _("Đã đôn đốc")
    EXPLANATION_REQUESTED = "explanation_requested", _("Đã yêu cầu giải trình")
    ESCALATED = "escalated", _("Đã báo cáo cấp trên")


class Task(TimeStampedModel):
    """One task (nhiệm vụ): who leads it, who helps, what it delivers and by when."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    # A sub-task was delegated downwards by its parent's lead unit. `root` is the top of
    # the tree (None on the top task itself): a whole tree is read in one query to derive
    # the parents' progress.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("nhiệm vụ cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigner_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị giao"), on_delete=models.PROTECT, related_name="+"
    )
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị chủ trì"),
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    coordinating_units = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị phối hợp"), blank=True, related_name="coordinated_tasks"
    )
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    description = models.TextField(_("nội dung"), blank=True)
    deliverable = models.CharField(_("sản phẩm"), max_length=500)
    # The due date is always stored; when it was given as "N working days from an event"
    # the three fields below say so and due_on is what the working-day calendar made of it.
    due_on = models.DateField(_("thời hạn"))
    due_working_days = models.PositiveSmallIntegerField(
        _("số ngày làm việc"), null=True, blank=True
    )
    due_from_event = models.CharField(_("tính từ sự kiện"), max_length=200, blank=True)
    due_from_date = models.DateField(_("ngày của sự kiện"), null=True, blank=True)
    source_kind = models.CharField(
        _("nguồn giao"), max_length=12, choices=SourceKind.choices, default=SourceKind.OTHER
    )
    # Any record may be a source (a conference, an inspection's recommendation) without
    # this app importing its app; the register's documents have a plain key of their own.
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(_("mã bản ghi nguồn"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    # GenericForeignKey takes no label itself (a Field since Django 5.1; the stubs lag).
    source.verbose_name = _("nguồn giao nhiệm vụ")  # type: ignore[attr-defined]
    source_document = models.ForeignKey(
        "directives.Document",
        verbose_name=_("văn bản giao"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    source_paragraph = models.TextField(_("trích đoạn giao nhiệm vụ"), blank=True)
    source_anchor = models.CharField(
        _("vị trí trong văn bản"),
        max_length=100,
        blank=True,
        help_text=_("Ví dụ: mục II.3, đoạn 4."),
    )
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=TaskState.choices, default=TaskState.OPEN
    )
    submitted_on = models.DateField(_("ngày nộp sản phẩm"), null=True, blank=True)
    # The day the deliverable was submitted, set when the assigner accepts it: the day
    # the status compares with the due date.
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(_("nghiệm thu lúc"), null=True, blank=True)
    result_number = models.CharField(_("số, ký hiệu văn bản kết quả"), max_length=60, blank=True)
    result_file = models.FileField(
        _("tệp sản phẩm"), upload_to=result_path, max_length=255, blank=True
    )
    result_minutes = models.TextField(_("biên bản"), blank=True)
    progress_percent = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The step of the ladder for late work the task has reached and the day it got there
    # (ladder.py): the daily job only climbs, one step a day, and each step is a TaskEvent.
    ladder_step = models.CharField(
        _("bước đôn đốc"), max_length=24, choices=LadderStep.choices, default=LadderStep.NONE
    )
    ladder_at = models.DateField(_("ngày của bước đôn đốc"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        indexes = [
            models.Index(fields=["lead_unit", "state", "due_on"], name="task_lead_state_due"),
            models.Index(fields=["assigner_unit", "state"], name="task_assigner_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress_percent__lte=100), name="task_progress_max_100"
            ),
            # A closed task has the day it was done: the status reads it.
            models.CheckConstraint(
                condition=~models.Q(state="closed") | models.Q(completed_on__isnull=False),
                name="task_closed_has_completed_on",
            ),
            models.CheckConstraint(
                condition=models.Q(due_working_days__isnull=True)
                | models.Q(due_from_date__isnull=False),
                name="task_relative_due_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("directive_tasks:detail", args=[self.public_id])

    @property
    def audit_unit(self) -> Unit:
        return self.lead_unit

    @property
    def is_relative_due(self) -> bool:
        return self.due_working_days is not None


class EventKind(models.TextChoices):
    CREATED = "created", _("Giao nhiệm vụ")
    DELEGATED = "delegated", _("Giao tiếp cho cấp dưới")
    PROGRESS = "progress", _("Báo cáo tiến độ")
    SUBMITTED = "submitted", _("Nộp sản phẩm")
    ACCEPTED = "accepted", _("Nghiệm thu")
    RETURNED = "returned", _("Trả lại")
    REOPENED = "reopened", _("Mở lại sau kiểm tra")
    CANCELLED = "cancelled", _("Hủy nhiệm vụ")
    # The ladder for late work as provinces use it (domain.md §9): remind, urge, request
    # an explanation (cause, remedy, new date), escalate: climbed daily by ladder.py.
    REMINDED = "reminded", _("Nhắc")
    URGED = "urged", _("Đôn đốc")
    EXPLANATION_REQUESTED = "explanation_requested", _("Yêu cầu giải trình")
    EXPLANATION_GIVEN = "explanation_given", _("Giải trình")
    ESCALATED = "escalated", _("Báo cáo cấp trên")
    # The assigner accepted an explanation's new date (explanations.explanation_decide).
    REDATED = "redated", _("Điều chỉnh thời hạn")


class AppendOnlyError(RuntimeError):
    """A task's history is never changed or deleted, only added to."""


class TaskEventQuerySet(models.QuerySet["TaskEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("task events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("task events are append-only")


class TaskEvent(models.Model):
    """One thing that happened to a task: who, when, what note, what evidence.

    Append-only: the history of a task is the record an inspection reads; a row is never
    updated or deleted (save of an existing row, update and delete raise).
    """

    # Looked up through task_event_task_at (task first): a second index on the task alone
    # would be one more B-tree written per event, and the ladder writes one per late task
    # a day (bench/task_ladder.py).
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="events", db_index=False)
    kind = models.CharField(_("loại"), max_length=24, choices=EventKind.choices)
    # None for the ladder's events: indexed only where set (task_event_actor).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    at = models.DateTimeField(_("lúc"), default=timezone.now)
    note = models.TextField(_("ghi chú"), blank=True)
    percent = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    evidence = models.FileField(_("tệp minh chứng"), upload_to=evidence_path, blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)

    objects = TaskEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("diễn biến nhiệm vụ")
        verbose_name_plural = _("diễn biến nhiệm vụ")
        indexes = [
            models.Index(fields=["task", "at"], name="task_event_task_at"),
            models.Index(
                fields=["actor"],
                condition=models.Q(actor__isnull=False),
                name="task_event_actor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%d/%m/%Y %H:%M})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An integrity guard, not business logic: a history row is written once.
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("task events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("task events are append-only")


class Decision(models.TextChoices):
    PENDING = "", _("Chờ đơn vị giao xem xét")
    ACCEPTED = "accepted", _("Chấp nhận")
    REFUSED = "refused", _("Không chấp nhận")


class Explanation(TimeStampedModel):
    """A request for an explanation of late work (yêu cầu giải trình, domain.md §9) and
    its answer: the cause, the remedy and a proposed new due date, which the assigner
    accepts (the task's due date changes, ladder.explanation_decide) or refuses."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="explanations")
    requested_at = models.DateTimeField(_("yêu cầu lúc"), default=timezone.now)
    # None: the daily job asked (the ladder), not a person.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # indexed only where set (Meta.indexes)
    )
    request_note = models.TextField(_("nội dung yêu cầu"), blank=True)
    answered_at = models.DateTimeField(_("giải trình lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giải trình"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # indexed only where set (Meta.indexes)
    )
    cause = models.TextField(_("nguyên nhân chậm"), blank=True)
    remedy = models.TextField(_("giải pháp khắc phục"), blank=True)
    proposed_due_on = models.DateField(_("thời hạn mới đề xuất"), null=True, blank=True)
    decision = models.CharField(
        _("ý kiến đơn vị giao"), max_length=10, choices=Decision.choices, blank=True, default=""
    )
    decided_at = models.DateTimeField(_("xem xét lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem xét"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # indexed only where set (Meta.indexes)
    )
    decision_note = models.TextField(_("ghi chú của đơn vị giao"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("giải trình")
        verbose_name_plural = _("giải trình")
        # The people are None on most rows (the ladder asks; answers come later): partial
        # indexes keep the rows the ladder writes out of three B-trees.
        indexes = [
            models.Index(
                fields=[name],
                condition=models.Q(**{f"{name}__isnull": False}),
                name=f"task_expl_{name}",
            )
            for name in ("requested_by", "answered_by", "decided_by")
        ]
        constraints = [
            # One request waits for an answer at a time: the ladder's escalation counts
            # working days from it.
            models.UniqueConstraint(
                fields=["task"],
                condition=models.Q(answered_at__isnull=True),
                name="task_explanation_one_open",
            ),
            models.CheckConstraint(
                condition=models.Q(decision="") | models.Q(answered_at__isnull=False),
                name="task_explanation_decided_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Giải trình')}: {self.task}"

    @property
    def audit_unit(self) -> Unit:
        return self.task.lead_unit

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
