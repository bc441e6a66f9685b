"""The portal's list of what units disclosed to citizens ("dân biết", Law 10/2022/QH15,
Điều 11–13): only disclosures marked public, newest first; never evidence files or who
recorded them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from danvan.core.http import paginate
from danvan.disclosure.selectors import public_disclosures

from ..forms import PlaceFilterForm

PER_PAGE = 20


@require_GET
def disclosures(request: HttpRequest) -> HttpResponse:
    place = PlaceFilterForm(request.GET)
    rows = public_disclosures(unit=place.unit())
    page, query = paginate(request, rows, PER_PAGE)
    return render(
        request,
        "portal/disclosures.html",
        {"place": place, "page": page, "query": query, "items": list(page.object_list)},
    )
