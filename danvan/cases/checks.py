"""Deployment check: senders' identities need keys that live outside the database."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=True)
def identity_keys_configured(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    from django.conf import settings

    from .identity import cipher

    if getattr(settings, "DANVAN_PRODUCTION", False):
        return []  # production checks the keys at every start (danvan.E006, core/checks.py)
    try:
        cipher()
    except ImproperlyConfigured as exc:
        return [
            Error(
                str(exc),
                hint=(
                    "Tạo khoá bằng `manage.py identity_new_key` và đặt vào "
                    "DANVAN_IDENTITY_KEYS hoặc DANVAN_IDENTITY_KEYS_FILE."
                ),
                id="danvan.cases.E001",
            )
        ]
    return []
