"""The body sanitizer: what stays, what goes."""

from __future__ import annotations

import pytest

from danvan.news.richtext import PHOTO_PATH, plain_text, sanitize


def test_allowed_tags_are_kept() -> None:
    html = (
        "<h2>Tiêu đề</h2><h3>Mục</h3><h4>Ý</h4><p><strong>đậm</strong> <em>nghiêng</em><br>"
        "dòng</p><ul><li>một</li></ul><ol><li>hai</li></ol><blockquote>trích</blockquote>"
        "<figure><figcaption>chú thích</figcaption></figure>"
    )
    assert sanitize(html) == html


def test_script_style_and_their_text_are_removed() -> None:
    out = sanitize("<p>a</p><script>alert('x')</script><style>p{color:red}</style><p>b</p>")
    assert out == "<p>a</p><p>b</p>"


def test_event_handlers_are_removed() -> None:
    out = sanitize(f'<p onclick="x()">t</p><img src="{PHOTO_PATH}abc/" onerror="alert(1)" alt="a">')
    assert "onclick" not in out
    assert "onerror" not in out
    assert f'<img src="{PHOTO_PATH}abc/" alt="a">' in out


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>x</script>",
        "vbscript:x",
    ],
)
def test_dangerous_links_lose_their_href(href: str) -> None:
    out = sanitize(f'<a href="{href}">x</a>')
    assert "href" not in out
    assert "script" not in out.lower().replace("noopener", "")


@pytest.mark.parametrize("href", ["https://thainguyen.gov.vn/a", "http://a.vn", "mailto:a@b.vn"])
def test_safe_links_are_kept_with_rel(href: str) -> None:
    out = sanitize(f'<a href="{href}">x</a>')
    assert f'href="{href}"' in out
    assert 'rel="noopener nofollow"' in out


@pytest.mark.parametrize(
    "src",
    ["https://evil.example/p.png", "//evil.example/p.png", "/media/x.png", f"{PHOTO_PATH}../x"],
)
def test_images_from_elsewhere_lose_their_src(src: str) -> None:
    assert "src" not in sanitize(f'<img src="{src}" alt="a">')


def test_other_tags_are_unwrapped_and_comments_dropped() -> None:
    out = sanitize('<div class="x"><h1>T</h1><iframe src="https://x"></iframe><!-- c --></div>')
    assert out == "T"


def test_plain_text() -> None:
    assert plain_text("<p>Tân &amp; Cương</p><script>x</script>") == "Tân & Cương"
