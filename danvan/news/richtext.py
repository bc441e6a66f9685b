"""Safe rich text for articles: what an article's body may contain, enforced by nh3 (the
Python binding of the maintained Rust sanitizer "ammonia").

Run when the body is saved (services) and again when it is shown (the ``news_html``
filter), so that a body stored before a rule changed, or written around the service, is
still shown safe. Allowed: paragraphs, h2–h4, bold, italic, lists, links (http, https and
mailto only, opened with rel="noopener nofollow"), quotes, line breaks, figures and images
from this site's own article photos. Everything else — script, style, iframes, on*
attributes, javascript: links, images from elsewhere — is removed.
"""

from __future__ import annotations

import html as html_lib

import nh3

# Where the portal serves an article's photos (portal:news_photo); an <img> may only
# point there: no tracking pixel or hot-linked picture from another site.
PHOTO_PATH = "/cong-dan/tin-tuc/anh/"

TAGS = frozenset(
    {
        "p",
        "h2",
        "h3",
        "h4",
        "strong",
        "em",
        "ul",
        "ol",
        "li",
        "a",
        "blockquote",
        "br",
        "figure",
        "figcaption",
        "img",
    }
)
ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt", "width", "height"}}
# Removed with what they contain (the text of a script is no article text).
DROP_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "noscript"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def _attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        # Only our own photos: a path under PHOTO_PATH, not "//host/…" nor a full URL.
        return value if value.startswith(PHOTO_PATH) and ".." not in value else None
    if tag == "img" and attribute in ("width", "height"):
        return value if value.isdigit() and len(value) <= 4 else None
    return value


def sanitize(html: str) -> str:
    """*html* reduced to the allowed tags and attributes (see the module docstring)."""
    return nh3.clean(
        html or "",
        tags=set(TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        attribute_filter=_attribute,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener nofollow",
        strip_comments=True,
    ).strip()


def plain_text(html: str) -> str:
    """The text of *html* without any tag (for feeds' summaries and length checks)."""
    bare = nh3.clean(html or "", tags=set(), clean_content_tags=set(DROP_WITH_CONTENT))
    return html_lib.unescape(" ".join(bare.split()))
