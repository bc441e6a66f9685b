"""Fixtures of the portal tests: the cases fixtures (officer, handler, receive), a clean
rate-limit cache, and Open311 over HTTP served in-process by the Django WSGI app."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from wsgiadapter import WSGIAdapter

from danvan.cases.tests.conftest import handler, leader, officer, receive  # noqa: F401
from danvan.core.tests.wsgi_app import in_test_transaction

OPEN311_HOST = "http://open311.test"
OPEN311_ROOT = f"{OPEN311_HOST}/open311/v2"
CLIENT_ADDRESS = "192.0.2.10"  # TEST-NET-1 (RFC 5737)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Rate-limit counters live in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open311_root(settings: Any, db: None, monkeypatch: pytest.MonkeyPatch) -> str:
    """The GeoReport v2 root URL; `requests` (and so the georeport client) reaches the
    Django app in this process, inside the test's transaction, through a transport adapter.

    """
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "open311.test"]
    adapter = WSGIAdapter(in_test_transaction(WSGIHandler(), CLIENT_ADDRESS))
    original_init = requests.Session.__init__

    def init(self: requests.Session, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.mount(OPEN311_HOST, adapter)

    monkeypatch.setattr(requests.Session, "__init__", init)
    return OPEN311_ROOT
