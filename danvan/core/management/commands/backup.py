"""Back up the database and the uploaded files, and the identity keys apart (core/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from danvan.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Sao lưu CSDL (pg_dump, định dạng custom) và tệp tải lên (MEDIA_ROOT) vào thư mục "
        "--to; khoá mã hoá danh tính người gửi đơn được ghi riêng vào --keys-to, không bao "
        "giờ nằm cùng bản sao CSDL (docs/operations.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", required=True, type=Path, help="thư mục mới cho bản sao")
        parser.add_argument(
            "--keys-to",
            type=Path,
            help="thư mục riêng (ổ khác, người giữ khác) cho tệp khoá danh tính",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(
                to=Path(options["to"]),
                keys_to=None if options["keys_to"] is None else Path(options["keys_to"]),
                database=connections[options["database"]].settings_dict,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đã sao lưu CSDL {manifest['database']} và {manifest['media_files']} tệp vào "
            f"{options['to']}."
        )
        if options["keys_to"] is None:
            self.stderr.write(
                "Chưa sao lưu khoá danh tính (--keys-to): không có khoá, danh tính người gửi "
                "trong bản sao này không đọc được."
            )
        else:
            self.stdout.write(f"Khoá danh tính: {options['keys_to']} (cất riêng).")
