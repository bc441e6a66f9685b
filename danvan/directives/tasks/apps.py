from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectiveTasksConfig(AppConfig):
    """Tasks (theo dõi nhiệm vụ): every "giao …" from a document, a plan, a conference's
    conclusion or an inspection's recommendation, followed to the end. Its own app inside
    the directives package, so that its models and migrations stand apart from the register
    it draws on."""

    name = "danvan.directives.tasks"
    label = "directive_tasks"
    verbose_name = _("Nhiệm vụ")

    def ready(self) -> None:
        from . import (
            panels,  # noqa: F401 — registers the tasks panel of a unit's page
            sources,  # noqa: F401 — registers the "document" and "plan" task sources
            worklist,  # noqa: F401 — registers its sources of the list of what needs doing
        )
