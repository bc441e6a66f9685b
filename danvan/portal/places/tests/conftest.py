"""Fixtures of the place tests: the cases fixtures, and an empty cache around each test
(place pages are cached)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from danvan.cases.tests.conftest import handler, leader, officer, receive  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()
