"""Run the daily deadline sweep now (the same job Celery beat runs every night)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from danvan.cases import tasks


class Command(BaseCommand):
    help = "Đánh dấu vụ việc sắp đến hạn, quá hạn và gửi thư tổng hợp cho lãnh đạo."

    def handle(self, *args: Any, **options: Any) -> None:
        result = tasks.sweep_deadlines()
        if not result:  # the day's sweep is running in a worker right now
            self.stdout.write("Lượt rà soát hôm nay đang chạy ở tiến trình nền; không chạy lại.")
            return
        self.stdout.write(
            "Quá hạn mới: {overdue}; sắp đến hạn mới: {due_soon}; bỏ cảnh báo: {cleared}; "
            "thư tổng hợp: {digests}".format(**result)
        )
