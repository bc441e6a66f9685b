"""The place search and a page for every province and commune (issue 14, deliverable 1).

Both work without JavaScript and without an account. A place page shows only what the
place's units marked public, and counts of feedback, never a case: it holds nothing
personal nor per-visitor, so it is cached whole for a short while (no CSRF token, no
form that posts), which keeps it fast under load.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from danvan.core.forms import form_status
from danvan.core.pagecache import page_get, page_set, place_page_key
from danvan.units.models import Unit, UnitKind
from danvan.units.selectors import unit_successors

from . import selectors
from .forms import PlaceSearchForm

# Seconds a rendered place page is served from the cache: a page read a thousand times a
# minute is built once. What a unit publishes shows at once: the services that change what
# the page shows forget it (core.pagecache.place_changed); the lifetime bounds what no
# service announces (a scheduled article's time coming, a vote's last day passing).
PAGE_TTL = 60


@require_GET
def place_search(request: HttpRequest) -> HttpResponse:
    form = PlaceSearchForm(request.GET)
    hits: list[selectors.PlaceHit] = []
    searched = False
    if form.is_valid() and form.cleaned_data["q"] and not form.too_short:
        searched = True
        hits = selectors.search_places(form.cleaned_data["q"])
        unit = selectors.single_exact_unit(hits)
        if unit is not None:
            return redirect("portal:place", code=unit.code)
    return render(
        request,
        "portal/places/search.html",
        {
            "form": form,
            "hits": hits,
            "searched": searched,
            "too_short": form.too_short,
            "max_hits": selectors.MAX_HITS,
        },
        status=form_status(form),
    )


@require_GET
def place(request: HttpRequest, code: str) -> HttpResponse:
    key = place_page_key(code)
    html = page_get(key)
    if html is None:
        unit = selectors.place_unit(code)
        if unit is None:
            raise Http404
        if unit.valid_to is not None:
            return _historical(request, unit)
        # Rendered without the request: the page is the same for every visitor, so none of
        # the context processors (the user, the messages, the CSP nonce, the officers' menus)
        # may reach it, and it does not pay for them.
        html = render_to_string("portal/places/place.html", _context(unit))
        page_set(key, html, PAGE_TTL)
    return HttpResponse(html)


def _context(unit: Unit) -> dict[str, object]:
    is_province = unit.kind == UnitKind.PROVINCE
    groups = []
    if is_province:
        url = selectors.urls_for("portal:place")
        groups = [
            (letter, [(commune.name, url(commune.code)) for commune in communes])
            for letter, communes in selectors.communes_by_letter(unit)
        ]
    return {
        "unit": unit,
        "is_province": is_province,
        "groups": groups,
        "former_names": selectors.former_names_of(unit),
        "sections": selectors.place_sections(unit),
    }


def _historical(request: HttpRequest, unit: Unit) -> HttpResponse:
    """An ended unit: moved permanently to the one that took it over; a split one lists
    the units it was split into."""
    successors = [u for u in unit_successors(unit) if u.valid_to is None and u.kind == unit.kind]
    if len(successors) == 1:
        return redirect("portal:place", code=successors[0].code, permanent=True)
    if not successors:
        raise Http404
    return render(
        request, "portal/places/historical.html", {"unit": unit, "successors": successors}
    )
