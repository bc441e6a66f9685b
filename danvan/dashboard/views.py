"""The home page: what needs doing for the unit the user works in, then its counts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from danvan.accounts import policies
from danvan.accounts.selectors import current_unit
from danvan.reports.campaigns.panels import home_panel as report_panel
from danvan.units.models import Unit, UnitKind
from danvan.units.pages import with_unit
from danvan.worklist.selectors import worklist_for
from danvan.worklist.trends import trends
from danvan.worklist.views import HOME_CHILDREN, HOME_ITEMS

from .selectors import dashboard_stats


def _always_shown(unit: Unit | None) -> set[str]:
    """Kinds worth a card even at zero, because the level should have them."""
    if unit is None or unit.kind == UnitKind.PROVINCE:
        return {UnitKind.COMMUNE, UnitKind.VILLAGE}
    if unit.kind == UnitKind.COMMUNE:
        return {UnitKind.VILLAGE}
    return set()


def _overview_url(unit: Unit | None) -> str:
    """The full list by child unit: the unit's, or the nation's for a national user."""
    if unit is None:
        return reverse("worklist:overview")
    return with_unit("worklist:overview", unit)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    national = unit is None and policies.is_system_admin(request.user)
    stats = dashboard_stats(actor=request.user, root=unit) if unit or national else None
    cards = []
    if stats is not None:
        shown = _always_shown(unit)
        cards = [
            {"kind": kind, "label": label, "count": stats.counts.get(kind, 0)}
            for kind, label in UnitKind.choices
            if stats.counts.get(kind, 0) or kind in shown
        ]
    worklist, charts = None, []
    if unit is not None or national:
        # A leader (a province, or the nation) also sees the list summarized by child unit,
        # and the trends of the last 12 months.
        leader = unit is None or unit.kind == UnitKind.PROVINCE
        worklist = worklist_for(
            actor=request.user,
            root=unit,
            today=timezone.localdate(),
            limit=HOME_ITEMS,
            with_children=leader,
        )
        if leader:
            charts = [(t, *t.chart(worklist.scope)) for t in trends()]
    return render(
        request,
        "dashboard/home.html",
        {
            "unit": unit,
            "national": national,
            "stats": stats,
            "cards": cards,
            "worklist": worklist,
            # The page stays bounded: the child units with most overdue, the rest a link away.
            "children": worklist.children[:HOME_CHILDREN] if worklist else [],
            "more_children": max(len(worklist.children) - HOME_CHILDREN, 0) if worklist else 0,
            "overview_url": _overview_url(unit),
            "charts": charts,
            # The open report campaigns covering the unit (issue 13, item 6); None if none.
            "report_panel": report_panel(request, unit),
        },
    )
