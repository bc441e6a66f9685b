"""Restore a backup of `manage.py backup`: the database and files, and/or the identity keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from danvan.core.backup import BackupError, restore, restore_keys


class Command(BaseCommand):
    help = (
        "Khôi phục CSDL và tệp tải lên từ thư mục --from (XOÁ dữ liệu hiện có của CSDL), "
        "và/hoặc khoá danh tính từ --keys-from (gộp vào tệp DANVAN_IDENTITY_KEYS_FILE)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", type=Path, help="thư mục bản sao lưu")
        parser.add_argument("--keys-from", type=Path, help="thư mục (hoặc tệp) khoá đã sao lưu")
        parser.add_argument("--no-media", action="store_true", help="không khôi phục tệp tải lên")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="không hỏi xác nhận",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source, keys = options["source"], options["keys_from"]
        if source is None and keys is None:
            raise CommandError("Cần --from (CSDL và tệp) và/hoặc --keys-from (khoá danh tính).")
        try:
            if source is not None:
                connection = connections[options["database"]]
                name = connection.settings_dict["NAME"]
                if options["interactive"]:
                    answer = input(f"Mọi dữ liệu hiện có của CSDL {name} sẽ bị thay. Gõ 'yes': ")
                    if answer.strip() != "yes":
                        raise CommandError("Đã huỷ, không thay đổi gì.")
                connection.close()  # pg_restore drops tables this process may hold open
                manifest = restore(
                    source=Path(source),
                    database=connection.settings_dict,
                    media=not options["no_media"],
                )
                self.stdout.write(f"Đã khôi phục CSDL {name} từ bản sao {manifest['created']}.")
            if keys is not None:
                key_file = restore_keys(source=Path(keys))
                self.stdout.write(f"Đã khôi phục khoá danh tính vào {key_file}.")
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
