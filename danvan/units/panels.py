"""Panels other apps add to a unit's page (units:detail) without this app importing them.

The units app sits below every area app (its imports point down only: a test holds it to
that), yet a unit's page shows what the areas hold about the unit, e.g. the tasks it leads
and those it coordinates. Each area registers a panel from its AppConfig.ready():

    register_panel("tasks", 10, render)

where ``render(request, unit)`` returns the panel's HTML (rendered from the area's own
template, already escaped) or None when the user may not see it. The unit page calls
every panel in *order* and shows the pieces one after the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from .models import Unit

Render = Callable[[HttpRequest, Unit], str | None]


@dataclass(frozen=True)
class Panel:
    code: str
    order: int
    render: Render


_PANELS: dict[str, Panel] = {}


def register_panel(code: str, order: int, render: Render) -> None:
    """Add (or replace, on a second ready()) the panel *code*."""
    _PANELS[code] = Panel(code, order, render)


def unregister_panel(code: str) -> None:
    _PANELS.pop(code, None)


def panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.code))


def render_panels(request: HttpRequest, unit: Unit) -> list[SafeString]:
    """The HTML of every panel the user may see about *unit*, in order."""
    out = []
    for panel in panels():
        html = panel.render(request, unit)
        if html:
            # A panel renders its own template (autoescaped): its output is HTML.
            out.append(mark_safe(html))  # noqa: S308
    return out
