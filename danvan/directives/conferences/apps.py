from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectiveConferencesConfig(AppConfig):
    """Review conferences (sơ kết, tổng kết, chuyên đề), their delegates, online points,
    speeches and conclusion, and the conclusion notice. Its own app inside the directives
    package: its models and migrations stand apart, and tasks reach it only through the
    source registry (``danvan.directives.tasks.sources``)."""

    name = "danvan.directives.conferences"
    label = "directive_conferences"
    verbose_name = _("Hội nghị")

    def ready(self) -> None:
        from danvan.directives.tasks.sources import register_source

        from .selectors import source_ref

        # The proposals pages find a conference's conclusion by kind and public id.
        register_source("conference", source_ref)
