from typing import Any

from django.http import HttpRequest


def unit_switcher(request: HttpRequest) -> dict[str, Any]:
    """The units the user may switch to (their granted units) and the current one."""
    from . import policies
    from .selectors import current_unit, switchable_units

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "switchable_units": switchable_units(user),
        "current_unit": current_unit(request),
        "can_view_audit": policies.has_perm_anywhere(user, policies.Perm.AUDIT_VIEW),
        # The citizens' cases menu only for those who may open its pages somewhere.
        "can_view_cases": policies.has_perm_anywhere(user, policies.Perm.CASE_VIEW),
    }
