"""Numbers on the entry pages as Vietnamese readers write them: 1.500.000, 45,5."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def vn_number(value: int | Decimal | float | None) -> str:
    """Group thousands with "." and use "," for the decimals (Django's "vi" locale sets
    the separators but no grouping, so `intcomma` leaves the digits ungrouped)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    sign = "-" if number < 0 else ""
    text = format(abs(number).normalize(), "f")
    whole, _, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + fraction if fraction else "")
