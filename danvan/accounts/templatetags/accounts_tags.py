"""Template helpers for the account pages."""

from __future__ import annotations

import datetime as dt
import math

from django import template

register = template.Library()


@register.filter
def minutes(value: dt.timedelta | None) -> int:
    """Whole minutes in a duration, rounded up (a lock-out of 14.5 minutes says 15)."""
    if not isinstance(value, dt.timedelta):
        return 0
    return math.ceil(value.total_seconds() / 60)
