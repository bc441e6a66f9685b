"""Production: PostgreSQL, Redis, HTTPS behind a reverse proxy, on one or more nodes.

Required (docs/operations.md, "Settings that refuse to start"): DJANGO_SECRET_KEY (or
DJANGO_SECRET_KEY_FILE), DJANGO_ALLOWED_HOSTS, DATABASE_URL (PostgreSQL), CELERY_BROKER_URL
(Redis), DANVAN_CACHE_URL (Redis), DANVAN_TRUSTED_PROXIES, DANVAN_IDENTITY_KEYS_FILE (or
DANVAN_IDENTITY_KEYS), DJANGO_MEDIA_ROOT and DJANGO_STATIC_ROOT. A missing one is a system
check error (danvan/core/checks.py): `manage.py check`, `migrate`, the WSGI application and
the Celery worker and beat all refuse to start with it, saying what to set.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, SECRET_KEY
from .env import env_bool, env_int, env_str

DEBUG = False
if SECRET_KEY.startswith("dev-insecure") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a random value of 50+ characters")

# The production checks of danvan/core/checks.py run only under this module: the embedded
# mode (dev) legitimately runs on SQLite, the filesystem broker and the process's memory.
DANVAN_PRODUCTION = True

# Persistent connections (base.py checks every one before reuse): a connection the database (or a
# PostgreSQL restart, or a firewall) dropped is replaced at the start of the next request
# instead of answering it with a 500.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)

# Denouncers' identities must stay readable across restarts and on every node: the keys
# come from one explicit place (a secret file mounted on every node), never created here.
# The embedded default (var/identity.keys, local to one machine) does not count.
IDENTITY_KEYS_AUTOCREATE = False
IDENTITY_KEYS_FILE = env_str("DANVAN_IDENTITY_KEYS_FILE", "")

# Where uploads and collected static files live must be said, not defaulted into the
# checkout: uploads on a volume every node shares, static files in a folder of their own
# that the embedded mode's `collectstatic` (into the checkout) never touches.
# Unset, each is a relative path that names the variable, which the checks refuse.
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", "") or "unset-DJANGO_MEDIA_ROOT")
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", "") or "unset-DJANGO_STATIC_ROOT")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
