import re
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def short_name(user: Any) -> str:
    """What the top bar calls *user*: the given name, the last word of a Vietnamese full
    name ("Dương Văn Hải" → "Hải"); the user menu shows the full name. A name that is not a
    person's (a role account such as "Quản trị hệ thống (demo)": words in lower case, a
    note in brackets) has no given name: the user name stands in for it."""
    name = re.sub(r"\([^)]*\)", " ", user.full_name or "").split()
    if name and all(word[:1].isupper() for word in name):
        return name[-1]
    return str(user.get_username())


def navigation(request: HttpRequest) -> dict[str, bool]:
    """Which menus and entries of the top bar *request*'s user may open.

    Computed once per request from the user's grants (loaded once and cached on the user
    by policies.grants_of), so the menu costs no query per link. Each flag asks the same
    permission as the page it leads to, so no entry ends in a 403:

    - pages about one unit (the case lists, reception, dialogues, the democracy pages)
      open on the unit the user works in (units.pages.page_unit), so they are offered when
      the user holds the permission there; a national grant holds it everywhere;
    - pages across all the user's units (movement entries, statistics, imports, officials,
      audit, rules) are offered when any grant carries the permission.
    """
    from . import policies
    from .policies import Perm
    from .selectors import current_unit

    user = request.user
    unit = current_unit(request)

    def here(perm: Perm) -> bool:
        return policies.has_perm(user, perm, unit)

    def anywhere(perm: Perm) -> bool:
        return policies.has_perm_anywhere(user, perm)

    flags = {
        "movement": anywhere(Perm.MOVEMENT_VIEW),
        "movement_import": anywhere(Perm.MOVEMENT_EDIT),
        # Rounds list only what one administers or reviews: others would see an empty page.
        "movement_rounds": anywhere(Perm.EVALUATION_ADMIN) or anywhere(Perm.EVALUATION_SCORE),
        "cases": here(Perm.CASE_VIEW),
        "case_intake": here(Perm.CASE_INTAKE),
        "democracy": here(Perm.DEMOCRACY_VIEW),
        "directives": here(Perm.DIRECTIVE_VIEW),
        # Report campaigns list those of every unit the user reads.
        "reports": anywhere(Perm.REPORT_VIEW),
        "officials": anywhere(Perm.OFFICIAL_VIEW),
        "audit": anywhere(Perm.AUDIT_VIEW),
        "rules": anywhere(Perm.LEGAL_VIEW),
        # Administrators call the last menu "Quản trị"; others only read rules there.
        "admin": policies.has_admin_role(user),
    }
    flags["admin_menu"] = flags["audit"] or flags["rules"]
    return flags


def unit_switcher(request: HttpRequest) -> dict[str, Any]:
    """The top bar's context: the units the user may switch to (their granted units), the
    current one, the user's short name and the menu flags (`nav`, see navigation)."""
    from .selectors import current_unit, switchable_units

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: partials (htmx) rendered with this context never ask for the menus, and pay
    # nothing for them.
    nav = SimpleLazyObject(lambda: navigation(request))
    return {
        "switchable_units": switchable_units(user),
        "current_unit": current_unit(request),
        "nav": nav,
        "nav_user_short": short_name(user),
    }
