from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "danvan.consultation"
    verbose_name = _("Lấy ý kiến Nhân dân (dân bàn)")

    def ready(self) -> None:
        from . import worklist  # noqa: F401 — registers its sources of the list of what needs doing
