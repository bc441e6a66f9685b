"""What news puts on the list of what needs doing (danvan.worklist): articles waiting for
the editor of the level to approve or return them."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.policies import Perm
from danvan.worklist.registry import Item, QuerySetSource, Scope, link, register, urgency_of

from .models import Article


def _item(article: Article, scope: Scope) -> Item:
    return Item(
        source="news.review",
        what=_("Bài chờ duyệt: %(title)s") % {"title": article.title[:90]},
        where=article.unit.name,
        url=link("news:detail", article.public_id),
        since=timezone.localtime(article.updated_at).date(),
        due=None,
        urgency=urgency_of(None, scope),
    )


register(
    QuerySetSource(
        code="news.review",
        label=gettext_lazy("Bài viết chờ duyệt"),
        perm=Perm.NEWS_PUBLISH,
        unit="unit__",
        queryset=lambda s: Article.objects.filter(state=Article.State.IN_REVIEW),
        item=_item,
        since="updated_at",
        fields=("public_id", "title", "updated_at", "unit__name"),
        list_url=lambda: reverse("news:review"),
    )
)
