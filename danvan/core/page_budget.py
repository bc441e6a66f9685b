"""The pages a province user opens that cover the whole subtree, and the size they must
stay under (issue 10: "province-level pages bounded … at most about 100 KB of HTML").

One list serves the size test (``danvan/core/tests/test_page_budget.py``, bytes are
deterministic) and the benchmark (``bench/province_pages.py``, sizes and server times),
so a page added here is measured by both.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from danvan.units.models import Unit

# "At most about 100 KB of HTML" (issue 10, deliverable 3).
PAGE_BUDGET_BYTES = 100 * 1024


@dataclass(frozen=True)
class PageType:
    """One page type: a short name for the table, and its URL for the province."""

    name: str
    url: str


def _url(name: str, unit: Unit | None = None, *args: object, **params: str) -> str:
    url = reverse(name, args=args) if args else reverse(name)
    query = {"unit": unit.code} if unit is not None else {}
    query.update(params)
    return f"{url}?{urlencode(query)}" if query else url


def province_pages(province: Unit) -> list[PageType]:
    """Every page type that lists per-unit or per-row content for *province*'s subtree,
    one URL each (default filters: what a province user sees first), plus the detail
    pages of one vote and one matter when the province has any."""
    from danvan.democracy.models import Vote

    p = province
    pages = [
        PageType("home", reverse("dashboard:home")),
        PageType("units.tree", _url("units:tree")),
        PageType("units.detail", reverse("units:detail", args=[p.code])),
        PageType("units.children", reverse("units:children", args=[p.code])),
        PageType("units.officials", _url("units:officials", p)),
        PageType("audit.list", _url("audit:list", p)),
        PageType("cases.queue", _url("cases:queue", p)),
        PageType("cases.list", _url("cases:list", p)),
        PageType("cases.overdue", _url("cases:overdue", p)),
        PageType("cases.stats", _url("cases:stats", p)),
        PageType("reception.index", _url("reception:index", p)),
        PageType("reception.sessions", _url("reception:sessions", p)),
        PageType("dialogues.list", _url("dialogues:list", p)),
        PageType("dialogues.commitments", _url("dialogues:commitments", p)),
        PageType("democracy.matters", _url("democracy:matters", p)),
        PageType("democracy.board", _url("democracy:board", p)),
        PageType("disclosure.list", _url("disclosure:list", p)),
        PageType("disclosure.compliance", _url("disclosure:compliance", p)),
        PageType("consultation.list", _url("consultation:list", p)),
        PageType("supervision.boards", _url("supervision:boards", p)),
        PageType("supervision.recommendations", _url("supervision:recommendations", p)),
        PageType("supervision.conferences", _url("supervision:conferences", p)),
        PageType("movement.list", _url("movement:list", p)),
        PageType("movement.stats", _url("movement:stats", p)),
        PageType("movement.rounds", _url("movement:rounds", p)),
        PageType("movement.imports", _url("movement:imports", p)),
        PageType("directive_tasks.board", _url("directive_tasks:board", p)),
        PageType("directive_tasks.list", _url("directive_tasks:list", p)),
        PageType("directive_tasks.assigned", _url("directive_tasks:list_assigned", p)),
        PageType("directives.list", _url("directives:list", p)),
        PageType("conferences.list", _url("conferences:list", p)),
        PageType("inspections.plans", _url("inspections:plans", p)),
        PageType("inspections.recommendations", _url("inspections:recommendations", p)),
    ]
    vote = (
        Vote.objects.filter(matter__unit__path__startswith=p.path)
        .order_by("-households_present", "pk")
        .first()
    )
    if vote is not None:
        pages.append(PageType("democracy.vote", reverse("democracy:vote", args=[vote.public_id])))
        pages.append(
            PageType("democracy.matter", reverse("democracy:matter", args=[vote.matter.public_id]))
        )
    from danvan.directives.conferences.models import Conference

    # A province's online review links every commune as a point (the 2025 national review
    # linked 3,280): its page must stay bounded too.
    conference = Conference.objects.filter(unit=p).order_by("-held_on", "pk").first()
    if conference is not None:
        pages.append(
            PageType(
                "conferences.detail", reverse("conferences:detail", args=[conference.public_id])
            )
        )
    return pages
