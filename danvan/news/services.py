"""Every write of news articles: write, edit, add photos, send for review, approve
(publish now or at a time), return with a message, withdraw; readers' feedback and its
moderation; the read counter.

TRANSITIONS is the one table of the workflow (drawn in the module docstring of models):

    draft ──submit──▶ in_review ──approve──▶ published ──unpublish──▶ unpublished
      ▲                   │                    │  ▲                       │
      └──────return───────┘                    └──┘ schedule              │
      └───────────────────────────redraft─────────────────────────────────┘

Each transition locks the row, checks that the action is allowed from the current state
and by this actor, changes it and records an ArticleEvent and an audit row, in one
transaction. A refusal the user can fix raises DomainError (nothing written).

Who approves: NEWS_PUBLISH on the article's unit — the unit administrator of that unit or
of a unit above it (the province's editor for a commune's article). An author who is not
an editor can never approve their own article. An editor who wrote the article may
approve it: the editor answers for what the level publishes, and a commune often has a
single administrator, who must not be left unable to publish; the event row records that
the author approved.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.audit import services as audit
from danvan.core.errors import Checks, DomainError
from danvan.core.images import clean_photo
from danvan.core.pagecache import place_changed
from danvan.core.text import fold
from danvan.units.models import Unit, UnitKind

from . import selectors
from .errors import NewsError
from .models import Article, ArticleEvent, Feedback, Photo, Tag
from .richtext import plain_text, sanitize

State = Article.State

TITLE_MAX = 300
LEAD_MAX = 600
BODY_MAX = 100_000
SOURCE_MAX = 300
BYLINE_MAX = 200
TAGS_MAX = 10
TAG_MAX = 60
ALT_MAX = 250
CAPTION_MAX = 300
MESSAGE_MAX = 2000
FEEDBACK_MAX = 2000
FEEDBACK_NAME_MAX = 100
PHOTOS_MAX = 12
# Articles belong to an administrative level (Decree 42/2022/NĐ-CP: the portal of a state
# body publishes its news): a province or a commune.
UNIT_KINDS = (UnitKind.PROVINCE, UnitKind.COMMUNE)
_TAG_SPLIT = re.compile(r"[,;\n]+")


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    perm: Perm


# The one table of the workflow: from which states, to which, with which permission.
TRANSITIONS: dict[str, Transition] = {
    "submit": Transition((State.DRAFT,), State.IN_REVIEW, Perm.NEWS_WRITE),
    "approve": Transition((State.IN_REVIEW,), State.PUBLISHED, Perm.NEWS_PUBLISH),
    "return": Transition((State.IN_REVIEW,), State.DRAFT, Perm.NEWS_PUBLISH),
    "schedule": Transition((State.PUBLISHED,), State.PUBLISHED, Perm.NEWS_PUBLISH),
    "unpublish": Transition((State.PUBLISHED,), State.UNPUBLISHED, Perm.NEWS_PUBLISH),
    "redraft": Transition((State.UNPUBLISHED,), State.DRAFT, Perm.NEWS_WRITE),
}
# Who may change the text in which state: writers while it is a draft, the editor while
# it is in review (a last correction before approving). A published article is withdrawn
# and redrafted to be changed, so that every published text was approved as it reads.
EDIT_PERMS: dict[str, Perm] = {State.DRAFT: Perm.NEWS_WRITE, State.IN_REVIEW: Perm.NEWS_PUBLISH}
MODERATIONS = ("approve", "reject")


def _error(code: NewsError, message: str, field: str | None = None) -> DomainError:
    return DomainError(code.value, message, field=field)


def _require(actor: Any, perm: Perm, unit: Unit) -> None:
    # actor None: the system itself (the demo, a command), as in the other services.
    if actor is not None:
        policies.require(actor, perm, unit)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _clean(value: str | None) -> str:
    # NUL is no text (PostgreSQL refuses it in a text column): dropped, not stored.
    return (value or "").replace("\x00", "").strip()


def _one_line(value: str | None) -> str:
    return " ".join(_clean(value).split())


def allowed(action: str, article: Article) -> bool:
    return article.state in TRANSITIONS[action].sources


def may(actor: Any, action: str, article: Article) -> bool:
    """Is *action* allowed on *article* now and for *actor* (for showing buttons)?"""
    return allowed(action, article) and policies.has_perm(
        actor, TRANSITIONS[action].perm, article.unit
    )


def may_edit(actor: Any, article: Article) -> bool:
    perm = EDIT_PERMS.get(article.state)
    return perm is not None and policies.has_perm(actor, perm, article.unit)


# --- the text ------------------------------------------------------------------------------


def article_checks(data: dict[str, Any]) -> None:
    """The rules on an article's fields, for the keys present in *data* (article_create's
    keyword names); one DomainError lists every problem. ArticleForm runs it too."""
    checks = Checks()
    limits = {
        "title": (TITLE_MAX, _("Cần ghi tiêu đề.")),
        "lead": (LEAD_MAX, _("Cần ghi sapo: một, hai câu tóm tắt bài.")),
        "source": (SOURCE_MAX, None),
        "byline": (BYLINE_MAX, None),
    }
    for field, (limit, empty) in limits.items():
        if field not in data:
            continue
        value = _clean(data[field])
        if empty is not None and not value:
            checks.refuse(NewsError.EMPTY, empty, field=field)
        elif len(value) > limit:
            checks.refuse(
                NewsError.TOO_LONG, _("Dài tối đa %(n)s ký tự.") % {"n": limit}, field=field
            )
    if "body" in data:
        body = sanitize(_clean(data["body"]))
        if not plain_text(body):
            checks.refuse(NewsError.EMPTY, _("Cần ghi nội dung bài viết."), field="body")
        elif len(body) > BODY_MAX:
            checks.refuse(
                NewsError.TOO_LONG,
                _("Nội dung dài tối đa %(n)s ký tự.") % {"n": BODY_MAX},
                field="body",
            )
    if "tags" in data:
        with checks.collect():
            tag_names(data["tags"])
    publish_at, expires_at = data.get("publish_at"), data.get("expires_at")
    if expires_at is not None and expires_at <= (publish_at or timezone.now()):
        checks.refuse(
            NewsError.BAD_DATES,
            _("Thời điểm hết hạn phải sau thời điểm đăng."),
            field="expires_at",
        )
    checks.raise_if_any()


def tag_names(tags: str | Iterable[str]) -> list[str]:
    """The tags of a comma list, spaces collapsed, without repeats (folded), in order."""
    parts = _TAG_SPLIT.split(tags) if isinstance(tags, str) else list(tags)
    names: dict[str, str] = {}
    for part in parts:
        name = _one_line(part)
        if not name:
            continue
        if len(name) > TAG_MAX:
            raise _error(
                NewsError.TOO_LONG,
                _("Mỗi chủ đề dài tối đa %(n)s ký tự.") % {"n": TAG_MAX},
                "tags",
            )
        names.setdefault(slugify(fold(name)) or fold(name), name)
    if len(names) > TAGS_MAX:
        raise _error(NewsError.TOO_LONG, _("Tối đa %(n)s chủ đề.") % {"n": TAGS_MAX}, "tags")
    return list(names.values())


def _tags(tags: str | Iterable[str]) -> list[Tag]:
    found: list[Tag] = []
    for name in tag_names(tags):
        slug = (slugify(fold(name)) or "chu-de")[:80]
        tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
        found.append(tag)
    return found


def _check_unit(unit: Unit) -> None:
    if unit.kind not in UNIT_KINDS or unit.valid_to is not None:
        raise _error(
            NewsError.BAD_UNIT,
            _("Chỉ tỉnh, thành phố hoặc xã, phường, đặc khu đang hoạt động mới đăng tin."),
            "unit",
        )


def _check_targets(unit: Unit, targets: Sequence[Unit]) -> list[Unit]:
    """A province's article may also be shown on its own current communes' pages."""
    if not targets:
        return []
    if unit.kind != UnitKind.PROVINCE:
        raise _error(
            NewsError.BAD_TARGET,
            _("Chỉ bài của tỉnh, thành phố mới đăng kèm trên trang của các xã, phường."),
            "also_on",
        )
    allowed_ids = set(
        selectors.province_communes(unit)
        .filter(pk__in=[t.pk for t in targets])
        .values_list("pk", flat=True)
    )
    outside = [t.name for t in targets if t.pk not in allowed_ids]
    if outside:
        raise _error(
            NewsError.BAD_TARGET,
            _("Không thuộc %(unit)s: %(names)s.")
            % {"unit": unit.name, "names": ", ".join(outside)},
            "also_on",
        )
    return list({t.pk: t for t in targets}.values())


def _slug(title: str) -> str:
    return (slugify(fold(title))[:120].strip("-")) or "bai-viet"


def _event(article: Article, *, actor: Any, action: str, before: str, message: str = "") -> None:
    ArticleEvent.objects.create(
        article=article,
        action=action,
        from_state=before,
        to_state=article.state,
        actor=_user(actor),
        message=message,
    )


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update().select_related("unit").get(pk=article.pk)


@transaction.atomic
def article_create(
    *,
    actor: Any,
    unit: Unit,
    title: str,
    lead: str,
    body: str,
    source: str = "",
    byline: str = "",
    tags: str | Iterable[str] = "",
    also_on: Sequence[Unit] = (),
    expires_at: dt.datetime | None = None,
) -> Article:
    """Write a draft article of *unit* (a province or a commune)."""
    _require(actor, Perm.NEWS_WRITE, unit)
    _check_unit(unit)
    article_checks(
        {"title": title, "lead": lead, "body": body, "source": source, "byline": byline}
        | {"tags": tags, "expires_at": expires_at}
    )
    targets = _check_targets(unit, also_on)
    user = _user(actor)
    title = _one_line(title)
    article = Article.objects.create(
        unit=unit,
        slug=_slug(title),
        title=title,
        lead=_clean(lead),
        body=sanitize(_clean(body)),
        source=_one_line(source),
        byline=_one_line(byline) or (user.full_name if user else "") or unit.name,
        author=user,
        expires_at=expires_at,
    )
    article.tags.set(_tags(tags))
    article.also_on.set(targets)
    audit.record_create(actor=actor, instance=article)
    _event(article, actor=actor, action="create", before="")
    return article


@transaction.atomic
def article_update(
    *,
    actor: Any,
    article: Article,
    title: str,
    lead: str,
    body: str,
    source: str = "",
    byline: str = "",
    tags: str | Iterable[str] = "",
    also_on: Sequence[Unit] = (),
    expires_at: dt.datetime | None = None,
) -> Article:
    """Change the text of a draft (writers) or of an article in review (the editor)."""
    article = _locked(article)
    perm = EDIT_PERMS.get(article.state)
    if perm is None:
        raise _error(
            NewsError.BAD_STATE,
            _("Bài “%(state)s” không sửa được: gỡ bài rồi soạn lại.")
            % {"state": article.get_state_display()},
        )
    _require(actor, perm, article.unit)
    article_checks(
        {"title": title, "lead": lead, "body": body, "source": source, "byline": byline}
        | {"tags": tags, "expires_at": expires_at, "publish_at": article.publish_at}
    )
    targets = _check_targets(article.unit, also_on)
    before = audit.snapshot(article)
    article.title = _one_line(title)
    article.slug = _slug(article.title)
    article.lead = _clean(lead)
    article.body = sanitize(_clean(body))
    article.source = _one_line(source)
    article.byline = _one_line(byline) or article.byline
    article.expires_at = expires_at
    article.save()
    article.tags.set(_tags(tags))
    article.also_on.set(targets)
    audit.record_update(actor=actor, instance=article, before=before)
    return article


@transaction.atomic
def article_photo_add(
    *,
    actor: Any,
    article: Article,
    upload: UploadedFile,
    alt: str,
    caption: str = "",
    cover: bool = False,
    field: str = "photo",
) -> Photo:
    """Add a photo, re-encoded by core.images.clean_photo (resized, EXIF removed); as the
    cover, it replaces the previous cover (which stays as an inline photo)."""
    article = _locked(article)
    perm = EDIT_PERMS.get(article.state)
    if perm is None:
        raise _error(NewsError.BAD_STATE, _("Bài ở trạng thái này không thêm ảnh được."))
    _require(actor, perm, article.unit)
    checks = Checks()
    alt = _one_line(alt)
    if not alt:
        checks.refuse(
            NewsError.EMPTY,
            _("Cần mô tả ảnh cho người không xem được ảnh (ví dụ “Bà con thôn 3 làm đường”)."),
            field=f"{field}_alt",
        )
    elif len(alt) > ALT_MAX:
        checks.refuse(
            NewsError.TOO_LONG, _("Dài tối đa %(n)s ký tự.") % {"n": ALT_MAX}, field=f"{field}_alt"
        )
    if article.photos.count() >= PHOTOS_MAX:
        checks.refuse(
            NewsError.BAD_PHOTO, _("Mỗi bài tối đa %(n)s ảnh.") % {"n": PHOTOS_MAX}, field=field
        )
    checks.raise_if_any()
    clean = clean_photo(upload, code=NewsError.BAD_PHOTO.value, field=field, name="anh")
    if cover:
        article.photos.filter(is_cover=True).update(is_cover=False)
    photo = Photo(
        article=article,
        content_type=clean.content_type,
        width=clean.width,
        height=clean.height,
        alt=alt,
        caption=_one_line(caption)[:CAPTION_MAX],
        is_cover=cover,
    )
    photo.image.save(clean.content.name or "anh.jpg", clean.content, save=False)
    photo.save()
    audit.record_create(actor=actor, instance=photo)
    return photo


# --- the workflow --------------------------------------------------------------------------


def _transition(actor: Any, article: Article, action: str) -> tuple[Article, str]:
    """Lock *article*, check *action* is allowed from its state and by *actor*; return the
    locked row and the state it was in."""
    rule = TRANSITIONS[action]
    _require(actor, rule.perm, article.unit)
    article = _locked(article)
    if article.state not in rule.sources:
        raise _error(
            NewsError.BAD_STATE,
            _("Không thực hiện được thao tác này khi bài đang ở trạng thái “%(state)s”.")
            % {"state": article.get_state_display()},
        )
    return article, article.state


def _finish(
    article: Article,
    *,
    actor: Any,
    action: str,
    before_state: str,
    before: audit.Snapshot,
    message: str = "",
) -> Article:
    article.state = TRANSITIONS[action].target
    article.save()
    audit.record_update(actor=actor, instance=article, before=before)
    _event(article, actor=actor, action=action, before=before_state, message=message)
    return article


@transaction.atomic
def article_submit(*, actor: Any, article: Article) -> Article:
    """Send a draft to the editor of the level for review."""
    article, state = _transition(actor, article, "submit")
    before = audit.snapshot(article)
    return _finish(article, actor=actor, action="submit", before_state=state, before=before)


def _check_dates(publish_at: dt.datetime | None, expires_at: dt.datetime | None) -> None:
    if expires_at is not None and expires_at <= (publish_at or timezone.now()):
        raise _error(
            NewsError.BAD_DATES, _("Thời điểm hết hạn phải sau thời điểm đăng."), "expires_at"
        )


@transaction.atomic
def article_approve(
    *,
    actor: Any,
    article: Article,
    publish_at: dt.datetime | None = None,
    expires_at: dt.datetime | None = None,
    keep_expiry: bool = True,
) -> Article:
    """Approve an article in review: shown from *publish_at* (None: now; a future time
    schedules it) until *expires_at* (None keeps the writer's, unless not *keep_expiry*)."""
    article, state = _transition(actor, article, "approve")
    publish_at = publish_at or timezone.now()
    if keep_expiry and expires_at is None:
        expires_at = article.expires_at
    _check_dates(publish_at, expires_at)
    before = audit.snapshot(article)
    article.publish_at = publish_at
    article.expires_at = expires_at
    article.review_message = ""
    article.reviewed_by = _user(actor)
    article = _finish(article, actor=actor, action="approve", before_state=state, before=before)
    place_changed(article.unit, *article.also_on.all())
    return article


@transaction.atomic
def article_schedule(
    *,
    actor: Any,
    article: Article,
    publish_at: dt.datetime | None,
    expires_at: dt.datetime | None,
) -> Article:
    """Change when a published article is shown (its publication time and expiry)."""
    article, state = _transition(actor, article, "schedule")
    publish_at = publish_at or article.publish_at or timezone.now()
    _check_dates(publish_at, expires_at)
    before = audit.snapshot(article)
    article.publish_at = publish_at
    article.expires_at = expires_at
    article = _finish(article, actor=actor, action="schedule", before_state=state, before=before)
    place_changed(article.unit, *article.also_on.all())
    return article


def _message(message: str, *, required: str) -> str:
    text = _clean(message)
    if not text:
        raise _error(NewsError.EMPTY, required, "message")
    if len(text) > MESSAGE_MAX:
        raise _error(
            NewsError.TOO_LONG, _("Dài tối đa %(n)s ký tự.") % {"n": MESSAGE_MAX}, "message"
        )
    return text


@transaction.atomic
def article_return(*, actor: Any, article: Article, message: str) -> Article:
    """Send an article in review back to its writers, saying what to change."""
    article, state = _transition(actor, article, "return")
    text = _message(message, required=_("Cần ghi ý kiến: bài cần sửa gì."))
    before = audit.snapshot(article)
    article.review_message = text
    article.reviewed_by = _user(actor)
    return _finish(
        article, actor=actor, action="return", before_state=state, before=before, message=text
    )


@transaction.atomic
def article_unpublish(*, actor: Any, article: Article, message: str) -> Article:
    """Withdraw a published article from the portal, with the reason."""
    article, state = _transition(actor, article, "unpublish")
    text = _message(message, required=_("Cần ghi lý do gỡ bài."))
    before = audit.snapshot(article)
    article.review_message = text
    article = _finish(
        article, actor=actor, action="unpublish", before_state=state, before=before, message=text
    )
    place_changed(article.unit, *article.also_on.all())
    return article


@transaction.atomic
def article_redraft(*, actor: Any, article: Article) -> Article:
    """Take a withdrawn article back to a draft, to correct it and send it again."""
    article, state = _transition(actor, article, "redraft")
    before = audit.snapshot(article)
    return _finish(article, actor=actor, action="redraft", before_state=state, before=before)


def article_record_view(article: Article) -> None:
    """Count one reading: a single UPDATE … SET views = views + 1, nothing about the reader
    (no audit row: a read count is no change of the record)."""
    Article.objects.filter(pk=article.pk).update(views=F("views") + 1)


# --- readers' feedback ---------------------------------------------------------------------


@transaction.atomic
def feedback_submit(*, actor: Any, article: Article, text: str, name: str = "") -> Feedback:
    """Take in a reader's feedback on a public article (actor None: sent on the portal).
    It is stored as plain text and waits for an editor's approval."""
    if not selectors.public_articles().filter(pk=article.pk).exists():
        raise _error(NewsError.NOT_PUBLIC, _("Bài viết này không còn nhận ý kiến."))
    checks = Checks()
    body = _clean(text)
    name = _one_line(name)
    if not body:
        checks.refuse(NewsError.EMPTY, _("Cần ghi nội dung ý kiến."), field="text")
    elif len(body) > FEEDBACK_MAX:
        checks.refuse(
            NewsError.TOO_LONG, _("Dài tối đa %(n)s ký tự.") % {"n": FEEDBACK_MAX}, field="text"
        )
    if len(name) > FEEDBACK_NAME_MAX:
        checks.refuse(
            NewsError.TOO_LONG,
            _("Dài tối đa %(n)s ký tự.") % {"n": FEEDBACK_NAME_MAX},
            field="name",
        )
    checks.raise_if_any()
    feedback = Feedback.objects.create(article=article, name=name, text=body)
    audit.record_create(actor=actor, instance=feedback)
    return feedback


@transaction.atomic
def feedback_moderate(*, actor: Any, feedback: Feedback, action: str) -> Feedback:
    """Approve (show on the portal) or reject a reader's pending feedback."""
    _require(actor, Perm.NEWS_PUBLISH, feedback.article.unit)
    item = Feedback.objects.select_for_update().select_related("article__unit").get(pk=feedback.pk)
    if action not in MODERATIONS:
        raise _error(NewsError.BAD_MODERATION, _("Hãy chọn đăng hoặc không đăng."), "action")
    if item.status != Feedback.Status.PENDING:
        raise _error(
            NewsError.BAD_MODERATION,
            _("Ý kiến đã được xử lý (“%(s)s”).") % {"s": item.get_status_display()},
            "action",
        )
    before = audit.snapshot(item)
    item.status = Feedback.Status.APPROVED if action == "approve" else Feedback.Status.REJECTED
    item.moderated_by = _user(actor)
    item.save()
    audit.record_update(actor=actor, instance=item, before=before)
    return item


def feedback_may_answer(feedback: Feedback) -> bool:
    """A rejected feedback is never shown, so it gets no public answer."""
    return feedback.status != Feedback.Status.REJECTED


@transaction.atomic
def feedback_answer(*, actor: Any, feedback: Feedback, text: str) -> Feedback:
    """Answer a reader's feedback, shown under it on the portal; answering again replaces
    the answer. Answering a pending feedback also approves it: an editor who writes the
    answer has read the feedback and means it to be seen with its answer."""
    _require(actor, Perm.NEWS_PUBLISH, feedback.article.unit)
    item = Feedback.objects.select_for_update().select_related("article__unit").get(pk=feedback.pk)
    if not feedback_may_answer(item):
        raise _error(
            NewsError.BAD_MODERATION,
            _("Ý kiến đã được xử lý là “Không đăng” nên không trả lời công khai."),
        )
    body = _clean(text)
    checks = Checks()
    if not body:
        checks.refuse(NewsError.EMPTY, _("Cần ghi nội dung trả lời."), field="answer")
    elif len(body) > FEEDBACK_MAX:
        checks.refuse(
            NewsError.TOO_LONG, _("Dài tối đa %(n)s ký tự.") % {"n": FEEDBACK_MAX}, field="answer"
        )
    checks.raise_if_any()
    before = audit.snapshot(item)
    if item.status == Feedback.Status.PENDING:
        item.status = Feedback.Status.APPROVED
        item.moderated_by = _user(actor)
    item.answer = body
    item.answered_by = _user(actor)
    item.answered_at = timezone.now()
    item.save()
    audit.record_update(actor=actor, instance=item, before=before)
    return item
