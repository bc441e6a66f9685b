from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "danvan.supervision"
    verbose_name = _("Kiểm tra, giám sát của Nhân dân")

    def ready(self) -> None:
        from . import worklist  # noqa: F401 — registers its sources of the list of what needs doing
