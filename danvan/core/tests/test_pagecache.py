"""core.pagecache: the process's memory first, then the shared cache, both filled on a set;
the place pages' keys, and forgetting a place's pages once a change to it commits."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.utils import translation

from danvan.core.pagecache import (
    LOCAL_ALIAS,
    page_forget,
    page_get,
    page_set,
    place_changed,
    place_page_key,
)
from danvan.units import services as unit_services
from danvan.units.models import Unit, UnitKind


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


# --- the place pages -----------------------------------------------------------------------


def test_a_place_page_is_keyed_by_code_and_language() -> None:
    keys = {place_page_key(code, language) for code in ("19", "05443") for language in ("vi", "en")}
    assert len(keys) == 4
    with translation.override("en"):
        assert place_page_key("19") == place_page_key("19", "en")


def _cache_place_pages(*codes: str) -> list[str]:
    """A page for each of *codes* in every language, in both tiers; their keys."""
    keys = [place_page_key(code, language) for code in codes for language, _ in settings.LANGUAGES]
    for key in keys:
        page_set(key, f"<p>{key}</p>", 60)
    return keys


@pytest.mark.django_db
def test_a_change_forgets_the_place_and_its_ancestors_after_commit(
    thai_nguyen: Unit,
    commune: Unit,
    sibling_commune: Unit,
    django_capture_on_commit_callbacks: Any,
) -> None:
    village = unit_services.unit_create(
        actor=None, parent=commune, kind=UnitKind.VILLAGE, name="Thôn Đông"
    )
    changed = _cache_place_pages(village.code, commune.code, thai_nguyen.code)
    others = _cache_place_pages(sibling_commune.code)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            place_changed(village)
        # Before the commit every page is still served: a reader could otherwise cache
        # the old page again before the change is visible to it.
        assert all(page_get(key) is not None for key in changed)
    assert len(callbacks) == 1
    callbacks[0]()
    for key in changed:
        assert cache.get(key) is None
        assert caches[LOCAL_ALIAS].get(key) is None
    assert all(page_get(key) == f"<p>{key}</p>" for key in others)


@pytest.mark.django_db
def test_nothing_is_forgotten_when_the_change_is_rolled_back(
    commune: Unit, django_capture_on_commit_callbacks: Any
) -> None:
    keys = _cache_place_pages(commune.code)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        contextlib.suppress(RuntimeError),
        transaction.atomic(),
    ):
        place_changed(commune)
        raise RuntimeError("the write failed")
    assert callbacks == []
    assert all(page_get(key) is not None for key in keys)


@pytest.mark.django_db
def test_a_cache_out_of_service_does_not_fail_the_change(
    commune: Unit, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(keys: list[str]) -> None:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "delete_many", unreachable)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        place_changed(commune)  # logged, not raised: the page expires on its own
    assert len(callbacks) == 1


def test_no_unit_changes_nothing(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        place_changed()
    assert callbacks == []
