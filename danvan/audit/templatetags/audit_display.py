"""Audit events in templates: the kind of record in Vietnamese (see audit.display)."""

from __future__ import annotations

from django import template

from danvan.audit import display

register = template.Library()


@register.filter
def record_kind(label: str) -> str:
    """ "Vụ việc" for "cases.case"."""
    return display.model_title(label)
