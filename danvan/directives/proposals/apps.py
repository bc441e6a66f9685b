from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectiveProposalsConfig(AppConfig):
    """Tasks proposed from a conclusion's text: no models, only the rules and the pages
    (an app so that its templates are found)."""

    name = "danvan.directives.proposals"
    label = "directive_proposals"
    verbose_name = _("Đề xuất nhiệm vụ")
