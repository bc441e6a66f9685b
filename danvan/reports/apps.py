from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "danvan.reports"
    label = "reports"
    verbose_name = _("Báo cáo định kỳ")

    def ready(self) -> None:
        from . import queries  # noqa: F401 — registers the computed indicators' queries
