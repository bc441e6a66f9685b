"""Months as the site writes them: "tháng 07/2026" (dates use |date, whose default
format the project's formats module sets to dd/mm/yyyy)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import gettext as _

from danvan.core.dates import format_month

register = template.Library()


def _year_month(value: Any) -> tuple[int, int] | None:
    if isinstance(value, dt.date):  # a datetime is a date too
        return value.year, value.month
    if isinstance(value, tuple | list) and len(value) == 2:
        return int(value[0]), int(value[1])
    return None


@register.filter
def month_number(value: Any) -> str:
    """07/2026 for a date, a datetime or a (year, month) pair ("" otherwise): for chart
    axes and table headers where the word "tháng" is already said."""
    pair = _year_month(value)
    return "" if pair is None else format_month(*pair)


@register.filter
def month_label(value: Any) -> str:
    """tháng 07/2026 for a date, a datetime or a (year, month) pair ("" otherwise)."""
    pair = _year_month(value)
    return "" if pair is None else _("tháng %(m)s") % {"m": format_month(*pair)}
