"""The portal's disclosures ("dân biết", Law 10/2022/QH15, Điều 11–13): the list of what
units marked public, filterable by place, kind and days; each one's page with its legal
basis, how long it stays posted, the forms used and the documents marked public.

Never shown: a disclosure not marked public (404, as a missing one), its evidence (photos
of the notice board are internal), who recorded it.
"""

from __future__ import annotations

import uuid
from typing import cast

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from danvan.core.http import paginate
from danvan.disclosure import selectors

from ..forms import PlaceFilterForm
from .forms import DisclosureFilterForm

PER_PAGE = 20


@require_GET
def disclosures(request: HttpRequest) -> HttpResponse:
    place = PlaceFilterForm(request.GET)
    filters = DisclosureFilterForm(request.GET)
    status = 200
    if filters.is_valid():
        rows = selectors.public_disclosures(unit=place.unit(), **filters.filters())
    else:
        # A refused date: the message beside the field, the typed value kept, no list
        # filtered on a guess.
        status = 400
        rows = selectors.public_disclosures().none()
    page, query = paginate(request, rows, PER_PAGE)
    return render(
        request,
        "portal/disclosures.html",
        {
            "place": place,
            "filters": filters,
            "page": page,
            "query": query,
            "items": list(page.object_list),
        },
        status=status,
    )


@require_GET
def disclosure(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    found = selectors.public_disclosure_get(public_id)
    if found is None:
        raise Http404
    return render(
        request,
        "portal/disclosure.html",
        {
            "disclosure": found,
            "kind": found.kind,
            "channels": list(found.channels.all()),
            "documents": found.public_documents,  # type: ignore[attr-defined]
            "posting": selectors.posting_period(found, timezone.localdate()),
        },
    )


@require_GET
def disclosure_document(request: HttpRequest, public_id: uuid.UUID, pk: int) -> HttpResponse:
    """A document marked public of a public disclosure, else 404 (as a missing one)."""
    item = selectors.public_document_get(public_id=public_id, pk=pk)
    if item is None:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, content_type=item.content_type, as_attachment=True, filename=item.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return cast(HttpResponse, response)
