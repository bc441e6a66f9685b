"""Backups that restore: the database, the uploaded files, and — apart — the identity keys.

A backup is a folder holding ``database.dump`` (``pg_dump`` custom format: compressed,
restorable table by table with ``pg_restore``), ``media.tar.gz`` (MEDIA_ROOT) and
``manifest.json`` (what, when, sizes, SHA-256 sums). The keys that decrypt denouncers'
identities are never written there: whoever holds the database dump and the keys together
reads every identity (the denouncer's identity is kept secret: Law on Denunciations 2018,
art. 8 and 47; Law 91/2025/QH15 on personal data), so the keys go to a separate location
that the operator keeps elsewhere (another medium, another custodian) — see
docs/operations.md, "Backups and restore".

A database restored without its keys is usable: every case is there, and only the
senders' identities answer "khoá không khớp" (cases.identity.IdentityUnreadable) until the
keys are restored, which merges them into the node's key file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
MANIFEST_FILE = "manifest.json"
KEYS_FILE = "identity.keys"


class BackupError(Exception):
    """A backup or restore that cannot proceed; the message says why and what to do."""


@dataclass(frozen=True)
class PgTarget:
    """Where pg_dump/pg_restore connect: one database of DATABASES."""

    name: str
    user: str
    password: str
    host: str
    port: str

    @classmethod
    def from_settings(cls, settings_dict: Mapping[str, Any]) -> PgTarget:
        if settings_dict.get("ENGINE") != "django.db.backends.postgresql":
            raise BackupError(
                "Sao lưu CSDL bằng pg_dump chỉ dành cho PostgreSQL (chế độ nhúng dùng SQLite: "
                "dừng danvan rồi chép thư mục var/)."
            )
        return cls(
            name=str(settings_dict["NAME"]),
            user=str(settings_dict.get("USER") or ""),
            password=str(settings_dict.get("PASSWORD") or ""),
            host=str(settings_dict.get("HOST") or ""),
            port=str(settings_dict.get("PORT") or ""),
        )

    def args(self) -> list[str]:
        args = []
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return [*args, "--no-password"]

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password  # not on the command line, where ps shows it
        return env


def pg_tool(name: str) -> str:
    """The path of pg_dump or pg_restore: DANVAN_PG_BIN, then PATH, then the newest
    /usr/lib/postgresql/*/bin. A client older than the server refuses to dump it, so the
    newest installed one is the safe choice."""
    folder = os.environ.get("DANVAN_PG_BIN")
    candidates = [Path(folder) / name] if folder else []
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    candidates += sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
        reverse=True,
    )
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(f"Không tìm thấy {name}: cài gói postgresql-client hoặc đặt DANVAN_PG_BIN.")


def _run(command: list[str], env: dict[str, str]) -> None:
    # The command is built here from a tool path and settings, never from user input.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} thất bại: {result.stderr.strip()}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def dump_database(target: PgTarget, path: Path) -> None:
    _run(
        [pg_tool("pg_dump"), *target.args(), "--format=custom", "--file", str(path), target.name],
        target.env(),
    )


def restore_database(target: PgTarget, path: Path) -> None:
    """Restore *path* into *target*, replacing what is there (``--clean``). Ownership and
    grants are left out: the restoring role owns what it creates."""
    _run(
        [
            pg_tool("pg_restore"),
            *target.args(),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--dbname",
            target.name,
            str(path),
        ],
        target.env(),
    )


def archive_media(media_root: Path, path: Path) -> int:
    """Archive the uploaded files (paths relative to MEDIA_ROOT); the number of files."""
    count = 0
    with tarfile.open(path, "w:gz") as archive:
        if media_root.is_dir():
            for file in sorted(media_root.rglob("*")):
                if file.is_file() and not file.is_symlink():
                    archive.add(file, arcname=str(file.relative_to(media_root)))
                    count += 1
    return count


def extract_media(path: Path, media_root: Path) -> int:
    """Put the archived files back under MEDIA_ROOT (files of the same name are replaced,
    others left); the number of files. The "data" filter refuses absolute paths, ``..``,
    links out of the folder and device files."""
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "r:gz") as archive:
        members = [member for member in archive.getmembers() if member.isfile()]
        archive.extractall(media_root, members=members, filter="data")
    return len(members)


def _private_file(path: Path, text: str) -> None:
    """Write *text* to *path* readable by its owner only (whoever reads a key file reads
    every identity)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def backup(*, to: Path, keys_to: Path | None, database: Mapping[str, Any]) -> dict[str, Any]:
    """Write a backup folder *to* (created; must not exist) and, with *keys_to*, the
    identity keys into that other folder. Returns the manifest."""
    from danvan.cases.identity import configured_keys

    if keys_to is not None and (_inside(keys_to, to) or _inside(to, keys_to)):
        raise BackupError(
            "Khoá danh tính phải được sao lưu ở nơi khác với bản sao CSDL và tệp (--keys-to "
            "không được nằm trong --to, và ngược lại)."
        )
    target = PgTarget.from_settings(database)
    if to.exists():
        raise BackupError(f"{to} đã có: chọn một thư mục mới cho mỗi bản sao lưu.")
    to.mkdir(parents=True)
    try:
        dump_database(target, to / DATABASE_FILE)
        media_files = archive_media(Path(settings.MEDIA_ROOT), to / MEDIA_FILE)
    except BaseException:
        shutil.rmtree(to)  # no half backup that looks like a whole one
        raise
    manifest: dict[str, Any] = {
        "created": timezone.now().isoformat(timespec="seconds"),
        "database": target.name,
        "media_files": media_files,
        "files": {
            name: {"size": (to / name).stat().st_size, "sha256": _sha256(to / name)}
            for name in (DATABASE_FILE, MEDIA_FILE)
        },
        "identity_keys": "kept apart" if keys_to is not None else "not in this backup",
    }
    (to / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    if keys_to is not None:
        keys_to.mkdir(parents=True, exist_ok=True)
        os.chmod(keys_to, 0o700)
        stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        _private_file(keys_to / f"identity-{stamp}.keys", "\n".join(configured_keys()) + "\n")
    return manifest


def verify(folder: Path) -> dict[str, Any]:
    """The manifest of *folder*, after checking every file against its SHA-256."""
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST_FILE).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder} không phải một bản sao lưu của danvan: {exc}") from exc
    for name, facts in manifest["files"].items():
        if not (folder / name).is_file() or _sha256(folder / name) != facts["sha256"]:
            raise BackupError(f"{folder / name} thiếu hoặc bị hỏng (tổng SHA-256 không khớp).")
    return manifest


def restore(*, source: Path, database: Mapping[str, Any], media: bool = True) -> dict[str, Any]:
    """Restore the database (and the uploaded files) from the backup folder *source*."""
    manifest = verify(source)
    restore_database(PgTarget.from_settings(database), source / DATABASE_FILE)
    if media:
        extract_media(source / MEDIA_FILE, Path(settings.MEDIA_ROOT))
    return manifest


def latest_keys_file(folder: Path) -> Path:
    if folder.is_file():
        return folder
    files = sorted(folder.glob("identity-*.keys"))
    if not files:
        raise BackupError(f"Không có tệp khoá danh tính (identity-*.keys) trong {folder}.")
    return files[-1]


def restore_keys(*, source: Path) -> Path:
    """Merge the backed-up keys into this node's key file (DANVAN_IDENTITY_KEYS_FILE): the
    keys already there stay first (identities written since still open, new ones are still
    encrypted with the current key), the restored ones follow. Returns the key file."""
    from danvan.cases.identity import _cipher_for, _read_key_file

    if settings.IDENTITY_KEYS:
        raise BackupError(
            "Khoá đang đặt bằng biến DANVAN_IDENTITY_KEYS nên tệp khoá không được đọc: thêm "
            "các khoá đã sao lưu vào cuối biến đó, hoặc chuyển sang DANVAN_IDENTITY_KEYS_FILE."
        )
    if not settings.IDENTITY_KEYS_FILE:
        raise BackupError("Chưa đặt DANVAN_IDENTITY_KEYS_FILE: không biết ghi khoá vào đâu.")
    restored = _read_key_file(latest_keys_file(source))
    if not restored:
        raise BackupError(f"Tệp khoá sao lưu trong {source} trống.")
    key_file = Path(settings.IDENTITY_KEYS_FILE)
    current = _read_key_file(key_file)
    merged = current + [key for key in restored if key not in current]
    _private_file(key_file, "\n".join(merged) + "\n")
    _cipher_for.cache_clear()
    return key_file
