"""Fixtures of the portal tests: the cases fixtures (officer, handler, receive), a clean
rate-limit cache, and Open311 over HTTP served in-process by the Django WSGI app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from wsgiadapter import WSGIAdapter

from danvan.cases.tests.conftest import handler, leader, officer, receive  # noqa: F401

OPEN311_HOST = "http://open311.test"
OPEN311_ROOT = f"{OPEN311_HOST}/open311/v2"
CLIENT_ADDRESS = "192.0.2.10"  # TEST-NET-1 (RFC 5737)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Rate-limit counters live in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def _from_address(app: Callable[..., Any], address: str) -> Callable[..., Any]:
    """The WSGI app as the test client calls it: the request signals must not close the
    database connection (that would end the test's transaction — on PostgreSQL the next
    query fails), so they are off for each call, the response read and closed inside.
    Per call, because Django's own test client reconnects them after each of its requests.
    The adapter's environ also lacks REMOTE_ADDR, which the rate limits key on."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        environ.setdefault("REMOTE_ADDR", address)
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            response = app(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                getattr(response, "close", lambda: None)()
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)

    return wsgi


@pytest.fixture
def open311_root(settings: Any, db: None, monkeypatch: pytest.MonkeyPatch) -> str:
    """The GeoReport v2 root URL; `requests` (and so the georeport client) reaches the
    Django app in this process, inside the test's transaction, through a transport adapter.

    """
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "open311.test"]
    adapter = WSGIAdapter(_from_address(WSGIHandler(), CLIENT_ADDRESS))
    original_init = requests.Session.__init__

    def init(self: requests.Session, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.mount(OPEN311_HOST, adapter)

    monkeypatch.setattr(requests.Session, "__init__", init)
    return OPEN311_ROOT
