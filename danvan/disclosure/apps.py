from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "danvan.disclosure"
    verbose_name = _("Công khai thông tin (dân biết)")

    def ready(self) -> None:
        from . import worklist  # noqa: F401 — registers its trend for the leader's home page
