"""core.pagecache: the process's memory first, then the shared cache, both filled on a set."""

from __future__ import annotations

from django.core.cache import cache, caches

from danvan.core.pagecache import LOCAL_ALIAS, page_forget, page_get, page_set


def test_two_tiers() -> None:
    cache.clear()
    assert page_get("k") is None
    page_set("k", "<p>trang</p>", 60)
    assert caches[LOCAL_ALIAS].get("k") == "<p>trang</p>"
    assert cache.get("k") == "<p>trang</p>"
    # Another process (its memory empty) reads the shared copy and keeps it.
    caches[LOCAL_ALIAS].clear()
    assert page_get("k") == "<p>trang</p>"
    assert caches[LOCAL_ALIAS].get("k") == "<p>trang</p>"
    page_forget("k")
    assert page_get("k") is None
