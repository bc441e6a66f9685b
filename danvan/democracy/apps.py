from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemocracyConfig(AppConfig):
    name = "danvan.democracy"
    verbose_name = _("Dân chủ ở cơ sở")

    def ready(self) -> None:
        from . import worklist  # noqa: F401 — registers its sources of the list of what needs doing
