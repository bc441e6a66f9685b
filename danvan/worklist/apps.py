from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklistConfig(AppConfig):
    name = "danvan.worklist"
    verbose_name = _("Việc cần làm, thông báo")
