"""How an audit event reads to a person: field labels and "from → to" values."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()


@cache
def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


@register.filter
def record_kind(label: str) -> str:
    model = _model(label)
    return capfirst(model._meta.verbose_name) if model is not None else label


def _field_label(label: str, name: str) -> str:
    model = _model(label)
    if model is None:
        return name
    try:
        return str(capfirst(model._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return name


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("có")
    if value is False:
        return _("không")
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value) or "—"
    return str(value)


@register.filter
def change_lines(event: Any) -> list[dict[str, str]]:
    """[{"field", "old", "new"}] for the event's {field: [from, to]} changes."""
    rows = []
    for name, pair in sorted((event.changes or {}).items()):
        old, new = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        rows.append(
            {"field": _field_label(event.model_label, name), "old": _value(old), "new": _value(new)}
        )
    return rows
