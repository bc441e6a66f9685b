"""News on the citizens' portal: list, article, share tags, feedback, feeds, photos."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from danvan.accounts.models import User
from danvan.news import services
from danvan.news.models import Article, Feedback
from danvan.news.tests.conftest import photo_upload, published, write
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _xml(content: bytes) -> ElementTree.Element:
    # Our own server's feed, built by Django's feed generator: no untrusted XML.
    return ElementTree.fromstring(content)  # noqa: S314


def _with_cover(commune: Unit, **kwargs: Any) -> Article:
    """A published article with a cover photo (photos are added before approval)."""
    article = write(commune, **kwargs)
    services.article_photo_add(
        actor=None, article=article, upload=photo_upload((80, 60)), alt="Ảnh bìa", cover=True
    )
    services.article_submit(actor=None, article=article)
    return services.article_approve(actor=None, article=article)


# --- the list --------------------------------------------------------------------------------


def test_list_shows_only_what_is_public(commune: Unit) -> None:
    shown = published(commune, title="Tin đã đăng")
    write(commune, title="Bản nháp bí mật")
    published(commune, title="Tin hẹn giờ", publish_at=timezone.now() + dt.timedelta(days=2))
    page = Client().get(reverse("portal:news")).content.decode()
    assert shown.title in page
    assert "Bản nháp bí mật" not in page
    assert "Tin hẹn giờ" not in page
    assert 'id="most-read"' in page


def test_list_by_place_shows_targeted_province_articles(
    thai_nguyen: Unit, commune: Unit, sibling_commune: Unit
) -> None:
    published(thai_nguyen, title="Tin của tỉnh cho xã", also_on=[commune])
    client = Client()
    on_commune = client.get(reverse("portal:news"), {"noi": commune.code}).content.decode()
    on_sibling = client.get(reverse("portal:news"), {"noi": sibling_commune.code})
    assert "Tin của tỉnh cho xã" in on_commune
    assert "Tin của tỉnh cho xã" not in on_sibling.content.decode()
    assert reverse("portal:news_feed_rss", args=[commune.code]) in on_commune
    assert client.get(reverse("portal:news"), {"noi": "khong-co"}).status_code == 404


def test_list_by_tag(commune: Unit) -> None:
    published(commune, title="Có chủ đề", tags="Công khai")
    published(commune, title="Chủ đề khác", tags="Giao thông")
    page = Client().get(reverse("portal:news"), {"chu-de": "cong-khai"}).content.decode()
    assert ">Có chủ đề</a></h2>" in page
    assert ">Chủ đề khác</a></h2>" not in page
    assert Client().get(reverse("portal:news"), {"chu-de": "x"}).status_code == 404


def test_list_queries_are_bounded(commune: Unit, django_assert_max_num_queries: Any) -> None:
    for i in range(12):
        _with_cover(commune, title=f"Tin {i}", tags=f"Chủ đề {i}")
    client = Client()
    with django_assert_max_num_queries(8):
        response = client.get(reverse("portal:news"))
    assert response.status_code == 200
    assert response.content.decode().count('alt="Ảnh bìa"') == 10
    assert len(response.content) < 100_000


def test_list_links_its_feeds_in_head(commune: Unit) -> None:
    page = Client().get(reverse("portal:news"), {"noi": commune.code}).content.decode()
    head = page.split("</head>")[0]
    assert 'rel="alternate" type="application/rss+xml"' in head
    assert 'rel="alternate" type="application/atom+xml"' in head


# --- an article --------------------------------------------------------------------------------


def test_wrong_or_missing_slug_redirects_permanently(commune: Unit) -> None:
    article = published(commune, title="Đại Từ đón Bằng công nhận")
    client = Client()
    for url in (
        reverse("portal:article", args=[article.public_id, "sai-ten"]),
        reverse("portal:article_short", args=[article.public_id]),
    ):
        response = client.get(url)
        assert response.status_code == 301
        assert response["Location"] == f"/cong-dan/tin-tuc/{article.public_id}/{article.slug}/"


def test_unpublished_and_scheduled_articles_are_404(commune: Unit) -> None:
    draft = write(commune)
    later = published(commune, publish_at=timezone.now() + dt.timedelta(hours=1))
    for article in (draft, later):
        assert Client().get(article.get_absolute_url()).status_code == 404


def test_view_counter_increments_per_read(commune: Unit) -> None:
    article = published(commune)
    client = Client()
    for _ in range(3):
        assert client.get(article.get_absolute_url()).status_code == 200
    article.refresh_from_db()
    assert article.views == 3


def test_body_is_shown_sanitized_even_if_stored_raw(commune: Unit) -> None:
    article = published(commune)
    Article.objects.filter(pk=article.pk).update(
        body='<p>Đúng</p><script>alert("x")</script><img src="x" onerror="alert(1)">'
    )
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "<p>Đúng</p>" in page
    assert 'alert("x")' not in page
    assert "onerror" not in page


def test_open_graph_tags_are_present_and_absolute(commune: Unit) -> None:
    article = _with_cover(commune, title="Tin có ảnh")
    page = Client().get(article.get_absolute_url()).content.decode()
    head = page.split("</head>")[0]
    canonical = f"http://testserver{article.get_absolute_url()}"
    assert '<meta property="og:type" content="article">' in head
    assert '<meta property="og:title" content="Tin có ảnh">' in head
    assert f'<meta property="og:description" content="{article.lead}">' in head
    assert f'<meta property="og:url" content="{canonical}">' in head
    image = re.search(r'<meta property="og:image" content="([^"]+)">', head)
    assert image
    assert image.group(1).startswith("http://testserver/cong-dan/tin-tuc/anh/")
    assert '<meta property="article:published_time" content="' in head
    assert '<meta name="twitter:card" content="summary_large_image">' in head


def test_share_links_work_without_script(commune: Unit) -> None:
    article = published(commune)
    page = Client().get(article.get_absolute_url()).content.decode()
    canonical = f"http://testserver{article.get_absolute_url()}"
    assert f'id="share-url" type="url" readonly value="{canonical}"' in page
    assert 'href="mailto:?subject=' in page
    assert "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Ftestserver" in page
    assert "zalo" in page


def test_cover_photo_is_served_while_public(commune: Unit, editor: User) -> None:
    article = _with_cover(commune)
    photo = article.photos.get()
    response = Client().get(photo.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    services.article_unpublish(actor=editor, article=article, message="Gỡ")
    assert Client().get(photo.get_absolute_url()).status_code == 404


# --- readers' feedback ---------------------------------------------------------------------------


def _post_feedback(client: Client, article: Article, *, wait: float = 5, **data: str) -> Any:
    """Show the article, wait *wait* seconds (a frozen clock), send the form."""
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        page = client.get(article.get_absolute_url()).content.decode()
        token = TOKEN.search(page)
        assert token is not None
        traveller.shift(wait)
        form = {"name": "", "text": "", "website": "", "form_token": token.group(1)}
        form.update(data)
        return client.post(article.get_absolute_url(), form)


def test_feedback_is_pending_until_approved_and_shown_escaped(commune: Unit, editor: User) -> None:
    article = published(commune)
    client = Client()
    response = _post_feedback(client, article, text="<script>alert(1)</script>Rất hay", name="Lan")
    assert response.status_code == 302
    thanks = client.get(response["Location"]).content.decode()
    assert 'id="feedback-thanks"' in thanks
    assert "Rất hay" not in thanks  # not before moderation
    item = Feedback.objects.get()
    services.feedback_moderate(actor=editor, feedback=item, action="approve")
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Rất hay" in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize(
    ("wait", "extra"),
    [
        (1, {}),  # faster than a person
        (2 * 24 * 3600, {}),  # a form kept for two days
        (5, {"website": "http://spam.example"}),  # the honeypot filled in
        (5, {"form_token": "forged"}),
    ],
)
def test_anti_abuse_refuses_and_keeps_the_text(
    commune: Unit, wait: float, extra: dict[str, str]
) -> None:
    article = published(commune)
    response = _post_feedback(Client(), article, wait=wait, text="Ý kiến của tôi", **extra)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ý kiến của tôi" in page
    assert 'id="error-summary"' in page
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"text": "", "name": "Người giữ tên"}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": "Ổn", "name": "n" * 101}, "name"),
    ],
)
def test_bad_feedback_keeps_what_was_typed(commune: Unit, data: dict[str, Any], field: str) -> None:
    article = published(commune)
    response = _post_feedback(Client(), article, **data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    if data.get("name") == "Người giữ tên":
        assert 'value="Người giữ tên"' in page
    assert not Feedback.objects.exists()


def test_nul_byte_in_feedback_never_errors(commune: Unit) -> None:
    article = published(commune)
    response = _post_feedback(Client(), article, text="Tốt\x00 lắm")
    assert response.status_code in (302, 400)
    assert all("\x00" not in f.text for f in Feedback.objects.all())


def test_feedback_is_rate_limited_on_accepted_sendings_only(commune: Unit) -> None:
    article = published(commune)
    client = Client()
    # Refused forms (an empty text) cost nothing.
    assert [_post_feedback(client, article, text="").status_code for _ in range(6)] == [400] * 6
    codes = [_post_feedback(client, article, text=f"Ý kiến {i}").status_code for i in range(6)]
    assert codes[:5] == [302] * 5
    assert codes[5] == 429
    response = _post_feedback(client, article, text="Ý kiến thứ bảy")
    assert response.status_code == 429
    assert "Ý kiến thứ bảy" in response.content.decode()
    assert Feedback.objects.count() == 5


# --- feeds -------------------------------------------------------------------------------------


def test_place_rss_is_valid_and_has_the_right_items(thai_nguyen: Unit, commune: Unit) -> None:
    published(thai_nguyen, title="Tin tỉnh gửi xã", also_on=[commune])
    published(commune, title="Tin của xã")
    published(thai_nguyen, title="Tin tỉnh riêng")
    write(commune, title="Bản nháp")
    response = Client().get(reverse("portal:news_feed_rss", args=[commune.code]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = _xml(response.content)
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    titles = [i.findtext("title") for i in root.iter("item")]
    assert titles == ["Tin của xã", "Tin tỉnh gửi xã"]
    link = root.find("channel/item/link")
    assert link is not None
    assert (link.text or "").startswith("http://testserver/cong-dan/tin-tuc/")


def test_place_atom_is_valid(commune: Unit) -> None:
    published(commune, title="Tin Atom")
    response = Client().get(reverse("portal:news_feed_atom", args=[commune.code]))
    assert response.status_code == 200
    root = _xml(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)] == [
        "Tin Atom"
    ]


def test_whole_portal_feed_and_unknown_place(commune: Unit) -> None:
    published(commune, title="Tin chung")
    root = _xml(Client().get(reverse("portal:news_feed_all_rss")).content)
    assert [i.findtext("title") for i in root.iter("item")] == ["Tin chung"]
    assert Client().get(reverse("portal:news_feed_rss", args=["khong-co"])).status_code == 404


def test_sitemap_lists_only_public_articles(commune: Unit) -> None:
    from danvan.portal.news.sitemaps import NewsSitemap

    shown = published(commune)
    write(commune)
    assert list(NewsSitemap().items()) == [shown]


def test_the_place_page_shows_the_province_article_sent_to_the_commune(
    thai_nguyen: Unit, commune: Unit
) -> None:
    published(thai_nguyen, title="Tin tỉnh gửi xã", also_on=[commune])
    cache.clear()  # the place page is cached whole
    html = Client().get(reverse("portal:place", args=[commune.code])).content.decode()
    assert 'id="tin-tuc"' in html
    assert "Tin tỉnh gửi xã" in html
    assert thai_nguyen.name in html
    assert reverse("portal:news_feed_rss", args=[commune.code]) in html
