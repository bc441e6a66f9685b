"""The Django WSGI app as a test may call it through a WSGI transport (requests'
adapter, schemathesis), inside the test's own transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core import signals
from django.db import close_old_connections


def in_test_transaction(
    app: Callable[..., Any], remote_addr: str = "192.0.2.10"
) -> Callable[..., Any]:
    """The WSGI app as the test client calls it: the request signals must not close the
    database connection (that would end the test's transaction — on PostgreSQL the next
    query fails), so they are off for each call, the response read and closed inside.
    Per call, because Django's own test client reconnects them after each of its requests.
    WSGI test transports also leave out REMOTE_ADDR, which the rate limits key on."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        environ.setdefault("REMOTE_ADDR", remote_addr)
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
