from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from danvan.units import services


class Command(BaseCommand):
    help = "Nạp 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu từ gói vietnam-provinces."

    def handle(self, *args: Any, **options: Any) -> None:
        result = services.units_load_official(actor=None)
        successions = services.units_load_historical(actor=None)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Đơn vị hành chính: %(created)s tạo mới, %(updated)s cập nhật,"
                    " %(unchanged)s không đổi; %(successions)s sáp nhập/chia tách được ghi nhận."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "successions": successions,
                }
            )
        )
