"""Settings for the test suite (SQLite by default; DATABASE_URL selects PostgreSQL)."""

import os

os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
# Serve static files from the apps' folders: tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A fixed pair of Fernet keys (test data only): the newest first, the older one still decrypts.
IDENTITY_KEYS = [
    "uGu5JhuXm3GZ7hZb4pVbQyTBeYBBgGx4wZ2lq0N8k0s=",
    "Yx4Qb1H9V3v5zq3w6nVh1oQvQm0dI6w0ZyYt2cJ8fXo=",
]
IDENTITY_KEYS_AUTOCREATE = False
