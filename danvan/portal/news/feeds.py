"""RSS 2.0 and Atom feeds of the portal's news (django.contrib.syndication): the whole
portal's, and one per place (a province or a commune: its own articles and those its
province published to it)."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _

from danvan.news import selectors
from danvan.news.models import Article
from danvan.units.models import Unit

ITEMS = 20


class NewsRss(Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    language = "vi"

    def get_object(self, request: HttpRequest, code: str | None = None) -> Unit | None:
        if code is None:
            return None
        place = selectors.place_by_code(code)
        if place is None:
            raise Http404
        return place

    def title(self, obj: Unit | None) -> str:
        if obj is None:
            return _("Tin tức — Cổng thông tin công dân")
        return _("Tin tức — %(place)s") % {"place": obj.name}

    def link(self, obj: Unit | None) -> str:
        url = reverse("portal:news")
        return f"{url}?noi={obj.code}" if obj is not None else url

    def description(self, obj: Unit | None) -> str:
        return _("Tin tức, tuyên truyền của chính quyền và phong trào “Dân vận khéo”.")

    def items(self, obj: Unit | None) -> list[Article]:
        if obj is not None:
            return selectors.articles_for_place(obj, limit=ITEMS)
        return list(selectors.public_list()[:ITEMS])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.lead

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Article) -> str:
        return f"urn:uuid:{item.public_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Article) -> dt.datetime | None:
        return item.publish_at

    def item_updateddate(self, item: Article) -> dt.datetime | None:
        return item.publish_at

    def item_author_name(self, item: Article) -> str:
        return item.byline


class NewsAtom(NewsRss):
    feed_type = Atom1Feed

    def subtitle(self, obj: Unit | None) -> str:
        return self.description(obj)
