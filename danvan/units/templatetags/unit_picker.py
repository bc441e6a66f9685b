"""Template tags of the unit picker (units.picker)."""

from __future__ import annotations

from typing import Any

from django import template

from danvan.units.models import UnitKind
from danvan.units.picker import SWITCHER_LIST_MAX, UnitSwitchForm

register = template.Library()


@register.simple_tag(takes_context=True)
def unit_switch_form(context: template.Context) -> UnitSwitchForm | None:
    """The top bar's switcher as a unit picker showing the working unit, for users who
    may work in many units (many grants, a province, the nation); None when the list of
    their granted units (``switchable_units``) is the better control."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    units = context.get("switchable_units") or []
    if len(units) <= SWITCHER_LIST_MAX and not any(u.kind == UnitKind.PROVINCE for u in units):
        return None
    current: Any = context.get("current_unit")
    return UnitSwitchForm(actor=user, initial={"unit": current} if current else {})
