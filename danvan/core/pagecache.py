"""Rendered public pages kept in two tiers: this process's memory, then the shared cache.

A commune's portal page is the same for every visitor and is read far more often than it
changes. Kept in the shared cache (Redis in production) it is rendered once for all the
web processes; kept also in the process's own memory for a few seconds, a burst of
readers costs no network round trip at all (bench/portal_load.py: the warm page against a
bare view of the same size). The memory tier is short so that what a unit publishes shows
on every process within PAGE_LOCAL_SECONDS of the shared copy's expiry.

Only pages with nothing personal nor per-visitor go here (no CSRF token, no session): the
caller decides, and keys them by everything the page depends on (place, language).
"""

from __future__ import annotations

from django.core.cache import cache, caches

LOCAL_ALIAS = "pages"
# How long this process trusts its own copy before asking the shared cache again.
PAGE_LOCAL_SECONDS = 10


def page_get(key: str) -> str | None:
    """The page cached under *key*: from this process's memory, else from the shared cache
    (then remembered here too), else None."""
    local = caches[LOCAL_ALIAS]
    html: str | None = local.get(key)
    if html is None:
        html = cache.get(key)
        if html is not None:
            local.set(key, html, PAGE_LOCAL_SECONDS)
    return html


def page_set(key: str, html: str, seconds: int) -> None:
    """Keep *html* under *key* for *seconds* in the shared cache, and briefly here."""
    cache.set(key, html, seconds)
    caches[LOCAL_ALIAS].set(key, html, min(seconds, PAGE_LOCAL_SECONDS))


def page_forget(key: str) -> None:
    """Drop *key* from both tiers (other processes' memory copies expire on their own)."""
    cache.delete(key)
    caches[LOCAL_ALIAS].delete(key)
