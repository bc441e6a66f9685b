from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "danvan.cases"
    verbose_name = _("Tiếp công dân, khiếu nại, tố cáo, phản ánh, kiến nghị")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401 — registers the deployment check
            worklist,  # noqa: F401 — registers its sources of the list of what needs doing
        )
