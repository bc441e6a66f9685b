"""Rendered public pages kept in two tiers: this process's memory, then the shared cache.

A commune's portal page is the same for every visitor and is read far more often than it
changes. Kept in the shared cache (Redis in production) it is rendered once for all the
web processes; kept also in the process's own memory for a few seconds, a burst of
readers costs no network round trip at all (bench/portal_load.py: the warm page against a
bare view of the same size). The memory tier is short so that what a unit publishes shows
on every process within PAGE_LOCAL_SECONDS of the shared copy being forgotten or expiring.

Only pages with nothing personal nor per-visitor go here (no CSRF token, no session): the
caller decides, and keys them by everything the page depends on (place, language).

The portal's place pages (a page for every province and commune) are keyed here, by
place_page_key, so that the services that change what such a page shows can forget it
(place_changed) without knowing the portal: the areas call core, never the portal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, cast

from django.conf import settings
from django.core.cache import cache, caches
from django.db import models, transaction
from django.utils.translation import get_language

LOCAL_ALIAS = "pages"
# How long this process trusts its own copy before asking the shared cache again.
PAGE_LOCAL_SECONDS = 10
# Raise it when the place page's HTML changes shape: the copies kept under the old keys
# are then never read again and expire on their own.
PLACE_PAGE_VERSION = 1


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


# --- the place pages -----------------------------------------------------------------------


class TreeUnit(Protocol):
    """A unit of the tree, as place_changed needs it (units.models.Unit: core does not
    import the units app, which builds on core)."""

    pk: Any

    @property
    def ancestor_ids(self) -> list[int]: ...


def place_page_key(code: str, language: str | None = None) -> str:
    """The key of the place page of the unit *code* in *language* (the active one)."""
    return f"portal:place:{PLACE_PAGE_VERSION}:{language or get_language()}:{code}"


def place_changed(*units: TreeUnit) -> None:
    """Forget the place pages that show what changed in *units*, once the transaction
    commits: each unit's own page and its ancestors' (a village's vote shows on its
    commune's page and its province's), in every language, from the shared cache and from
    this process's memory. Other processes keep their copy at most PAGE_LOCAL_SECONDS.

    Called by the services whose writes a place page shows (publishing, withdrawing,
    opening, closing, moderating). Ancestors without a page (the nation, a village) have
    no key: forgetting them costs nothing. After commit, so that a reader cannot cache
    the old page again before the change is visible; robust, so that a cache out of
    service never turns a saved change into an error (the page then expires on its own).
    """
    if not units:
        return
    model = cast(type[models.Model], type(units[0]))
    ids = {pk for unit in units for pk in (*unit.ancestor_ids, unit.pk)}
    transaction.on_commit(lambda: _forget_places(model, ids), robust=True)


def _forget_places(model: type[models.Model], ids: Iterable[int]) -> None:
    codes = list(model._default_manager.filter(pk__in=ids).values_list("code", flat=True))
    keys = [place_page_key(code, language) for code in codes for language, _ in settings.LANGUAGES]
    cache.delete_many(keys)
    caches[LOCAL_ALIAS].delete_many(keys)
