"""Celery application.

Redis is the production broker. The embedded default uses kombu's filesystem
transport, which needs no server: `make run` starts a worker beside the web
server and both exchange messages through files under ``var/celery``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings.dev")

app = Celery("danvan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
