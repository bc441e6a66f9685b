"""The idle-session warning's timing, for accounts/_session_dialog.html."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()

# Default warning: three minutes before the end (settings.SESSION_WARNING_SECONDS).
DEFAULT_WARN_SECONDS = 180


@register.simple_tag
def session_timing() -> dict[str, object]:
    """How long a session lasts without a request, and how long before its end the
    warning shows (at most half of it, so a short session still warns in time)."""
    idle = int(settings.SESSION_COOKIE_AGE)
    warn = int(getattr(settings, "SESSION_WARNING_SECONDS", DEFAULT_WARN_SECONDS))
    warn = max(1, min(warn, idle // 2))
    return {
        "idle_seconds": idle,
        "warn_seconds": warn,
        "warn_label": f"{warn // 60}:{warn % 60:02d}",
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }
