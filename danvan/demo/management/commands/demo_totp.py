from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from danvan.core.errors import DomainError
from danvan.demo import accounts


class Command(BaseCommand):
    help = (
        "In mã TOTP 6 chữ số hiện tại của một tài khoản (dùng khi trình diễn và kiểm thử"
        " trình duyệt). Chỉ đọc khóa đã có trong cơ sở dữ liệu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help=_("Tên đăng nhập, ví dụ: admin"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            code = accounts.demo_totp_code(options["username"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(code)
