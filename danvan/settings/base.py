"""Settings shared by every environment; values come from the environment (see env.py)."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_networks, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("DANVAN_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-insecure-key-change-me-in-production-0123456789")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# A refused form says in Vietnamese why and what to do (reload, retype), not Django's page.
CSRF_FAILURE_VIEW = "danvan.core.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_htmx",
    "bootstrap",
    "ninja",
    "danvan.core",
    "danvan.audit",
    "danvan.jobs",
    "danvan.units",
    "danvan.accounts",
    "danvan.worklist",
    "danvan.legal",
    "danvan.cases",
    "danvan.portal",
    "danvan.democracy",
    "danvan.disclosure",
    "danvan.consultation",
    "danvan.news",
    "danvan.supervision",
    "danvan.movement",
    "danvan.directives",
    "danvan.directives.tasks",
    "danvan.directives.inspections",
    "danvan.directives.proposals",
    "danvan.directives.conferences",
    "danvan.reports",
    "danvan.reports.campaigns",
    "danvan.dashboard",
    "danvan.api",
    "danvan.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "danvan.audit.middleware.AuditContextMiddleware",
    "danvan.accounts.middleware.TwoFactorRequiredMiddleware",
    "danvan.accounts.form_rescue.FormRescueMiddleware",
    "danvan.api.middleware.ApiProblemMiddleware",
    # Bad input (NUL characters, out-of-range dates and numbers, malformed identifiers)
    # answered with 400 at every door, never a 500 (core.input_guard).
    "danvan.core.input_guard.InputGuardMiddleware",
    # django-axes must be the last middleware.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "danvan.urls"
WSGI_APPLICATION = "danvan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "danvan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "danvan.accounts.context_processors.unit_switcher",
                "danvan.worklist.context_processors.notices",
            ],
        },
    }
]

_default_sqlite = f"sqlite:///{VAR_DIR / 'danvan.sqlite3'}"
# A connection kept between requests (DB_CONN_MAX_AGE seconds; production.py keeps them by
# default) is checked with a cheap query before its first use in each request, so a
# connection the database dropped is reopened instead of failing that request.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_sqlite),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the background worker proceed while a write is under
    # way; IMMEDIATE transactions avoid "database is locked" on lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            " PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after 30 idle minutes and when the browser closes: officers often
# work on shared computers at the commune office.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The idle-session warning (static/danvan/session.js) opens this long before the end;
# a form posted after the end is kept and given back after login (accounts.form_rescue).
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 180)

# Failed logins (django-axes, with the growing delays of accounts/lockout.py; docs/access.md):
# failures are counted per account name whatever the address, and per client address
# whatever the account (one password tried on many accounts). From the limit on, each
# further failure refuses the next attempt for a time that doubles, up to a cap: guessing
# stays slow, and the most an attacker can impose on a real officer is the cap.
AXES_HANDLER = "danvan.accounts.lockout.GrowingDelayHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)  # per account
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("DANVAN_LOGIN_ADDRESS_FAILURE_LIMIT", 10)  # per address
LOGIN_DELAY_FIRST_SECONDS = env_int("DANVAN_LOGIN_DELAY_FIRST_SECONDS", 60)
LOGIN_DELAY_MAX_SECONDS = env_int("DANVAN_LOGIN_DELAY_MAX_SECONDS", 15 * 60)
# How long failures are remembered after the last one (axes forgets older attempts).
AXES_COOLOFF_TIME = timedelta(hours=env_int("DANVAN_LOGIN_FAILURE_MEMORY_HOURS", 24))
# The handler decides the lock, not axes' single limit over every parameter.
AXES_LOCK_OUT_AT_FAILURE = False
# An attempt refused during a delay is not checked, so it does not count or prolong it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "danvan.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "danvan.core.client_address.client_address"
AXES_RESET_ON_SUCCESS = True

OTP_TOTP_ISSUER = "danvan"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "danvan" / "locale"]
# Dates dd/mm/yyyy, months "tháng MM/yyyy", numbers 1.234.567 and 12,5 in every language
# (danvan/formats). USE_THOUSAND_SEPARATOR stays off: it would also group years, ids and
# numbers in URLs ("2.026"); counts are grouped where shown, with intcomma.
FORMAT_MODULE_PATH = ["danvan.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploads: photos and documents of entries, spreadsheets for import.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "danvan" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Content-Security-Policy: no inline scripts or styles, nothing from other hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "danvan <no-reply@danvan.local>")

# Celery. Redis in production (CELERY_BROKER_URL=redis://...); the embedded
# default is kombu's filesystem transport, which needs no server.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # Redis gives a message nobody acknowledged back to the workers after this many
    # seconds. Tasks acknowledge late (after the work), so it must exceed the longest
    # job (an import of MOVEMENT_IMPORT_MAX_ROWS rows: minutes), or a running job's
    # message would be delivered again meanwhile (harmless: the claim refuses it, see
    # danvan/jobs, but wasted). A dead worker's jobs do not wait for it: the reaper
    # finds them within JOBS_STALE_SECONDS + JOBS_REAP_SECONDS (docs/operations.md).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 30 * 60),
    }
# Installations that share one Redis database keep apart by their queue's name.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# A pool process killed mid-task gives its message back at once (with acks_late the
# message would otherwise count as done); the claim refuses it if the job finished.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Jobs are long: a worker reserves one message at a time, so the others stay free for
# the other workers instead of waiting behind a long import.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Durable jobs (danvan/jobs, docs/operations.md "Background jobs"): a running job's
# worker beats every JOBS_HEARTBEAT_SECONDS; without a beat for JOBS_STALE_SECONDS the
# worker is taken for dead, and the reaper (every JOBS_REAP_SECONDS) resumes the job
# while it has attempts left (JOBS_MAX_ATTEMPTS) or fails it with a message the user
# may retry. A job queued for JOBS_RESEND_SECONDS is sent again: its message may have
# died with a worker that had reserved it (Redis would give it back only after the
# visibility timeout); a duplicate is refused by the job's claim, so two minutes is safe.
JOBS_HEARTBEAT_SECONDS = env_int("JOBS_HEARTBEAT_SECONDS", 10)
JOBS_STALE_SECONDS = env_int("JOBS_STALE_SECONDS", 60)
JOBS_REAP_SECONDS = env_int("JOBS_REAP_SECONDS", 60)
JOBS_MAX_ATTEMPTS = env_int("JOBS_MAX_ATTEMPTS", 2)
JOBS_RESEND_SECONDS = env_int("JOBS_RESEND_SECONDS", 120)
JOBS_HEARTBEAT_DIR = env_str("JOBS_HEARTBEAT_DIR", str(VAR_DIR / "jobs"))
if JOBS_STALE_SECONDS < 3 * JOBS_HEARTBEAT_SECONDS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "JOBS_STALE_SECONDS must be at least three heartbeats (3 × JOBS_HEARTBEAT_SECONDS):"
        " a worker that misses one beat under load is not dead."
    )
# The daily deadline sweep (cases.tasks): marks cases due soon and overdue, then sends
# the leaders' digests, once a day whatever runs it twice. The reaper of durable jobs.
# `make run` starts beat inside its worker (-B).
CELERY_BEAT_SCHEDULE = {
    "cases-sweep-deadlines": {
        "task": "danvan.cases.tasks.sweep_deadlines",
        "schedule": crontab(hour=0, minute=30),
    },
    # The ladder for late tasks and its digests (danvan/directives/tasks/ladder.py),
    # before the working day starts (CELERY_TIMEZONE is Asia/Ho_Chi_Minh).
    "directive-tasks-ladder": {
        "task": "danvan.directives.tasks.tasks.run_ladder",
        "schedule": crontab(hour=6, minute=30),
    },
    "jobs-reap": {
        "task": "danvan.jobs.tasks.reap_jobs",
        "schedule": timedelta(seconds=JOBS_REAP_SECONDS),
    },
    # Old report exports (.zip) removed at night (reports/campaigns/exports/services.py).
    "report-exports-cleanup": {
        "task": "danvan.reports.campaigns.exports.tasks.cleanup_exports",
        "schedule": crontab(hour=2, minute=15),
    },
    # Copies of gallery photos no longer public removed at night (portal/gallery/photos.py).
    "portal-gallery-prune": {
        "task": "danvan.portal.tasks.prune_gallery_copies",
        "schedule": crontab(hour=2, minute=45),
    },
}
# How long a report export (.zip) stays downloadable before the nightly cleanup.
REPORT_EXPORT_KEEP_DAYS = env_int("DANVAN_REPORT_EXPORT_KEEP_DAYS", 7)

# Cases: days before the due date from which a case shows as "due soon".
CASES_DUE_SOON_DAYS = env_int("DANVAN_CASES_DUE_SOON_DAYS", 5)

# Keys for denouncers' identities (cases/identity.py), never in the database: Fernet keys,
# newest first, from DANVAN_IDENTITY_KEYS (comma-separated) or a file of one key per line
# (DANVAN_IDENTITY_KEYS_FILE). Older keys still decrypt until `identity_rotate_keys` ran.
IDENTITY_KEYS = env_list("DANVAN_IDENTITY_KEYS", [])
IDENTITY_KEYS_FILE = env_str("DANVAN_IDENTITY_KEYS_FILE", str(VAR_DIR / "identity.keys"))
# The embedded default creates its key file on first use; production refuses to start
# without keys (production.py).
IDENTITY_KEYS_AUTOCREATE = env_bool("DANVAN_IDENTITY_KEYS_AUTOCREATE", True)

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- Cache, used by the citizens' portal rate limits (django-ratelimit) -------------------
# The embedded default is the per-process memory cache. In production with more than one
# process the counters must be shared, or each worker would allow the full rate: set
# DANVAN_CACHE_URL=redis://host:6379/1 (Django's own Redis backend, redis-py is installed);
# production refuses to start without a shared cache (danvan.E003, core/checks.py).
_cache_url = env_str("DANVAN_CACHE_URL", "")
if _cache_url and not _cache_url.startswith(("redis://", "rediss://", "unix://")):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"DANVAN_CACHE_URL={_cache_url!r} must be a redis://, rediss:// or unix:// URL"
    )
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # The first tier of the public pages' cache, in each process's memory (core/pagecache.py).
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "danvan-pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
# --- The client's address (danvan/core/client_address.py) ---------------------------------
# Behind a reverse proxy every request comes from the proxy's address, and every citizen and
# officer would share one rate limit and one login counter. The header the proxy sets to the
# client's address (DANVAN_CLIENT_IP_HEADER) is believed only from the proxies' addresses
# (DANVAN_TRUSTED_PROXIES: addresses or networks, comma-separated); from anywhere else it is
# ignored and REMOTE_ADDR counts. Used by the login lock-out, the rate limits and the trail.
TRUSTED_PROXIES = env_networks("DANVAN_TRUSTED_PROXIES")
CLIENT_IP_HEADER = env_str("DANVAN_CLIENT_IP_HEADER", "X-Forwarded-For")
RATELIMIT_IP_META_KEY = "danvan.core.client_address.client_address_for_limits"
