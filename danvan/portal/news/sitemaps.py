"""The public articles for the portal's sitemap (django.contrib.sitemaps), for whoever
builds the sitemap to include: ``{"tin-tuc": NewsSitemap}``."""

from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from danvan.news import selectors
from danvan.news.models import Article


class NewsSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self) -> QuerySet[Article]:
        return selectors.public_articles().only("public_id", "slug", "updated_at").order_by("-id")

    def lastmod(self, item: Article) -> dt.datetime:
        return item.updated_at
