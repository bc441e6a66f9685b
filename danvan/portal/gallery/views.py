"""The gallery of the movement's good examples ("Dân vận khéo"): a filtered list of
recognized, exemplary and replicated initiatives and examples, each one's story, and
their public photos. Thin doors onto gallery.selectors; no account needed."""

from __future__ import annotations

import uuid

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from danvan.core.http import paginate

from ..forms import PlaceFilterForm
from . import photos, selectors
from .forms import GalleryFilterForm

PER_PAGE = 12
# Photos change seldom, but an officer may hide one: browsers keep it an hour at most.
PHOTO_MAX_AGE = 3600
SIZES = {"nho": "thumb", "lon": "large"}


@require_GET
def gallery(request: HttpRequest) -> HttpResponse:
    place = PlaceFilterForm(request.GET)
    form = GalleryFilterForm(request.GET or None)
    filters = form.filters()
    rows = selectors.gallery_entries(unit=place.unit(), **filters)
    if form.errors:
        rows = rows.none()
    page, query = paginate(request, rows, PER_PAGE)
    return render(
        request,
        "portal/gallery/list.html",
        {
            "place": place,
            "form": form,
            "page": page,
            "query": query,
            "cards": selectors.cards(list(page.object_list)),
        },
        status=400 if form.errors else 200,
    )


@require_GET
def gallery_entry(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    entry = selectors.public_entry(public_id)
    if entry is None:
        raise Http404
    source, replications = selectors.lineage(entry)
    return render(
        request,
        "portal/gallery/entry.html",
        {
            "entry": entry,
            "card": selectors.cards([entry])[0],
            "photos": selectors.story_photos(entry),
            "source": source,
            "replications": replications,
            "decisions": list(
                entry.decisions.only("kind", "level", "form", "issuer", "issued_on", "entry_id")
            ),
        },
    )


@require_GET
def gallery_photo(request: HttpRequest, public_id: uuid.UUID, pk: int, size: str) -> FileResponse:
    """A public photo of a public entry, re-encoded without metadata (gallery.photos).

    Anything else (an entry not public, a photo not marked public or not an image, a
    missing file) answers 404, the same for all.
    """
    entry = selectors.public_entry(public_id)
    item = selectors.photo_of(entry, pk) if entry is not None and size in SIZES else None
    made = photos.rendition(item, SIZES[size]) if item is not None else None
    if made is None:
        raise Http404
    response = FileResponse(default_storage.open(made.name, "rb"), content_type=made.content_type)
    response["Cache-Control"] = f"public, max-age={PHOTO_MAX_AGE}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
