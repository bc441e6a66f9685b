"""News and communication (tuyên truyền) for the citizens' portal.

An officer writes an article of their unit (a province or a commune); the editor of the
level approves it before it is shown (draft → in review → published; returned to draft
with the editor's message; withdrawn). A published article is shown from ``publish_at``
(scheduled publication) until ``expires_at``. A province's article can also be shown on
chosen communes' pages (``also_on``). Readers send feedback, shown only once an editor
approved it. See services.TRANSITIONS for the one table of the workflow.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel
from danvan.units.models import Unit

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import StrOrPromise


class Tag(models.Model):
    """A subject readers filter by ("dân vận khéo", "công khai" …), normalized: the name
    as first written, the slug folded (no diacritics, lower case) and unique."""

    name = models.CharField(_("tên"), max_length=60)
    slug = models.SlugField(_("đường dẫn"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("chủ đề")
        verbose_name_plural = _("chủ đề")

    def __str__(self) -> str:
        return self.name


class Article(TimeStampedModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        IN_REVIEW = "in_review", _("Chờ duyệt")
        PUBLISHED = "published", _("Đã duyệt đăng")
        UNPUBLISHED = "unpublished", _("Đã gỡ")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("đường dẫn"), max_length=120)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="news_articles")
    also_on = models.ManyToManyField(
        Unit,
        blank=True,
        related_name="news_shown",
        verbose_name=_("đăng cả trên trang của"),
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    lead = models.TextField(_("sapo (tóm tắt)"), max_length=600)
    # Sanitized HTML (news.richtext): cleaned when saved and again when shown.
    body = models.TextField(_("nội dung"))
    source = models.CharField(_("nguồn"), max_length=300, blank=True)
    # The name the article is signed with (the author's, or "Ban Dân vận" …): public.
    byline = models.CharField(_("tác giả (tên hiển thị)"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    review_message = models.TextField(_("ý kiến của người duyệt"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    publish_at = models.DateTimeField(_("đăng từ"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn đăng lúc"), null=True, blank=True)
    # Read count: one UPDATE … SET views = views + 1 per page view; nothing about the reader.
    views = models.PositiveIntegerField(_("lượt đọc"), default=0)

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = _("bài viết")
        verbose_name_plural = _("bài viết")
        indexes = [
            models.Index(fields=["state", "publish_at"]),
            models.Index(fields=["unit", "state"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:article", kwargs={"public_id": self.public_id, "slug": self.slug})

    @property
    def audit_unit(self) -> Unit:
        return self.unit


def _photo_path(instance: Photo, filename: str) -> str:
    # An opaque name: nothing of the uploaded file's name is kept.
    return f"news/{instance.public_id}.{filename.rsplit('.', 1)[-1]}"


class Photo(TimeStampedModel):
    """A photo of an article, re-encoded by core.images.clean_photo (resized, no EXIF).
    The cover is shown on lists and shared links; the others go in the body."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("tệp ảnh"), upload_to=_photo_path, max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=20)
    width = models.PositiveIntegerField(_("chiều rộng (điểm ảnh)"))
    height = models.PositiveIntegerField(_("chiều cao (điểm ảnh)"))
    # Required: a photo without a text alternative fails WCAG 2.1 (1.1.1) and Circular
    # 26/2020/TT-BTTTT on accessible state portals.
    alt = models.CharField(_("mô tả ảnh"), max_length=250)
    caption = models.CharField(_("chú thích"), max_length=300, blank=True)
    is_cover = models.BooleanField(_("ảnh đại diện"), default=False)

    class Meta:
        ordering = ["-is_cover", "id"]
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh")

    def __str__(self) -> str:
        return self.alt

    def get_absolute_url(self) -> str:
        return reverse("portal:news_photo", kwargs={"public_id": self.public_id})

    @property
    def audit_unit(self) -> Unit:
        return self.article.unit


class ArticleEvent(models.Model):
    """One step of an article's workflow: who, when, from which state to which, why."""

    LABELS: ClassVar[dict[str, StrOrPromise]] = {
        "create": _("Tạo bản nháp"),
        "submit": _("Gửi duyệt"),
        "approve": _("Duyệt đăng"),
        "return": _("Trả lại để sửa"),
        "schedule": _("Đổi thời gian đăng"),
        "unpublish": _("Gỡ bài"),
        "redraft": _("Soạn lại"),
    }

    article = models.ForeignKey(
        Article, verbose_name=_("bài viết"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("thao tác"), max_length=20)
    from_state = models.CharField(_("từ trạng thái"), max_length=12)
    to_state = models.CharField(_("sang trạng thái"), max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("diễn biến bài viết")
        verbose_name_plural = _("diễn biến bài viết")

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state} → {self.to_state}"

    @property
    def label(self) -> str:
        return str(self.LABELS.get(self.action, self.action))


class Feedback(TimeStampedModel):
    """A reader's feedback on an article, sent on the portal without an account. Shown
    only after an editor approved it; stored as plain text (escaped when shown)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ kiểm duyệt")
        APPROVED = "approved", _("Đã đăng")
        REJECTED = "rejected", _("Không đăng")

    # A name a reader chose to give: personal data, not copied into the audit trail.
    audit_private_fields: ClassVar[frozenset[str]] = frozenset({"name"})

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    name = models.CharField(_("tên người gửi"), max_length=100, blank=True)
    text = models.TextField(_("nội dung"), max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The editors' answer, shown under the feedback on the portal (the province's news site
    # answers readers in the same place they asked). Plain text, escaped when shown.
    answer = models.TextField(_("trả lời của ban biên tập"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("ý kiến bạn đọc")
        verbose_name_plural = _("ý kiến bạn đọc")
        indexes = [models.Index(fields=["article", "status"])]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def audit_unit(self) -> Unit:
        return self.article.unit
