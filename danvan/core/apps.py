from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class CoreConfig(AppConfig):
    name = "danvan.core"
    verbose_name = "Lõi"

    def ready(self) -> None:
        # The filesystem broker of the embedded mode needs its folders to exist
        # before the web process or the worker touches them.
        options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            folder = options.get(key)
            if folder:
                Path(folder).mkdir(parents=True, exist_ok=True)
