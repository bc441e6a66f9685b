"""Production settings that refuse to start wrong (core/checks.py), loaded in a subprocess
with a crafted environment, as a node would start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]
ALL_ERRORS = {f"danvan.E{number:03d}" for number in range(1, 9)} - {"danvan.E005"}

# Settings values of a started process, printed as JSON (the WSGI application is loaded,
# as gunicorn does, so that its start-up guard runs).
PRINT_SETTINGS = """
import json
from danvan.wsgi import application
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({"max_age": db["CONN_MAX_AGE"], "health": db["CONN_HEALTH_CHECKS"]}))
"""


def _base_environment(tmp_path: Path) -> dict[str, str]:
    """Only what every run shares: the variables of this machine minus danvan's own."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DANVAN_", "DJANGO_", "DATABASE_URL", "CELERY_", "DB_"))
    }
    secret = tmp_path / "secret"
    secret.write_text("k" * 20 + "9f8e7d6c5b4a3210-ZYXWVUTSRQPONMLKJIHGFEDCBA-qwerty")
    environ.update(
        DJANGO_SETTINGS_MODULE="danvan.settings.production",
        DJANGO_SECRET_KEY_FILE=str(secret),
        DJANGO_ALLOWED_HOSTS="danvan.example.vn",
        # Everything the embedded mode writes goes to this test's folder, not var/.
        DANVAN_VAR_DIR=str(tmp_path / "var"),
    )
    return environ


def _good_environment(tmp_path: Path) -> dict[str, str]:
    keys = tmp_path / "secrets" / "identity.keys"
    keys.parent.mkdir()
    keys.write_text(Fernet.generate_key().decode() + "\n")
    (tmp_path / "media").mkdir()
    # Addresses only: no check connects (a server down at start-up is /healthz's business).
    return {
        **_base_environment(tmp_path),
        "DATABASE_URL": "postgres://danvan@127.0.0.1:5432/danvan",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "DANVAN_CACHE_URL": "redis://127.0.0.1:6379/1",
        "DANVAN_TRUSTED_PROXIES": "127.0.0.1,10.0.0.0/24",
        "DANVAN_IDENTITY_KEYS_FILE": str(keys),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }


def _run(environ: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    # The interpreter and this module's own arguments, never outside input.
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=ROOT, env=environ, capture_output=True, text=True, check=False
    )


def _check(environ: dict[str, str], *options: str) -> tuple[int, str]:
    result = _run(environ, "manage.py", "check", *options)
    return result.returncode, result.stdout + result.stderr


def _errors(output: str) -> set[str]:
    return {word.strip("()") for word in output.split() if word.startswith("(danvan.E")}


def test_production_with_nothing_set_refuses_to_start_and_says_what_to_set(
    tmp_path: Path,
) -> None:
    code, output = _check(_base_environment(tmp_path))
    assert code != 0
    assert _errors(output) == ALL_ERRORS
    for variable in (
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "DANVAN_CACHE_URL",
        "DANVAN_TRUSTED_PROXIES",
        "DANVAN_IDENTITY_KEYS_FILE",
        "DJANGO_MEDIA_ROOT",
        "DJANGO_STATIC_ROOT",
    ):
        assert variable in output
    # gunicorn runs no checks: the WSGI application refuses to load, naming the errors.
    result = _run(_base_environment(tmp_path), "-c", PRINT_SETTINGS)
    assert result.returncode != 0
    assert "ImproperlyConfigured: danvan refuses to start" in result.stderr
    assert _errors(result.stderr) == ALL_ERRORS


def test_a_complete_production_environment_passes_check_deploy(tmp_path: Path) -> None:
    environ = _good_environment(tmp_path)
    code, output = _check(environ, "--deploy", "--fail-level", "WARNING")
    assert code == 0, output
    assert "no issues" in output
    result = _run(environ, "-c", PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    # Persistent connections by default, each checked before reuse.
    assert json.loads(result.stdout) == {"max_age": 60, "health": True}
    result = _run({**environ, "DB_CONN_MAX_AGE": "0"}, "-c", PRINT_SETTINGS)
    assert json.loads(result.stdout) == {"max_age": 0, "health": True}


def test_wrong_values_are_refused_one_by_one(tmp_path: Path) -> None:
    environ = {
        **_good_environment(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "memory://",
        "DANVAN_CLIENT_IP_HEADER": "X Forwarded: For",
        # A key file that is not on this node: identities would not open here.
        "DANVAN_IDENTITY_KEYS_FILE": str(tmp_path / "missing.keys"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "no-such-folder"),
        # The embedded mode's collectstatic writes into the checkout.
        "DJANGO_STATIC_ROOT": str(ROOT / "staticfiles"),
    }
    code, output = _check(environ)
    assert code != 0
    expected = {"danvan.E001", "danvan.E002", "danvan.E005", "danvan.E006"}
    assert _errors(output) == expected | {"danvan.E007", "danvan.E008"}
    assert "missing.keys" in output
    assert "nằm trong mã nguồn" in output


def test_an_identity_key_that_is_not_a_key_is_refused(tmp_path: Path) -> None:
    environ = _good_environment(tmp_path)
    Path(environ["DANVAN_IDENTITY_KEYS_FILE"]).write_text("not-a-fernet-key\n")
    code, output = _check(environ)
    assert code != 0
    assert _errors(output) == {"danvan.E006"}


@pytest.mark.parametrize("program", ["worker", "beat"])
def test_celery_worker_and_beat_refuse_to_start(tmp_path: Path, program: str) -> None:
    celery = str(Path(sys.executable).with_name("celery"))
    schedule = str(tmp_path / "beat-schedule")
    command = [celery, "-A", "danvan", program, "--pool=solo"]
    if program == "beat":
        command = [celery, "-A", "danvan", program, "--schedule", schedule]
    # The program and its arguments are this module's own constants.
    result = subprocess.run(  # noqa: S603
        command,
        cwd=ROOT,
        env=_base_environment(tmp_path),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode != 0
    assert "danvan refuses to start" in result.stderr
    assert "danvan.E002" in result.stderr  # the filesystem broker of the embedded mode
    # With the complete environment the same start-up hook lets the process go on.
    script = (
        "import django; django.setup()\n"
        "from celery import signals\n"
        f"signals.{program}_init.send(sender=None)\n"
        "print('started')\n"
    )
    started = _run(_good_environment(tmp_path), "-c", script)
    assert started.stdout.strip() == "started", started.stderr
