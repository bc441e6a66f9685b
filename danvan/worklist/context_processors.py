import functools
from typing import Any

from django.http import HttpRequest


def notices(request: HttpRequest) -> dict[str, Any]:
    """The number of unread notices for the top bar: one indexed count, made only when a
    page renders the bar (a callable: templates call it; htmx partials never do)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .selectors import unread_count

    return {"notices_unread": functools.cache(lambda: unread_count(user))}
