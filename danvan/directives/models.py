"""The document register: Party, State administrative and legal normative documents
(directives, plans, decrees, laws) recorded by a unit, and the links between them
(a commune plan implements the province's plan; a decree replaces another).

The number-symbol is stored exactly as written (domain.md §6) and parsed by the one
parser, ``danvan.core.docnumber``; duplicates are refused by ``duplicate_key`` together
with the issuer, both in the service (for the Vietnamese message) and in the database
(under a race).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel
from danvan.units.models import Unit

EXCERPT_MAX_LENGTH = 1000


class Family(models.TextChoices):
    """Which numbering system the document belongs to (from the parser's ``system``)."""

    PARTY = "party", _("Văn bản của Đảng")
    STATE = "state", _("Văn bản hành chính nhà nước")
    NORMATIVE = "normative", _("Văn bản quy phạm pháp luật")


def document_file_path(instance: Document, filename: str) -> str:
    # An opaque name: the original name is kept in a field, never trusted as a path.
    return f"directives/{instance.public_id}/{uuid.uuid4().hex}"


class Document(TimeStampedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị lưu văn bản"),
        on_delete=models.PROTECT,
        related_name="directive_documents",
    )
    family = models.CharField(_("khối văn bản"), max_length=12, choices=Family.choices)
    number = models.CharField(
        _("số, ký hiệu"), max_length=80, help_text=_("Ví dụ: 15/QĐ-UBND, 20-KH/TU, 60/2013/NĐ-CP.")
    )
    # The number normalised by the parser (TƯ = TW, upper case, no spaces): for search.
    number_key = models.CharField(
        _("số, ký hiệu (chuẩn hóa)"), max_length=80, db_index=True, editable=False
    )
    # The number together with the year (State) or the Party-committee term (Party):
    # numbering restarts each 1 January (Decree 30/2020 art. 15) or each term.
    duplicate_key = models.CharField(_("khóa chống trùng"), max_length=120, editable=False)
    # The issuer as compared for duplicates: the issuing unit's id, or the folded name.
    issuer_key = models.CharField(_("cơ quan ban hành (chuẩn hóa)"), max_length=300, editable=False)
    doc_type = models.CharField(
        _("loại văn bản (ký hiệu)"), max_length=12, blank=True, db_index=True
    )
    doc_type_label = models.CharField(_("loại văn bản"), max_length=100, blank=True)
    issuer_name = models.CharField(
        _("cơ quan ban hành"),
        max_length=300,
        help_text=_("Như ghi trên văn bản, ví dụ: Ban Thường vụ Tỉnh ủy, Chính phủ."),
    )
    issuer_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị ban hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_directive_documents",
    )
    issued_on = models.DateField(_("ngày ban hành"), db_index=True)
    year = models.PositiveSmallIntegerField(_("năm"), db_index=True, editable=False)
    excerpt = models.CharField(_("trích yếu"), max_length=EXCERPT_MAX_LENGTH)
    search_folded = models.TextField(_("nội dung tìm kiếm"), editable=False, default="")
    signer_name = models.CharField(_("người ký"), max_length=200, blank=True)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    party_term = models.CharField(
        _("nhiệm kỳ"),
        max_length=9,
        blank=True,
        help_text=_("Với văn bản của Đảng, ví dụ: 2025-2030."),
    )
    file = models.FileField(
        _("tệp văn bản"), upload_to=document_file_path, max_length=255, blank=True
    )
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    file_content_type = models.CharField(_("loại tệp"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "issuer_key", "duplicate_key"],
                name="directives_document_once_in_register",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "-issued_on"], name="directives_doc_unit_date"),
            models.Index(fields=["family", "-issued_on"], name="directives_doc_family_date"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.excerpt[:80]}"

    @property
    def audit_unit(self) -> Unit:
        return self.unit


class LinkKind(models.TextChoices):
    IMPLEMENTS = "implements", _("Triển khai, thực hiện")
    REPLACES = "replaces", _("Thay thế")
    AMENDS = "amends", _("Sửa đổi, bổ sung")
    GUIDES = "guides", _("Hướng dẫn")


class DocumentLink(TimeStampedModel):
    """*source* implements / replaces / amends / guides *target*."""

    source = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="links_in")
    kind = models.CharField(_("quan hệ"), max_length=12, choices=LinkKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("liên kết văn bản")
        verbose_name_plural = _("liên kết văn bản")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="directives_link_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="directives_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.number} → {self.get_kind_display()} → {self.target.number}"

    @property
    def audit_unit(self) -> Unit:
        return self.source.unit
