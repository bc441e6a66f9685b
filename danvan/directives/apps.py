from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    """The document register: directive documents, plans and the links between them."""

    name = "danvan.directives"
    verbose_name = _("Văn bản chỉ đạo")
