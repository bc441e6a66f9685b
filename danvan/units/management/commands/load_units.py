from typing import Any

from django.core.management.base import BaseCommand

from danvan.units import services


class Command(BaseCommand):
    help = "Nạp 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu từ gói vietnam-provinces."

    def handle(self, *args: Any, **options: Any) -> None:
        result = services.units_load_official(actor=None)
        successions = services.units_load_historical(actor=None)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đơn vị hành chính: {result.created} tạo mới, {result.updated} cập nhật,"
                f" {result.unchanged} không đổi; {successions} sáp nhập/chia tách được ghi nhận."
            )
        )
