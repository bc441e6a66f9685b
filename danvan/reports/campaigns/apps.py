from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportCampaignsConfig(AppConfig):
    """Report campaigns (đợt báo cáo): a regime's report of one period, asked of the units
    of a subtree, drafted from a snapshot, submitted, reviewed by the level above and
    locked (issue 13, item 2). Its own app inside the reports package, so that its models
    and migrations stand apart from the regimes it draws on."""

    name = "danvan.reports.campaigns"
    label = "report_campaigns"
    verbose_name = _("Đợt báo cáo")

    def ready(self) -> None:
        from . import worklist  # noqa: F401 — registers the reminders of reports due
        from .exports import tasks  # noqa: F401 — the "report_export" job kind and task
