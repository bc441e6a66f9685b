"""The policy module in templates: show a link, button or mark only to who may use it.

    {% load policy_tags %}
    {% may "case.intake" unit as can_intake %}{% if can_intake %}<a …>Tiếp nhận</a>{% endif %}
    {% may_anywhere "case.intake" as can_receive %}
    {% if rule.to_verify and user|sees_rule_flags %}…{% endif %}

The decision stays in danvan.accounts.policies; these only ask it.
"""

from __future__ import annotations

from typing import Any

from django import template

from danvan.accounts import policies
from danvan.accounts.policies import Perm

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context: template.Context, perm: str, unit: Any = None) -> bool:
    """policies.has_perm for the signed-in user (*perm* is a Perm value, "case.intake")."""
    user = context.get("user")
    if user is None and "request" in context:
        user = context["request"].user
    return policies.has_perm(user, Perm(perm), unit)


@register.simple_tag(takes_context=True)
def may_anywhere(context: template.Context, perm: str) -> bool:
    """policies.has_perm_anywhere: for pages across all the user's units (a page that
    lets the user pick the unit, such as receiving a case)."""
    user = context.get("user")
    if user is None and "request" in context:
        user = context["request"].user
    return policies.has_perm_anywhere(user, Perm(perm))


@register.filter
def sees_rule_flags(user: Any) -> bool:
    return policies.sees_rule_flags(user)
