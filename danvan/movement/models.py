"""The "Dân vận khéo" movement: initiatives (mô hình) and exemplars (điển hình).

Fields, periods, criteria sets and rule thresholds are data, edited by
administrators (domain.md §4), never constants in code.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel
from danvan.units.models import Unit


class Field(TimeStampedModel):
    """A field of the movement (lĩnh vực): a configurable list."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=120)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self) -> str:
        return self.name


class Period(TimeStampedModel):
    """A movement period (giai đoạn), e.g. 2021–2025."""

    name = models.CharField(_("tên giai đoạn"), max_length=40, unique=True)
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))

    class Meta:
        ordering = ["start_year"]
        verbose_name = _("giai đoạn")
        verbose_name_plural = _("giai đoạn")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")), name="period_years"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class EntryKind(models.TextChoices):
    INITIATIVE = "initiative", _("Mô hình")
    COLLECTIVE = "collective", _("Điển hình tập thể")
    INDIVIDUAL = "individual", _("Điển hình cá nhân")


class Status(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    REGISTERED = "registered", _("Đã đăng ký")
    RETURNED = "returned", _("Trả lại để bổ sung")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    SUBMITTED = "submitted", _("Đề nghị đánh giá")
    RECOGNIZED = "recognized", _("Được công nhận")
    NOT_RECOGNIZED = "not_recognized", _("Không được công nhận")
    EXEMPLARY = "exemplary", _("Điển hình tiêu biểu")
    REPLICATED = "replicated", _("Đã nhân rộng")
    WITHDRAWN = "withdrawn", _("Đã rút")
    STOPPED = "stopped", _("Dừng thực hiện")


class Level(models.TextChoices):
    COMMUNE = "commune", _("Cấp xã")
    PROVINCE = "province", _("Cấp tỉnh")
    CENTRAL = "central", _("Trung ương")


class Entry(TimeStampedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("loại"), max_length=16, choices=EntryKind.choices)
    name = models.CharField(_("tên mô hình, điển hình"), max_length=300)
    # Folded name (no case, diacritics or "đ") for search and the duplicate warning.
    name_folded = models.CharField(max_length=300, db_index=True, editable=False)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, related_name="entries"
    )
    co_units = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị phối hợp"), blank=True, related_name="co_entries"
    )
    field = models.ForeignKey(
        Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="entries"
    )
    target_group = models.CharField(_("đối tượng"), max_length=300, blank=True)
    goals = models.TextField(_("mục tiêu"), blank=True)
    content_method = models.TextField(_("nội dung, cách làm"), blank=True)
    start_date = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    registration_year = models.PositiveSmallIntegerField(_("năm đăng ký"), db_index=True)
    period = models.ForeignKey(
        Period, verbose_name=_("giai đoạn"), on_delete=models.PROTECT, related_name="entries"
    )
    expected_results = models.TextField(_("kết quả dự kiến"), blank=True)
    achieved_results = models.TextField(_("kết quả đạt được"), blank=True)
    money_mobilized = models.DecimalField(
        _("kinh phí huy động (đồng)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    working_days = models.PositiveIntegerField(_("ngày công"), null=True, blank=True)
    land_donated_m2 = models.DecimalField(
        _("đất hiến (m²)"), max_digits=12, decimal_places=1, null=True, blank=True
    )
    contact_name = models.CharField(_("người liên hệ"), max_length=200, blank=True)
    contact_phone = models.CharField(_("điện thoại liên hệ"), max_length=32, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Milestones reached (dates), so statistics count an exemplary entry as
    # recognized too, whatever its current status.
    registered_on = models.DateField(_("ngày đăng ký"), null=True, blank=True)
    recognized_on = models.DateField(_("ngày công nhận"), null=True, blank=True)
    recognized_level = models.CharField(
        _("cấp công nhận"), max_length=10, choices=Level.choices, blank=True
    )
    exemplary_on = models.DateField(_("ngày chọn tiêu biểu"), null=True, blank=True)
    exemplary_level = models.CharField(
        _("cấp tiêu biểu"), max_length=10, choices=Level.choices, blank=True
    )
    commended_on = models.DateField(_("ngày khen thưởng"), null=True, blank=True)
    replicated_from = models.ForeignKey(
        "self",
        verbose_name=_("nhân rộng từ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-registration_year", "name"]
        verbose_name = _("mô hình, điển hình")
        verbose_name_plural = _("mô hình, điển hình")
        indexes = [
            models.Index(fields=["unit", "registration_year"]),
            models.Index(fields=["registration_year", "status"]),
            models.Index(fields=["unit", "period", "name_folded"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("movement:detail", kwargs={"public_id": self.public_id})

    @property
    def audit_unit(self) -> Unit:
        return self.unit


class Decision(TimeStampedModel):
    """A recognition, exemplary selection or commendation decision with its document number."""

    class Kind(models.TextChoices):
        RECOGNITION = "recognition", _("Công nhận")
        EXEMPLARY = "exemplary", _("Chọn điển hình tiêu biểu")
        COMMENDATION = "commendation", _("Khen thưởng")

    class Form(models.TextChoices):
        DECISION = "decision", _("Quyết định công nhận")
        CERTIFICATE = "certificate", _("Giấy khen")
        MERIT = "merit", _("Bằng khen")
        FLAG = "flag", _("Cờ thi đua")
        LETTER = "letter", _("Thư khen")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("loại quyết định"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=64)
    # The parsed number's comparison key (TƯ = TW), for finding the same decision.
    number_key = models.CharField(max_length=64, db_index=True, editable=False)
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    form = models.CharField(_("hình thức"), max_length=16, choices=Form.choices)

    class Meta:
        ordering = ["issued_on", "id"]
        verbose_name = _("quyết định")
        verbose_name_plural = _("quyết định")

    def __str__(self) -> str:
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"

    @property
    def audit_unit(self) -> Unit:
        return self.entry.unit


class EntryEvent(models.Model):
    """One transition of an entry: who, when, from, to, why."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    reason = models.TextField(_("lý do"), blank=True)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"movement/{instance.entry.public_id}/{uuid.uuid4().hex}-{filename[-80:]}"


class Attachment(TimeStampedModel):
    """A photo or document of an entry, stored through Django's storage API."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    caption = models.CharField(_("chú thích"), max_length=255, blank=True)
    # Shown in the citizens' portal gallery (an officer's choice, photos only; only for a
    # recognized entry): a unit's files are internal until someone decides otherwise.
    is_public = models.BooleanField(_("hiện trên cổng thông tin công dân"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name

    @property
    def audit_unit(self) -> Unit:
        return self.entry.unit

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


# -- evaluation ---------------------------------------------------------------


class CriteriaSet(TimeStampedModel):
    """A province's (or national) scoring guidance: criteria with weights and maxima."""

    name = models.CharField(_("tên bộ tiêu chí"), max_length=200)
    owner = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị ban hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="criteria_sets",
    )
    source = models.CharField(_("căn cứ (văn bản hướng dẫn)"), max_length=200, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_unit(self) -> Unit | None:
        return self.owner


class Criterion(TimeStampedModel):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tiêu chí"), max_length=300)
    description = models.TextField(_("hướng dẫn chấm"), blank=True)
    weight = models.DecimalField(_("trọng số"), max_digits=5, decimal_places=2, default=1)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["criteria_set", "order", "id"]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        constraints = [
            # A round's percentages divide by the sum of weight × max points.
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="criterion_weight"),
            models.CheckConstraint(
                condition=models.Q(max_points__gt=0), name="criterion_max_points"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EvaluationRound(TimeStampedModel):
    class State(models.TextChoices):
        OPEN = "open", _("Đang chấm")
        CONFIRMED = "confirmed", _("Đã xác nhận kết quả")
        CANCELLED = "cancelled", _("Đã hủy")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("tên đợt đánh giá"), max_length=200)
    level_unit = models.ForeignKey(
        Unit, verbose_name=_("cấp tổ chức"), on_delete=models.PROTECT, related_name="rounds"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    period = models.ForeignKey(Period, verbose_name=_("giai đoạn"), on_delete=models.PROTECT)
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT
    )
    # Percent of the maximum weighted total needed to be proposed recognized / exemplary.
    pass_mark = models.DecimalField(_("điểm đạt (%)"), max_digits=5, decimal_places=2)
    exemplary_mark = models.DecimalField(
        _("điểm tiêu biểu (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # Reviewers' totals further apart than this (percentage points) are flagged.
    disagreement_threshold = models.DecimalField(
        _("ngưỡng chênh lệch (%)"), max_digits=5, decimal_places=2, default=20
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Confirmed before every reviewer had submitted (the administrator's explicit override).
    confirmed_early = models.BooleanField(_("xác nhận khi chưa đủ phiếu"), default=False)
    # The one decision the confirmation entered (each entry also keeps its Decision rows).
    decision_number = models.CharField(_("số quyết định"), max_length=64, blank=True)
    decision_issued_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    # A round opened by mistake (wrong candidates, wrong criteria) is cancelled, never
    # deleted: its scores stay for the record, its candidates are free for another round.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("đợt đánh giá")
        verbose_name_plural = _("đợt đánh giá")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_unit(self) -> Unit:
        return self.level_unit


class Outcome(models.TextChoices):
    """What a round concludes for a candidate (proposed by the marks, confirmed by the admin)."""

    EXEMPLARY = "exemplary", _("Công nhận và chọn tiêu biểu")
    RECOGNIZED = "recognized", _("Công nhận")
    NOT_RECOGNIZED = "not_recognized", _("Không công nhận")


class RoundCandidate(models.Model):
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="candidates")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="candidacies")
    # Filled in at confirmation: the outcome decided and the mean score it rested on.
    outcome = models.CharField(_("kết quả"), max_length=16, choices=Outcome.choices, blank=True)
    percent = models.DecimalField(
        _("điểm bình quân (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "entry"], name="candidate_once_per_round")
        ]

    def __str__(self) -> str:
        return str(self.entry)


class RoundReviewer(models.Model):
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_rounds"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="reviewer_once_per_round")
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def audit_unit(self) -> Unit:
        return self.round.level_unit


class Score(TimeStampedModel):
    reviewer = models.ForeignKey(RoundReviewer, on_delete=models.CASCADE, related_name="scores")
    candidate = models.ForeignKey(RoundCandidate, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("điểm"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("nhận xét"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "candidate", "criterion"], name="score_once"
            ),
            models.CheckConstraint(condition=models.Q(points__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.points}"

    @property
    def audit_unit(self) -> Unit:
        return self.reviewer.round.level_unit


# -- import jobs -------------------------------------------------------------


class ImportJob(TimeStampedModel):
    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", _("Chỉ ghi khi tất cả các dòng hợp lệ")
        VALID_ONLY = "valid", _("Ghi các dòng hợp lệ, bỏ qua dòng lỗi")

    class State(models.TextChoices):
        PENDING = "pending", _("Đang chờ kiểm tra")
        VALIDATING = "validating", _("Đang kiểm tra")
        VALIDATED = "validated", _("Đã kiểm tra")
        IMPORTING = "importing", _("Đang nhập")
        DONE = "done", _("Hoàn tất")
        FAILED = "failed", _("Thất bại")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The unit whose subtree the rows must lie in; empty for a national import (only a
    # national grant may start one), which may also load historical root units (Bắc Kạn).
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="import_jobs"
    )
    file = models.FileField(upload_to="imports/%Y/%m/", max_length=255)
    # The valid rows, normalized by the validation job (gzip JSON lines), so the import
    # job writes without parsing the spreadsheet a second time.
    staged = models.FileField(upload_to="imports/staged/%Y/%m/", max_length=255, blank=True)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    mode = models.CharField(max_length=8, choices=Mode.choices, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    # [{"row": 5, "column": "C", "field": "...", "message": "..."}]
    errors = models.JSONField(default=list, blank=True)
    # All errors found; only the first ones are kept in ``errors`` (see imports.MAX_ERRORS).
    error_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    failure = models.TextField(blank=True)
    # The failure came from the system (the worker died, an unexpected error), not from
    # the file: the same job may be run again from the page (imports.job_retry).
    retryable = models.BooleanField(_("được chạy lại"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who chose the mode and started the writing (the actor of the audit rows).
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lượt nhập Excel")
        verbose_name_plural = _("lượt nhập Excel")

    def __str__(self) -> str:
        return self.original_name

    @property
    def audit_unit(self) -> Unit | None:
        return self.unit

    @property
    def invalid_rows(self) -> int:
        return max(0, self.total_rows - self.valid_rows)

    @property
    def is_running(self) -> bool:
        return self.state in (self.State.PENDING, self.State.VALIDATING, self.State.IMPORTING)

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, int(self.processed_rows * 100 / self.total_rows))
