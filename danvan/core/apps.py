from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings


class CoreConfig(AppConfig):
    name = "danvan.core"
    verbose_name = "Lõi"

    def ready(self) -> None:
        from celery.signals import beat_init, worker_init

        from . import checks  # noqa: F401 — registers the production checks

        # gunicorn and Celery run no system checks: the worker and beat refuse to start on
        # a production check error here, the WSGI application in danvan/wsgi.py.
        worker_init.connect(_refuse_to_start, weak=False)
        beat_init.connect(_refuse_to_start, weak=False)

        # The filesystem broker of the embedded mode needs its folders to exist
        # before the web process or the worker touches them.
        options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            folder = options.get(key)
            if folder:
                Path(folder).mkdir(parents=True, exist_ok=True)


def _refuse_to_start(**kwargs: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from .checks import refuse_to_start_if_misconfigured

    try:
        refuse_to_start_if_misconfigured()
    except ImproperlyConfigured as exc:
        # Celery logs and ignores an exception raised by a signal handler; SystemExit is not
        # an Exception, so it stops the worker or beat, with the message on stderr.
        raise SystemExit(str(exc)) from exc
