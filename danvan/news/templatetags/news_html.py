"""``{{ article.body|news_html }}``: an article's body, sanitized again as it is shown
(news.richtext), then marked safe."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from danvan.news.richtext import sanitize

register = template.Library()


@register.filter
def news_html(value: str) -> SafeString:
    # Safe: nh3 has just removed everything but the allowed tags and attributes.
    return mark_safe(sanitize(str(value or "")))  # noqa: S308
