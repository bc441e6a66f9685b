"""Encryption of senders' identities, with keys kept outside the database.

Tokens are Fernet (AES-128-CBC + HMAC-SHA256) from `cryptography`; `MultiFernet`
encrypts with the newest key and still decrypts with older ones, so keys rotate in two
steps: put a new key first (`identity_new_key`), then re-encrypt every token with it
(`identity_rotate_keys`) and retire the old key.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from danvan.core.errors import DomainError


@dataclass(frozen=True)
class Identity:
    """Who sent a case. Everything here is personal data (Law 91/2025/QH15)."""

    full_name: str = ""
    address: str = ""
    id_number: str = ""
    phone: str = ""
    email: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Identity:
        names = {f.name for f in fields(cls)}
        return cls(**{k: str(v) for k, v in data.items() if k in names})

    def is_empty(self) -> bool:
        return not any(asdict(self).values())


def _read_key_file(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


def _create_key_file(path: Path) -> list[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key().decode()
    # Readable by the owner only: whoever reads this file reads every identity.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return [key]


def configured_keys() -> list[str]:
    """The keys, newest first: DANVAN_IDENTITY_KEYS, else the file DANVAN_IDENTITY_KEYS_FILE
    (production: one secret file mounted on every node, docs/operations.md), else — in the
    embedded mode only — a key file created on first use."""
    keys = list(getattr(settings, "IDENTITY_KEYS", []) or [])
    if keys:
        return keys
    if not settings.IDENTITY_KEYS_FILE:
        raise ImproperlyConfigured(
            "No key for senders' identities: "
            "set DANVAN_IDENTITY_KEYS_FILE (or DANVAN_IDENTITY_KEYS)"
        )
    path = Path(settings.IDENTITY_KEYS_FILE)
    keys = _read_key_file(path)
    if keys:
        return keys
    if settings.IDENTITY_KEYS_AUTOCREATE:
        return _create_key_file(path)
    raise ImproperlyConfigured(
        f"No key for senders' identities in {path} (DANVAN_IDENTITY_KEYS_FILE): the file is "
        "missing or empty"
    )


@lru_cache(maxsize=4)
def _cipher_for(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"An identity key is not a valid Fernet key: {exc}") from exc


def cipher() -> MultiFernet:
    return _cipher_for(tuple(configured_keys()))


def encrypt(identity: Identity) -> str:
    payload = json.dumps(asdict(identity), ensure_ascii=False).encode()
    return cipher().encrypt(payload).decode()


class IdentityUnreadable(DomainError):
    """A stored identity that none of the configured keys opens: the keys of this
    installation are not the ones it was written with — typically a database restored
    without its key file (docs/operations.md, "Backups and restore"). The case itself stays
    readable; only who sent it waits for the right keys."""

    status_code = 503

    def __init__(self) -> None:
        super().__init__(
            "identity_unreadable",
            str(
                _(
                    "Không giải mã được danh tính người gửi: khoá mã hoá của hệ thống không "
                    "khớp khoá đã dùng khi lưu (thường do khôi phục CSDL mà chưa khôi phục tệp "
                    "khoá). Báo quản trị hệ thống khôi phục tệp khoá danh tính "
                    "(DANVAN_IDENTITY_KEYS_FILE) từ bản sao lưu khoá."
                )
            ),
        )


def decrypt(token: str) -> Identity:
    try:
        data = json.loads(cipher().decrypt(token.encode()))
    except InvalidToken as exc:
        raise IdentityUnreadable() from exc
    return Identity.from_dict(data)


def encrypt_bytes(data: bytes) -> bytes:
    return cipher().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return cipher().decrypt(bytes(token))
    except InvalidToken as exc:
        raise IdentityUnreadable() from exc


def rotate(token: str | bytes) -> str | bytes:
    """The same secret encrypted with the newest key."""
    if isinstance(token, str):
        return cipher().rotate(token.encode()).decode()
    return cipher().rotate(bytes(token))


def new_key() -> str:
    return Fernet.generate_key().decode()
