from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from danvan.units import services


class Command(BaseCommand):
    help = (
        "Nạp 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu từ gói vietnam-provinces;"
        " tên tỉnh, huyện, xã trước 01/7/2025 từ gói vietnamadminunits."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = services.units_load_official(actor=None)
        successions = services.units_load_historical(actor=None)
        former = services.former_names_load(actor=None)
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
        self.stdout.write(
            _(
                "Tên trước 01/7/2025: %(created)s tạo mới, %(updated)s cập nhật,"
                " %(unchanged)s không đổi, %(deleted)s bỏ; %(unmatched)s xã, phường mới"
                " không khớp mã hoặc tên."
            )
            % {
                "created": former.created,
                "updated": former.updated,
                "unchanged": former.unchanged,
                "deleted": former.deleted,
                "unmatched": len(former.unmatched),
            }
        )
        for line in former.unmatched:
            self.stderr.write(line)
