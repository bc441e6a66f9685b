"""Print a new Fernet key for senders' identities (step 1 of a key rotation)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from danvan.cases import identity


class Command(BaseCommand):
    help = (
        "In ra một khoá mới. Đặt khoá này ĐẦU danh sách DANVAN_IDENTITY_KEYS (hoặc đầu tệp "
        "khoá), giữ các khoá cũ phía sau, khởi động lại, rồi chạy identity_rotate_keys."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(identity.new_key())
