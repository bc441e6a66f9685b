from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "danvan.news"
    verbose_name = _("Tin tức, tuyên truyền")

    def ready(self) -> None:
        from . import worklist  # noqa: F401 — registers "articles waiting for review"
