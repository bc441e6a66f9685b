import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from danvan.settings import env

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_is_clean_under_production_settings(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text(
        "k" * 20 + "9f8e7d6c5b4a3210-ZYXWVUTSRQPONMLKJIHGFEDCBA-qwerty", encoding="utf-8"
    )
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "danvan.settings.production",
        "DJANGO_SECRET_KEY_FILE": str(secret),
        "DJANGO_ALLOWED_HOSTS": "danvan.example.vn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DANVAN_IDENTITY_KEYS_FILE": str(tmp_path / "identity.keys"),
    }
    environ.pop("DANVAN_IDENTITY_KEYS", None)
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]

    def check() -> subprocess.CompletedProcess[str]:
        # The command is this module's own constant list (the interpreter and manage.py).
        return subprocess.run(  # noqa: S603
            command, cwd=ROOT, env=environ, capture_output=True, text=True, check=False
        )

    # Without a key for denouncers' identities production does not pass the check.
    result = check()
    assert result.returncode != 0
    assert "danvan.cases.E001" in result.stdout + result.stderr
    keys = subprocess.run(
        [sys.executable, "manage.py", "identity_new_key"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (tmp_path / "identity.keys").write_text(keys + "\n", encoding="utf-8")
    result = check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


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
