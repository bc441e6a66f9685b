"""The news demo: what it builds, through the services, once."""

from __future__ import annotations

import pytest

from danvan.demo.news import seed_news
from danvan.demo.services import demo_seed_base
from danvan.news import selectors
from danvan.news.models import Article, Feedback
from danvan.units.demo import COMMUNE_CODES
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db


def test_seed_news_builds_the_articles_once() -> None:
    demo_seed_base()
    result = seed_news()
    assert result.articles == 6
    assert result.scheduled == 1
    assert result.in_review == 1
    assert result.published == 4
    first = Unit.objects.get(code=COMMUNE_CODES[0])
    shown = selectors.articles_for_place(first, limit=10)
    titles = [a.title for a in shown]
    assert any("biểu dương" in t for t in titles)  # the province's, targeted
    assert not any("Kế hoạch tuyên truyền" in t for t in titles)
    assert Feedback.objects.filter(status=Feedback.Status.APPROVED).count() == 1
    assert Feedback.objects.filter(status=Feedback.Status.PENDING).count() == 1
    cover = Article.objects.get(title__contains="biểu dương").photos.get(is_cover=True)
    assert cover.alt
    assert cover.width == 1200
    assert seed_news().articles == 0
