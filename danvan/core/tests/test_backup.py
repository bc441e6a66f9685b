"""Backups that restore (core/backup.py, `manage.py backup` / `restore`), and the restore
drill: a database restored without its identity keys shows its cases but not who sent
them, until the keys — kept apart — are restored too."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from danvan.cases import identity
from danvan.core.backup import (
    BackupError,
    PgTarget,
    backup,
    dump_database,
    pg_tool,
    restore_database,
)

ROOT = Path(__file__).resolve().parents[3]
DENOUNCER = "Nguyễn Văn Tố"

# Run by `python -c` on the drill's own database, as an operator's node would run.
SEED = """
import django, json
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from danvan.accounts.models import Role
from danvan.accounts.services import grant_create
from danvan.accounts.testing import make_user
from danvan.cases import services
from danvan.cases.identity import Identity
from danvan.cases.models import Channel
from danvan.units.models import Unit
import datetime as dt
commune = Unit.objects.filter(parent__code="19").order_by("code").first()
officer = make_user("canbo-xa", Role.OFFICER, commune)
handler = make_user("thuly-xa", Role.OFFICER, commune)
grant_create(actor=None, user=handler, role=Role.IDENTITY_KEEPER, unit=commune)
leader = make_user("lanhdao-xa", Role.LEADER, commune)
case = services.case_receive(
    actor=officer, unit=commune, kind="denunciation", channel=Channel.LETTER,
    subject="Tố cáo cán bộ địa chính", content="Nhận tiền để xác nhận hồ sơ đất.",
    sender=Identity(full_name="DENOUNCER_NAME", phone="0912345678"),
    received_on=dt.date(2026, 3, 2),
)
services.case_assign(actor=leader, case=case, version=case.version, users=[handler], lead=handler)
default_storage.save("movement/photos/anh.txt", ContentFile(b"anh minh hoa"))
print(json.dumps({"case": str(case.public_id)}))
""".replace("DENOUNCER_NAME", DENOUNCER)

READ = """
import django, json, sys
django.setup()
from django.core.files.storage import default_storage
from danvan.accounts.models import User
from danvan.cases import services
from danvan.cases.identity import IdentityUnreadable
from danvan.cases.models import Case
case = Case.objects.get(public_id=sys.argv[1])
handler = User.objects.get(username="thuly-xa")
media = default_storage.open("movement/photos/anh.txt").read().decode()
answer = {"subject": case.subject, "media": media}
try:
    answer["identity"] = services.identity_view(actor=handler, case=case).full_name
except IdentityUnreadable as exc:
    answer["identity"] = None
    answer["error"] = exc.message
print(json.dumps(answer))
"""


def _admin() -> psycopg.Connection[Any]:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params["dbname"] = "postgres"
    return psycopg.connect(**params, autocommit=True)


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


@pytest.fixture
def drill(db: None, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Two databases of this test's own (helper_backup_*) and a node's environment. The
    source starts as a copy of what the test database holds outside the test's transaction:
    the schema and the unit tree."""
    if connection.vendor != "postgresql":
        pytest.skip("the restore drill needs PostgreSQL (pg_dump); run with DATABASE_URL=postgres")
    pg_tool("pg_dump")  # a clear BackupError, not a skip, when the client is missing
    names = {
        "source": f"helper_backup_src_{os.getpid()}",
        "fresh": f"helper_backup_dst_{os.getpid()}",
    }
    with _admin() as admin:
        for name in names.values():
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        seed = tmp_path / "seed.dump"
        dump_database(PgTarget.from_settings(connection.settings_dict), seed)
        admin.execute(f'CREATE DATABASE "{names["source"]}"')
        restore_database(
            PgTarget.from_settings({**connection.settings_dict, "NAME": names["source"]}), seed
        )
        node = tmp_path / "node"
        (node / "secrets").mkdir(parents=True)
        (node / "secrets" / "identity.keys").write_text(Fernet.generate_key().decode() + "\n")
        environ = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DANVAN_", "DJANGO_", "DATABASE_URL", "CELERY_"))
        }
        environ.update(
            DJANGO_SETTINGS_MODULE="danvan.settings.dev",
            DATABASE_URL=_url(names["source"]),
            DANVAN_VAR_DIR=str(tmp_path / "var"),
            DANVAN_IDENTITY_KEYS_FILE=str(node / "secrets" / "identity.keys"),
            DANVAN_IDENTITY_KEYS_AUTOCREATE="0",
            DJANGO_MEDIA_ROOT=str(node / "media"),
            CELERY_BROKER_URL="memory://",
            CELERY_TASK_ALWAYS_EAGER="1",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        try:
            yield {"env": environ, "names": names, "node": node, "admin": admin}
        finally:
            for name in names.values():
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(environ: dict[str, str], *args: str) -> str:
    # The interpreter with this module's own scripts and commands, never outside input.
    result = subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=ROOT, env=environ, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_restore_drill_identity_readable_only_once_the_keys_are_back(
    drill: dict[str, Any], tmp_path: Path
) -> None:
    environ, names, node = drill["env"], drill["names"], drill["node"]
    case = json.loads(_run(environ, "-c", SEED).splitlines()[-1])["case"]
    key = (node / "secrets" / "identity.keys").read_text().strip()

    backups, vault = tmp_path / "backups" / "2026-12-07", tmp_path / "vault"
    _run(environ, "manage.py", "backup", "--to", str(backups), "--keys-to", str(vault))
    assert sorted(p.name for p in backups.iterdir()) == [
        "database.dump",
        "manifest.json",
        "media.tar.gz",
    ]
    # The keys are apart: in the vault, and in nothing of the backup itself.
    (kept,) = vault.iterdir()
    assert kept.read_text().split() == [key]
    assert kept.stat().st_mode & 0o777 == 0o600
    sql = subprocess.run(  # noqa: S603 — the tool and a file of this test
        [pg_tool("pg_restore"), "--file", "-", str(backups / "database.dump")],
        capture_output=True,
        check=True,
    ).stdout
    assert b"CREATE TABLE" in sql
    for file in backups.iterdir():
        assert key.encode() not in file.read_bytes()
    assert key.encode() not in sql

    # The disaster: the database and the node are gone. A new node gets a new key of its
    # own (production does not start without one), and a fresh, empty database.
    drill["admin"].execute(f'DROP DATABASE "{names["source"]}" WITH (FORCE)')
    (node / "secrets" / "identity.keys").write_text(Fernet.generate_key().decode() + "\n")
    for file in (node / "media").rglob("*"):
        if file.is_file():
            file.unlink()
    drill["admin"].execute(f'CREATE DATABASE "{names["fresh"]}"')
    environ = {**environ, "DATABASE_URL": _url(names["fresh"])}

    _run(environ, "manage.py", "restore", "--from", str(backups), "--noinput")
    before_keys = json.loads(_run(environ, "-c", READ, case))
    assert before_keys["subject"] == "Tố cáo cán bộ địa chính"
    assert before_keys["media"] == "anh minh hoa"
    assert before_keys["identity"] is None
    assert "khôi phục tệp khoá" in before_keys["error"]

    _run(environ, "manage.py", "restore", "--keys-from", str(vault), "--noinput")
    after_keys = json.loads(_run(environ, "-c", READ, case))
    assert after_keys["identity"] == DENOUNCER
    # The node's own key stays first (it encrypts what is written from now on).
    restored = (node / "secrets" / "identity.keys").read_text().split()
    assert restored[1:] == [key]


# --- without PostgreSQL -------------------------------------------------------------------


def test_keys_are_never_backed_up_inside_the_backup(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="nơi khác"):
        call_command("backup", to=str(tmp_path / "b"), keys_to=str(tmp_path / "b" / "keys"))
    assert not (tmp_path / "b").exists()


def test_restoring_keys_merges_them_after_the_node_s_own(tmp_path: Path) -> None:
    own, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    key_file = tmp_path / "secrets" / "identity.keys"
    key_file.parent.mkdir()
    key_file.write_text(own + "\n")
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "identity-20261201T000000Z.keys").write_text("stale\n")
    (vault / "identity-20261207T000000Z.keys").write_text(f"{old}\n{own}\n")
    with override_settings(IDENTITY_KEYS=[], IDENTITY_KEYS_FILE=str(key_file)):
        call_command("restore", keys_from=str(vault), interactive=False, stdout=io.StringIO())
        assert key_file.read_text().split() == [own, old]  # the newest backup, no duplicate
        assert key_file.stat().st_mode & 0o777 == 0o600
        with (
            pytest.raises(CommandError, match="DANVAN_IDENTITY_KEYS"),
            override_settings(IDENTITY_KEYS=[own]),
        ):
            call_command("restore", keys_from=str(vault), interactive=False)
    identity._cipher_for.cache_clear()


def test_a_tampered_backup_is_refused_before_anything_is_restored(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "database.dump").write_bytes(b"PGDMP...")
    (folder / "media.tar.gz").write_bytes(b"")
    (folder / "manifest.json").write_text(
        json.dumps({"files": {"database.dump": {"size": 8, "sha256": "0" * 64}}})
    )
    with pytest.raises(CommandError, match="bị hỏng"):
        call_command("restore", source=str(folder), interactive=False)


def test_the_embedded_sqlite_database_is_not_dumped_with_pg_dump(tmp_path: Path) -> None:
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "db.sqlite3")}
    with pytest.raises(BackupError, match="chép thư mục var/"):
        backup(to=tmp_path / "b", keys_to=None, database=sqlite)
    assert not (tmp_path / "b").exists()
