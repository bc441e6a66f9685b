"""Reads of news articles: the public ones for the portal, and the officers' scoped ones.

The portal sees an article only when it is published, its ``publish_at`` has come and its
``expires_at`` has not; never a draft, an article in review or a withdrawn one, never a
reader's feedback before an editor approved it. Officers read the articles of the units
where they hold NEWS_WRITE or NEWS_PUBLISH; one out of sight answers like a missing one.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import NotFound
from danvan.units.models import Unit

from .models import Article, Feedback, Photo, Tag

State = Article.State


def _with_cover(rows: QuerySet[Article]) -> QuerySet[Article]:
    """The unit and the cover photo (as ``covers``, a list of at most one) in two queries."""
    return rows.select_related("unit").prefetch_related(
        Prefetch("photos", queryset=Photo.objects.filter(is_cover=True), to_attr="covers")
    )


def public_articles() -> QuerySet[Article]:
    """The articles the portal shows now: published, publication time come, not expired."""
    now = timezone.now()
    return Article.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        state=State.PUBLISHED,
        publish_at__lte=now,
    )


def _for_place_q(unit: Unit) -> Q:
    """Articles owned by *unit* or chosen to be shown on its page too."""
    targeted = Article.also_on.through.objects.filter(article_id=OuterRef("pk"), unit_id=unit.pk)
    return Q(unit=unit) | Q(Exists(targeted))


def articles_for_place(unit: Unit, *, limit: int) -> list[Article]:
    """The newest public articles of *unit*'s page: its own and those its province
    published to it too (``also_on``), newest first, at most *limit*, each with its unit
    and cover photo (``article.covers``). Called by the place page; two queries."""
    rows = public_articles().filter(_for_place_q(unit)).order_by("-publish_at", "-id")
    return list(_with_cover(rows)[:limit])


def public_list(*, unit: Unit | None = None, tag: Tag | None = None) -> QuerySet[Article]:
    """The portal's news list, newest first, filtered by place and tag."""
    rows = public_articles()
    if unit is not None:
        rows = rows.filter(_for_place_q(unit))
    if tag is not None:
        rows = rows.filter(tags=tag)
    return _with_cover(rows).order_by("-publish_at", "-id")


def most_read(*, limit: int = 5, unit: Unit | None = None) -> list[Article]:
    """The most read public articles (of *unit*'s page when given)."""
    rows = public_articles()
    if unit is not None:
        rows = rows.filter(_for_place_q(unit))
    return list(rows.only("public_id", "slug", "title", "views").order_by("-views", "-id")[:limit])


def public_article_get(public_id: uuid.UUID) -> Article | None:
    return (
        public_articles()
        .select_related("unit__parent")
        .prefetch_related("tags", "photos")
        .filter(public_id=public_id)
        .first()
    )


def public_feedback(article: Article) -> QuerySet[Feedback]:
    """The approved feedback on *article*, oldest first; never a pending or rejected one."""
    return Feedback.objects.filter(article=article, status=Feedback.Status.APPROVED).order_by(
        "created_at", "id"
    )


def tag_by_slug(slug: str | None) -> Tag | None:
    if not slug or len(slug) > 80:
        return None
    return Tag.objects.filter(slug=slug).first()


def used_tags(limit: int = 30) -> list[Tag]:
    """The tags of public articles, for the list page's filter."""
    return list(
        Tag.objects.filter(articles__in=public_articles()).distinct().order_by("name")[:limit]
    )


# --- officers ---------------------------------------------------------------------------


def _visible_q(user: Any) -> Q:
    return policies.scope_q(user, Perm.NEWS_WRITE, "unit__") | policies.scope_q(
        user, Perm.NEWS_PUBLISH, "unit__"
    )


def articles_visible(
    *, user: Any, state: str | None = None, mine: bool = False
) -> QuerySet[Article]:
    """The articles of the units where *user* writes or edits, newest change first."""
    rows = Article.objects.filter(_visible_q(user))
    if state:
        rows = rows.filter(state=state)
    if mine:
        rows = rows.filter(author=user)
    return rows.select_related("unit").order_by("-updated_at", "-id")


def article_get(*, user: Any, public_id: uuid.UUID) -> Article:
    found = (
        Article.objects.select_related("unit", "author", "reviewed_by")
        .prefetch_related("tags", "also_on", "photos")
        .filter(public_id=public_id)
        .first()
    )
    if found is None or not (
        policies.has_perm(user, Perm.NEWS_WRITE, found.unit)
        or policies.has_perm(user, Perm.NEWS_PUBLISH, found.unit)
    ):
        raise NotFound(_("Không tìm thấy bài viết."), code="article_not_found")
    return found


def review_queue(*, user: Any) -> QuerySet[Article]:
    """The articles waiting for *user*'s approval (in review, on units they edit)."""
    return (
        Article.objects.filter(policies.scope_q(user, Perm.NEWS_PUBLISH, "unit__"))
        .filter(state=State.IN_REVIEW)
        .select_related("unit")
        .order_by("updated_at", "id")
    )


def feedback_queue(*, user: Any) -> QuerySet[Feedback]:
    """Readers' feedback waiting for moderation on the articles *user* edits."""
    return (
        Feedback.objects.filter(policies.scope_q(user, Perm.NEWS_PUBLISH, "article__unit__"))
        .filter(status=Feedback.Status.PENDING)
        .select_related("article__unit")
        .order_by("created_at", "id")
    )


def feedback_get(*, user: Any, pk: int) -> Feedback:
    found = Feedback.objects.select_related("article__unit").filter(pk=pk).first()
    if found is None or not policies.has_perm(user, Perm.NEWS_PUBLISH, found.article.unit):
        raise NotFound(_("Không tìm thấy ý kiến."), code="feedback_not_found")
    return found


def province_communes(unit: Unit) -> QuerySet[Unit]:
    """The current communes of province *unit* (the choices of ``also_on``)."""
    return Unit.objects.filter(parent=unit, kind="commune", valid_to__isnull=True).order_by("name")


def place_by_code(code: str | None) -> Unit | None:
    """The province or commune in force with *code* (a place whose news the portal shows)."""
    code = (code or "").strip()
    if not code or len(code) > 32:
        return None
    return (
        Unit.objects.filter(code=code, kind__in=("province", "commune"), valid_to__isnull=True)
        .select_related("parent")
        .first()
    )


def photo_get(public_id: uuid.UUID, *, user: Any = None) -> Photo | None:
    """A photo the requester may see: of a public article for anyone, of any article for
    the officers who write or edit its unit's news (their previews), else None."""
    photo = Photo.objects.select_related("article__unit").filter(public_id=public_id).first()
    if photo is None:
        return None
    if public_articles().filter(pk=photo.article_id).exists():
        return photo
    unit = photo.article.unit
    if user is not None and (
        policies.has_perm(user, Perm.NEWS_WRITE, unit)
        or policies.has_perm(user, Perm.NEWS_PUBLISH, unit)
    ):
        return photo
    return None
