"""Citizens' cases: reception days, complaints, denunciations, feedback, petitions, dialogues.

The sender of a case is never stored on the case row: who they are lives encrypted in
`SenderIdentity` (identity.py holds the keys, outside the database). Every other view of
the case shows its pseudonym (`Case.alias`). Due dates come from `danvan.legal.deadlines`
and the case keeps the rule versions it was accepted under (domain.md §5).
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel
from danvan.legal.models import CaseKind, DeadlineRule, Duty
from danvan.units.models import Official, Unit

# The four kinds a case can have (CaseKind.LETTER is only a deadline-rule kind).
KINDS = (CaseKind.COMPLAINT, CaseKind.DENUNCIATION, CaseKind.FEEDBACK, CaseKind.PETITION)
KIND_CHOICES = [(k.value, k.label) for k in KINDS]


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp tại nơi tiếp công dân")
    LETTER = "letter", _("Đơn thư gửi đến")
    PORTAL = "portal", _("Cổng thông tin")
    PHONE = "phone", _("Điện thoại, đường dây nóng")
    TRANSFERRED = "transferred", _("Cơ quan khác chuyển đến")
    OPEN311 = "open311", _("Ứng dụng Open311")


class Status(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận, chờ xử lý")
    ACCEPTED = "accepted", _("Đã thụ lý, đang giải quyết")
    PAUSED = "paused", _("Tạm đình chỉ")
    REFUSED = "refused", _("Không thụ lý (đã trả lời)")
    TRANSFERRED = "transferred", _("Đã chuyển cơ quan có thẩm quyền")
    RESOLVED = "resolved", _("Đã giải quyết")
    WITHDRAWN = "withdrawn", _("Người gửi rút đơn")


OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.PAUSED)


class PublicState(models.TextChoices):
    """Whether the public may read a case's summary, place and photos (portal, Open311).

    Everything a citizen sends is pending until an officer of the unit moderates it: the
    citizen's own words may carry names, phone numbers or accusations (Law 91/2025/QH15).
    """

    PENDING = "pending", _("Chờ kiểm duyệt")
    PUBLISHED = "published", _("Đã công khai")
    HIDDEN = "hidden", _("Không công khai")


class Alert(models.TextChoices):
    """Set by the daily sweep (tasks.sweep_deadlines) from the due date."""

    NONE = "", _("Trong hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")


class Case(TimeStampedModel):
    """One case (vụ việc): a complaint, denunciation, feedback or petition."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Shown to the citizen on the receipt; long and random so codes cannot be guessed.
    lookup_code = models.CharField(_("mã tra cứu"), max_length=20, unique=True, editable=False)
    reference = models.CharField(_("số hồ sơ"), max_length=32, blank=True, db_index=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị xử lý"), on_delete=models.PROTECT, related_name="cases"
    )
    kind = models.CharField(_("loại vụ việc"), max_length=16, choices=KIND_CHOICES)
    round = models.PositiveSmallIntegerField(_("lần khiếu nại"), default=0)
    complex = models.BooleanField(_("vụ việc phức tạp"), default=False)
    remote = models.BooleanField(_("vùng sâu, vùng xa, đi lại khó khăn"), default=False)
    # 0 ordinary, 1 complex, 2 especially complex: how many extensions a denunciation may
    # get (Law on Denunciations 2018, art. 30(1)).
    complexity = models.PositiveSmallIntegerField(_("mức độ phức tạp"), default=0)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    is_open = models.BooleanField(_("đang xử lý"), default=True)
    subject = models.CharField(_("tóm tắt nội dung"), max_length=300)
    content = models.TextField(_("nội dung"))
    # The pseudonym every list, export, report, notification and API response shows.
    alias = models.CharField(_("bí danh người gửi"), max_length=40)
    received_on = models.DateField(_("ngày nhận"))
    accepted_on = models.DateField(_("ngày thụ lý"), null=True, blank=True)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    # The clock that runs now: to accept or refuse while received, to resolve once accepted.
    due_date = models.DateField(_("hạn xử lý"), null=True, blank=True)
    rule = models.ForeignKey(
        DeadlineRule,
        verbose_name=_("quy định thời hạn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The resolution clock as accepted (start, rule version), kept to recompute extensions.
    resolve_rule = models.ForeignKey(
        DeadlineRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paused_days = models.PositiveIntegerField(_("số ngày tạm dừng"), default=0)
    paused_on = models.DateField(_("tạm dừng từ"), null=True, blank=True)
    alert = models.CharField(_("cảnh báo"), max_length=10, choices=Alert.choices, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ thụ lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_cases",
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("vụ việc lần đầu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followups",
    )
    transferred_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="transfers"
    )
    transferred_to = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reception_session = models.ForeignKey(
        "ReceptionSession",
        verbose_name=_("buổi tiếp công dân"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    refusal_reason = models.TextField(_("lý do không thụ lý"), blank=True)
    result_summary = models.TextField(_("kết quả giải quyết"), blank=True)
    decision_number = models.CharField(
        _("số quyết định, văn bản trả lời"), max_length=60, blank=True
    )
    decision_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    # What the portal shows for the lookup code: no names, no addresses.
    public_answer = models.TextField(_("nội dung trả lời công khai"), blank=True)
    # Optimistic locking: every write bumps it; a save made from an older version is refused.
    version = models.PositiveIntegerField(default=1)
    # Open311 extras (GeoReport v2): where the citizen pointed, if anywhere.
    lat = models.FloatField(null=True, blank=True)
    long = models.FloatField(null=True, blank=True)
    address = models.CharField(_("địa điểm phản ánh"), max_length=300, blank=True)
    # What the portal and Open311 may show of the case, written or checked by an officer:
    # nothing (summary, address, place, photo) is public before it is published.
    public_summary = models.TextField(_("tóm tắt công khai"), blank=True)
    public_state = models.CharField(
        _("công khai"),
        max_length=10,
        choices=PublicState.choices,
        default=PublicState.PENDING,
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(_("kiểm duyệt lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("vụ việc")
        verbose_name_plural = _("vụ việc")
        indexes = [
            # The officer's queue: my open cases by due date (constant-time first page).
            models.Index(fields=["handler", "is_open", "due_date", "id"], name="case_queue"),
            # The unit's inbox and the overdue sweep.
            models.Index(fields=["unit", "is_open", "due_date", "id"], name="case_unit_queue"),
            models.Index(fields=["is_open", "due_date"], name="case_open_due"),
            models.Index(fields=["unit", "received_on"], name="case_unit_received"),
            # The published feedback of a commune (the portal's place page).
            models.Index(fields=["unit", "public_state", "received_on"], name="case_unit_public"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(round__lte=2), name="case_round_0_2"),
            models.CheckConstraint(condition=Q(complexity__lte=2), name="case_complexity_0_2"),
        ]

    def __str__(self) -> str:
        return f"{self.reference or self.lookup_code} — {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.public_id])

    @property
    def audit_unit(self) -> Unit:
        return self.unit

    @property
    def is_denunciation(self) -> bool:
        return self.kind == CaseKind.DENUNCIATION

    @property
    def is_public(self) -> bool:
        return self.public_state == PublicState.PUBLISHED


class CaseAssignment(TimeStampedModel):
    """An officer assigned to a case: only they (with the identity role) may see a
    denouncer's identity."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("phân công xử lý")
        verbose_name_plural = _("phân công xử lý")
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="case_assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.user_id}"

    @property
    def audit_unit(self) -> Unit:
        return self.case.unit


class SenderIdentity(models.Model):
    """Who sent a case: name, address, ID number, contact — one encrypted token.

    Kept in its own table, never joined into lists; the key is outside the database
    (identity.py). For a denunciation only its assigned handlers holding the identity
    role may decrypt it (Law on Denunciations 2018, art. 8), and every view is audited.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="identity")
    token = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("danh tính người gửi (mã hoá)")
        verbose_name_plural = _("danh tính người gửi (mã hoá)")

    def __str__(self) -> str:
        return f"identity of case {self.case_id}"

    @property
    def audit_unit(self) -> Unit:
        return self.case.unit


class IdentityScan(models.Model):
    """A scan of the sender's letter or papers (handwriting identifies): encrypted bytes."""

    identity = models.ForeignKey(SenderIdentity, on_delete=models.CASCADE, related_name="scans")
    content_type = models.CharField(max_length=100)
    name_token = models.TextField()
    data_token = models.BinaryField()
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bản quét đơn (mã hoá)")
        verbose_name_plural = _("bản quét đơn (mã hoá)")

    def __str__(self) -> str:
        return f"scan {self.pk}"


class StepKind(models.TextChoices):
    CLASSIFY = "classify", _("Phân loại")
    VERIFY = "verify", _("Xác minh")
    MEETING = "meeting", _("Làm việc, đối thoại")
    DOCUMENT = "document", _("Văn bản")
    EXTEND = "extend", _("Gia hạn")
    PAUSE = "pause", _("Tạm đình chỉ")
    RESUME = "resume", _("Tiếp tục giải quyết")
    NOTE = "note", _("Ghi chú")


class CaseStep(TimeStampedModel):
    """A handling step: verification, a meeting, a document issued, an extension."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("loại bước"), max_length=12, choices=StepKind.choices)
    on = models.DateField(_("ngày"))
    text = models.TextField(_("nội dung"))
    document_number = models.CharField(_("số văn bản"), max_length=60, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"

    @property
    def audit_unit(self) -> Unit:
        return self.case.unit


def _document_path(instance: CaseDocument, filename: str) -> str:
    return f"cases/{instance.case.public_id}/{uuid.uuid4().hex}"


class CaseDocument(TimeStampedModel):
    """A file of the case (minutes, decisions): checked by content, stored under an opaque name."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=_document_path)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    title = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A photo the citizen sent with the case (re-encoded, without EXIF: core.images).
    citizen_photo = models.BooleanField(_("ảnh người gửi"), default=False)
    # Published by the moderator (case_moderate_public): only then served to the public,
    # and only while the case's summary is published too.
    public = models.BooleanField(_("công khai"), default=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("tài liệu vụ việc")
        verbose_name_plural = _("tài liệu vụ việc")

    def __str__(self) -> str:
        return self.title or self.original_name

    @property
    def audit_unit(self) -> Unit:
        return self.case.unit


class Verdict(models.TextChoices):
    RESOLVED = "resolved", _("Đã giải quyết")
    PARTLY = "partly", _("Giải quyết một phần")
    NOT_RESOLVED = "not_resolved", _("Chưa giải quyết")


class CitizenVerdict(TimeStampedModel):
    """The citizen's own answer to "was it resolved?", given by the lookup code once the
    case is answered. One per case: a later answer (within VERDICT_CHANGE_DAYS of the
    first) replaces it. The comment is private to the unit's officers."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="verdict")
    answer = models.CharField(_("đánh giá của người gửi"), max_length=16, choices=Verdict.choices)
    comment = models.TextField(_("ý kiến thêm"), blank=True)
    # Denormalized from the case so that a commune's rate is one grouped query.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("đánh giá kết quả của người gửi")
        verbose_name_plural = _("đánh giá kết quả của người gửi")
        indexes = [models.Index(fields=["unit", "updated_at"], name="verdict_unit_updated")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.answer}"

    @property
    def audit_unit(self) -> Unit:
        return self.unit


class CaseEvent(models.Model):
    """The case's history of status changes (what the portal timeline shows, without names)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"


class ReceptionSchedule(TimeStampedModel):
    """A leader's regular reception days (lịch tiếp công dân), published on the portal."""

    class Pattern(models.TextChoices):
        WEEKLY = "weekly", _("Hằng tuần")
        MONTHLY = "monthly", _("Hằng tháng")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reception_schedules")
    leader = models.ForeignKey(
        Official, verbose_name=_("người tiếp"), on_delete=models.PROTECT, related_name="+"
    )
    # Which legal minimum applies to this leader (None: a leader without a legal minimum).
    duty = models.CharField(
        _("nghĩa vụ theo luật"), max_length=32, choices=Duty.choices[:2], blank=True
    )
    pattern = models.CharField(_("định kỳ"), max_length=8, choices=Pattern.choices)
    # Weekly: 0 = Monday … 6 = Sunday. Monthly: the day of the month (1–28).
    day = models.PositiveSmallIntegerField(_("ngày"))
    place = models.CharField(_("địa điểm"), max_length=200)
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        ordering = ["unit__path", "leader__full_name"]
        verbose_name = _("lịch tiếp công dân")
        verbose_name_plural = _("lịch tiếp công dân")

    def __str__(self) -> str:
        return f"{self.leader.full_name}: {self.get_pattern_display()}"

    @property
    def audit_unit(self) -> Unit:
        return self.unit


class ReceptionSession(TimeStampedModel):
    """One reception held: who received, the citizens received, what they raised."""

    # The citizens' names are personal data: the audit trail does not copy them.
    audit_private_fields: ClassVar[frozenset[str]] = frozenset({"citizens"})

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reception_sessions")
    schedule = models.ForeignKey(
        ReceptionSchedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    leader = models.ForeignKey(
        Official, verbose_name=_("người chủ trì tiếp"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("ngày tiếp"))
    place = models.CharField(_("địa điểm"), max_length=200)
    citizens_count = models.PositiveIntegerField(_("số lượt công dân"), default=0)
    # Personal data: officers only, never on the portal.
    citizens = models.TextField(_("công dân được tiếp"), blank=True)
    content = models.TextField(_("nội dung"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("buổi tiếp công dân")
        verbose_name_plural = _("buổi tiếp công dân")
        indexes = [models.Index(fields=["leader", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} — {self.leader.full_name}"

    @property
    def audit_unit(self) -> Unit:
        return self.unit


class Dialogue(TimeStampedModel):
    """A dialogue conference with citizens (Local Government Law 2025, art. 43)."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Đã lên kế hoạch")
        ANNOUNCED = "announced", _("Đã thông báo")
        HELD = "held", _("Đã tổ chức")
        PUBLISHED = "published", _("Đã công khai kết quả")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="dialogues")
    title = models.CharField(_("chủ đề"), max_length=300)
    held_on = models.DateField(_("ngày đối thoại"))
    place = models.CharField(_("địa điểm"), max_length=200)
    chair = models.CharField(_("người chủ trì"), max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PLANNED)
    announced_on = models.DateField(_("ngày thông báo"), null=True, blank=True)
    published_on = models.DateField(_("ngày công khai kết quả"), null=True, blank=True)
    participants = models.TextField(_("thành phần tham dự"), blank=True)
    participants_count = models.PositiveIntegerField(_("số người tham dự"), default=0)
    results = models.TextField(_("kết quả đối thoại"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("hội nghị đối thoại")
        verbose_name_plural = _("hội nghị đối thoại")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"

    @property
    def audit_unit(self) -> Unit:
        return self.unit


class DialogueQuestion(TimeStampedModel):
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="questions")
    question = models.TextField(_("ý kiến, câu hỏi"))
    asked_by = models.CharField(_("người nêu (có thể để trống)"), max_length=200, blank=True)
    answer = models.TextField(_("trả lời"), blank=True)
    answered_by = models.CharField(_("người trả lời"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("ý kiến tại đối thoại")
        verbose_name_plural = _("ý kiến tại đối thoại")

    def __str__(self) -> str:
        return self.question[:60]

    @property
    def audit_unit(self) -> Unit:
        return self.dialogue.unit


class Commitment(TimeStampedModel):
    """A commitment made at a dialogue, tracked to done like a task."""

    class State(models.TextChoices):
        OPEN = "open", _("Đang thực hiện")
        DONE = "done", _("Đã hoàn thành")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="commitments")
    question = models.ForeignKey(
        DialogueQuestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("nội dung cam kết"))
    responsible = models.CharField(_("người, đơn vị chịu trách nhiệm"), max_length=200)
    due_date = models.DateField(_("hạn hoàn thành"))
    state = models.CharField(max_length=6, choices=State.choices, default=State.OPEN)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    result = models.TextField(_("kết quả thực hiện"), blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("cam kết")
        verbose_name_plural = _("cam kết")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def audit_unit(self) -> Unit:
        return self.dialogue.unit
