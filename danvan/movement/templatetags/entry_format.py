"""Numbers on the entry pages as Vietnamese readers write them: 1.500.000, 45,5."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def vn_number(value: int | Decimal | float | None) -> str:
    """Thousands grouped with "." and "," before the decimals, without trailing zeros
    (45,5 not 45,50): Django's number formatting with the project's formats module
    (danvan/formats), which sets the grouping that Django's own "vi" locale lacks."""
    if value is None or value == "":
        return ""
    return number_format(Decimal(str(value)).normalize(), use_l10n=True, force_grouping=True)
