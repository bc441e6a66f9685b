"""Settings shared by every environment; values come from the environment (see env.py)."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

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
    "danvan.units",
    "danvan.accounts",
    "danvan.worklist",
    "danvan.legal",
    "danvan.cases",
    "danvan.portal",
    "danvan.democracy",
    "danvan.disclosure",
    "danvan.consultation",
    "danvan.supervision",
    "danvan.movement",
    "danvan.dashboard",
    "danvan.api",
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
    # NUL characters in query strings and API bodies: 400 before PostgreSQL sees them.
    "danvan.core.nul_guard.NulCharacterGuardMiddleware",
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
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_sqlite), conn_max_age=env_int("DB_CONN_MAX_AGE", 0)
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

# django-axes: lock an account name after repeated failures from the same address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
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
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The daily deadline sweep (cases.tasks): marks cases due soon and overdue, then sends
# the leaders' digests. `make run` starts beat inside its worker (-B).
CELERY_BEAT_SCHEDULE = {
    "cases-sweep-deadlines": {
        "task": "danvan.cases.tasks.sweep_deadlines",
        "schedule": crontab(hour=0, minute=30),
    },
}

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
# DANVAN_CACHE_URL=redis://host:6379/1 (Django's own Redis backend, redis-py is installed).
_cache_url = env_str("DANVAN_CACHE_URL", "")
if _cache_url and not _cache_url.startswith(("redis://", "rediss://", "unix://")):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"DANVAN_CACHE_URL={_cache_url!r} must be a redis://, rediss:// or unix:// URL"
    )
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Behind a reverse proxy every request comes from the proxy's address: name the header the
# proxy sets to the client's address (e.g. HTTP_X_REAL_IP), or all citizens share one limit.
RATELIMIT_IP_META_KEY = env_str("DANVAN_CLIENT_IP_META_KEY", "") or None
