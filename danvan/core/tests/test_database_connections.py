"""Persistent database connections, each checked before reuse (settings/base.py,
settings/production.py): a connection the database dropped is reopened, never a 500."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection


# A database test in this module also makes pytest-django create the test database, which
# the fixture below uses without a test transaction.
@pytest.mark.django_db
def test_every_connection_is_checked_before_reuse() -> None:
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


@pytest.fixture
def persistent_connection(request: pytest.FixtureRequest) -> Iterator[None]:
    """The test database's connection as production keeps it: open for a minute between
    requests, outside any test transaction (pytest-django's wrapping is not wanted here:
    Django only recycles connections between requests, and not inside a transaction)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no server that drops connections (run with DATABASE_URL=postgres)")
    request.getfixturevalue("django_db_setup")
    django_db_blocker: Any = request.getfixturevalue("django_db_blocker")
    with django_db_blocker.unblock():
        before = connection.settings_dict["CONN_MAX_AGE"]
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = 60
        try:
            yield
        finally:
            connection.settings_dict["CONN_MAX_AGE"] = before
            connection.close()


def _get(path: str) -> tuple[str, bytes]:
    """A request through the WSGI handler, as gunicorn makes it: the handler's
    request_started/request_finished signals are where Django recycles connections (the
    test client switches that off)."""
    answer: dict[str, str] = {}

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], object]:
        answer["status"] = status
        return lambda data: None

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }
    body = b"".join(WSGIHandler()(environ, start_response))
    return answer["status"], body


@pytest.mark.usefixtures("persistent_connection")
def test_a_connection_the_database_dropped_is_reopened_not_a_500() -> None:
    status, body = _get("/healthz")
    assert status.startswith("200"), body
    assert connection.connection is not None  # kept after the request (CONN_MAX_AGE)
    dropped = connection.connection.info.backend_pid
    # The database ends the session, as a restart of PostgreSQL or a firewall would.
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [dropped])
    status, body = _get("/healthz")
    assert status.startswith("200"), body
    assert b'"database": "ok"' in body
    assert connection.connection.info.backend_pid != dropped
