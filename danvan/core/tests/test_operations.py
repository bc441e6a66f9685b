import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from danvan.settings import env

ROOT = Path(__file__).resolve().parents[3]


def test_production_refuses_the_development_secret() -> None:
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "danvan.settings.production"}
    environ.pop("DJANGO_SECRET_KEY", None)
    environ.pop("DJANGO_SECRET_KEY_FILE", None)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_bad_environment_values_are_loud(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env.env_bool("X_BOOL", False)
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ImproperlyConfigured):
        env.env_int("X_INT", 1)
    monkeypatch.setenv("X_SECRET_FILE", "/nonexistent/file")
    with pytest.raises(ImproperlyConfigured):
        env.env_str("X_SECRET")


@pytest.mark.django_db
def test_healthz_reports_database_and_broker() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_reports_a_dead_broker() -> None:
    from danvan.celery import app

    old = app.conf.broker_url
    app.conf.update(broker_url="redis://127.0.0.1:1/0")
    try:
        response = Client().get("/healthz")
    finally:
        app.conf.update(broker_url=old)
    assert response.status_code == 503
    assert response.json()["broker"] == "error"


def test_every_response_carries_a_strict_csp(client: Client) -> None:
    response = client.get("/healthz")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
