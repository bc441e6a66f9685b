"""Production settings that refuse to start wrong (docs/operations.md, "Settings that
refuse to start").

Under ``danvan.settings.production`` (``DANVAN_PRODUCTION = True``) each missing service is a
system check *error*: a fallback meant for the embedded mode — SQLite, the filesystem broker,
the process's own memory as cache, ``REMOTE_ADDR`` as the client's address, a key file
created on one machine, uploads inside the checkout — would start and then fail quietly
(locked databases, each gunicorn worker counting rate limits alone, identities unreadable
on the other nodes). The checks are registered without ``deploy=True`` so that every
``manage.py`` command that checks (``check``, ``check --deploy``, ``migrate``,
``runserver``) stops on them; gunicorn and Celery run no checks, so the WSGI application
and the worker and beat call :func:`refuse_to_start_if_misconfigured` when they start.

The checks read settings only; none touches the network (a server that is down at start-up
is /healthz's business, not a reason to refuse a configuration).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured

# The tag of every check here: `manage.py check --tag production` runs them alone.
PRODUCTION_TAG = "production"

# Cache backends that every process and node shares. The memory, dummy and file caches
# are per process or per machine: rate limits and once-per-period locks would not hold.
_SHARED_CACHES = (
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
    "django.core.cache.backends.db.DatabaseCache",
)
# Brokers that are not a server every node reaches.
_LOCAL_BROKERS = ("filesystem://", "memory://", "cache+memory://")


def _production() -> bool:
    return bool(getattr(settings, "DANVAN_PRODUCTION", False))


def _error(msg: str, hint: str, number: int) -> Error:
    return Error(msg, hint=hint, id=f"danvan.E{number:03d}")


@checks.register(PRODUCTION_TAG, checks.Tags.database)
def check_database(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if not _production():
        return []
    engine = settings.DATABASES.get("default", {}).get("ENGINE", "")
    if engine != "django.db.backends.postgresql":
        return [
            _error(
                f"Production cần PostgreSQL, nhưng CSDL đang là {engine or 'không có'} "
                "(thiếu DATABASE_URL nên dùng SQLite của chế độ nhúng).",
                "Đặt DATABASE_URL=postgres://người_dùng:mật_khẩu@máy:5432/danvan.",
                1,
            )
        ]
    return []


@checks.register(PRODUCTION_TAG)
def check_broker(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if not _production():
        return []
    url = str(getattr(settings, "CELERY_BROKER_URL", "") or "")
    if not url or url.startswith(_LOCAL_BROKERS):
        return [
            _error(
                f"Production cần một broker Celery dùng chung (Redis), nhưng CELERY_BROKER_URL "
                f"là {url or 'trống'}: việc nền chỉ chạy trên máy gửi nó.",
                "Đặt CELERY_BROKER_URL=redis://máy:6379/0.",
                2,
            )
        ]
    return []


@checks.register(PRODUCTION_TAG, checks.Tags.caches)
def check_cache(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if not _production():
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in _SHARED_CACHES:
        return [
            _error(
                f"Production cần bộ nhớ đệm dùng chung, nhưng đang là {backend}: mỗi tiến trình "
                "gunicorn tự đếm giới hạn truy cập và khoá chạy một lần của lịch định kỳ.",
                "Đặt DANVAN_CACHE_URL=redis://máy:6379/1.",
                3,
            )
        ]
    return []


@checks.register(PRODUCTION_TAG, checks.Tags.security)
def check_client_address(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    from .client_address import meta_key, parse_networks

    if not _production():
        return []
    errors: list[CheckMessage] = []
    proxies = list(getattr(settings, "TRUSTED_PROXIES", []) or [])
    try:
        parse_networks(proxies)
    except ValueError as exc:
        errors.append(_error(f"DANVAN_TRUSTED_PROXIES: {exc}.", "Ví dụ: 127.0.0.1,10.0.0.0/24.", 4))
    if not proxies:
        errors.append(
            _error(
                "Production chạy sau reverse proxy nhưng DANVAN_TRUSTED_PROXIES trống: mọi yêu "
                "cầu mang địa chỉ của proxy, nên khoá đăng nhập và giới hạn truy cập dồn cho "
                "mọi người dùng.",
                "Đặt DANVAN_TRUSTED_PROXIES=địa chỉ các proxy (ví dụ 127.0.0.1 hoặc "
                "10.0.0.0/24); xem docs/operations.md.",
                4,
            )
        )
    header = str(getattr(settings, "CLIENT_IP_HEADER", "") or "")
    try:
        meta_key(header)
    except ImproperlyConfigured:
        errors.append(
            _error(
                f"DANVAN_CLIENT_IP_HEADER={header!r} không phải tên header HTTP.",
                "Đặt DANVAN_CLIENT_IP_HEADER=X-Forwarded-For (hoặc X-Real-IP), đúng header "
                "proxy ghi địa chỉ người dùng.",
                5,
            )
        )
    return errors


@checks.register(PRODUCTION_TAG, checks.Tags.security)
def check_identity_keys(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    from danvan.cases.identity import cipher

    if not _production():
        return []
    hint = (
        "Tạo khoá bằng `manage.py identity_new_key`, ghi vào một tệp bí mật gắn vào mọi máy "
        "(chỉ người chạy danvan đọc được) và đặt DANVAN_IDENTITY_KEYS_FILE=đường dẫn tệp."
    )
    if not settings.IDENTITY_KEYS and not settings.IDENTITY_KEYS_FILE:
        return [
            _error(
                "Production cần khoá mã hoá danh tính người gửi đơn từ một nguồn chung cho mọi "
                "máy, nhưng DANVAN_IDENTITY_KEYS_FILE và DANVAN_IDENTITY_KEYS đều trống.",
                hint,
                6,
            )
        ]
    try:
        cipher()
    except ImproperlyConfigured as exc:
        return [_error(f"Khoá mã hoá danh tính không dùng được: {exc}.", hint, 6)]
    return []


def _folder_problem(path: Path) -> str | None:
    if not path.is_absolute():
        return "chưa đặt (hoặc không phải đường dẫn tuyệt đối)"
    if not path.is_dir():
        return f"{path} không phải một thư mục có sẵn"
    return None


@checks.register(PRODUCTION_TAG)
def check_media_root(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if not _production():
        return []
    backend = settings.STORAGES.get("default", {}).get("BACKEND", "")
    if backend != "django.core.files.storage.FileSystemStorage":
        return []  # object storage (django-storages): the location is the bucket's settings
    problem = _folder_problem(Path(settings.MEDIA_ROOT))
    if problem:
        return [
            _error(
                f"Thư mục tệp tải lên (DJANGO_MEDIA_ROOT) {problem}.",
                "Đặt DJANGO_MEDIA_ROOT= một thư mục trên ổ dùng chung của mọi máy web và "
                "worker (ví dụ /srv/danvan/media trên NFS).",
                7,
            )
        ]
    return []


@checks.register(PRODUCTION_TAG)
def check_static_root(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if not _production():
        return []
    root = Path(settings.STATIC_ROOT)
    checkout = Path(settings.BASE_DIR).resolve()
    hint = (
        "Đặt DJANGO_STATIC_ROOT= một thư mục ngoài mã nguồn (ví dụ /srv/danvan/static) rồi "
        "chạy `collectstatic` với cấu hình production."
    )
    if not root.is_absolute():
        return [_error("Thư mục tệp tĩnh (DJANGO_STATIC_ROOT) chưa đặt.", hint, 8)]
    # The embedded mode collects into the checkout (staticfiles/) without WhiteNoise's
    # manifest; a production folder there would be overwritten, or emptied by
    # `collectstatic --clear`, and every page would fail on its missing manifest entries.
    if root.resolve().is_relative_to(checkout):
        return [
            _error(
                f"Thư mục tệp tĩnh {root} nằm trong mã nguồn ({checkout}), nơi chế độ nhúng "
                "cũng chạy collectstatic.",
                hint,
                8,
            )
        ]
    return []


def refuse_to_start_if_misconfigured() -> None:
    """Raise ImproperlyConfigured listing every production check error (not silenced).

    For the processes that run no system checks of their own: the WSGI application
    (gunicorn) and the Celery worker and beat."""
    from django.core.checks.registry import registry

    if not _production():
        return
    errors = sorted(
        (
            message
            for message in registry.run_checks(tags=[PRODUCTION_TAG])
            if message.is_serious() and not message.is_silenced()
        ),
        key=lambda message: message.id or "",
    )
    if errors:
        raise ImproperlyConfigured(
            "danvan refuses to start with these production settings:\n"
            + "\n".join(str(message) for message in errors)
        )
