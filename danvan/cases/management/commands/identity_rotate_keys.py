"""Re-encrypt every sender identity with the newest key (the first configured)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from danvan.cases import services


class Command(BaseCommand):
    help = "Mã hoá lại danh tính người gửi bằng khoá mới nhất (bước 2 của việc thay khoá)."

    def handle(self, *args: Any, **options: Any) -> None:
        done = services.identity_rotate_keys()
        if options["verbosity"]:
            self.stdout.write(f"Đã mã hoá lại {done} bản ghi bằng khoá mới nhất.")
