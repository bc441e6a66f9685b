"""The tasks panel of a unit's page (registered with danvan.units.panels from
apps.ready()): the tasks the unit leads and those it coordinates, counted by status, the
five most urgent, and links to the two lists. A fixed number of queries."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.units.models import Unit
from danvan.units.pages import with_unit
from danvan.units.panels import register_panel

from . import selectors
from .models import TaskState
from .selectors import Day, Tab

URGENT = 5


def render(request: HttpRequest, unit: Unit) -> str | None:
    user = request.user
    if not policies.has_perm(user, Perm.DIRECTIVE_VIEW, unit):
        return None
    day = Day.now()
    lead = selectors.tasks_for_unit(user=user, unit=unit, tab=Tab.LEAD)
    coordinate = selectors.tasks_for_unit(user=user, unit=unit, tab=Tab.COORDINATE)
    # The same counts as the lists the links open (selectors.status_counts).
    lead_counts = selectors.status_counts(lead, day)
    coordinate_counts = selectors.status_counts(coordinate, day)
    if not any(n for _s, n in lead_counts) and not any(n for _s, n in coordinate_counts):
        urgent = []
    else:
        live = (lead | coordinate).exclude(state__in=[TaskState.CLOSED, TaskState.CANCELLED])
        urgent = list(selectors.task_rows(live, day)[:URGENT])
    return render_to_string(
        "directive_tasks/_unit_panel.html",
        {
            "unit": unit,
            "rows": [
                ("lead", with_unit("directive_tasks:list", unit), lead_counts),
                (
                    "coordinate",
                    with_unit("directive_tasks:list_coordinate", unit),
                    coordinate_counts,
                ),
            ],
            "urgent": urgent,
            "board_url": with_unit("directive_tasks:board", unit),
        },
    )


register_panel("tasks", 10, render)
