from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectiveInspectionsConfig(AppConfig):
    """Inspections and supervision by steering committees (kiểm tra, giám sát): yearly
    plans, teams, the units inspected, findings and recommendations, each recommendation
    followed to closure as a task of the inspected unit. Not danvan.supervision, which is
    the citizens' people's inspection boards."""

    name = "danvan.directives.inspections"
    label = "directive_inspections"
    verbose_name = _("Kiểm tra, giám sát")

    def ready(self) -> None:
        from . import (
            sources,
            worklist,  # noqa: F401 — registers its source of the list of what needs doing
        )

        sources.register()  # an inspection's conclusion as a source of proposed tasks
