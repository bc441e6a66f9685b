from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "danvan.jobs"
    verbose_name = "Tác vụ nền"

    def ready(self) -> None:
        # Each app declares its kinds of job in its tasks.py (kinds.register): importing
        # them here makes every kind known to the web processes too, which reap a job on
        # the next read of its status and retry it from a page.
        autodiscover_modules("tasks")
