"""Consultation of citizens on drafts (Law 10/2022/QH15, art. 25–26) on the portal.

Anyone may read a draft open for opinions and send a comment; comments wait for
moderation and only published ones are shown, with their answers. A commenter's contact
is never shown here, and the name only when the commenter ticked "hiện tên" (Law
91/2025/QH15). Once reported, the page shows how the opinions were taken in. A draft
not yet opened is not on the portal (404).
"""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from danvan.consultation import selectors, services
from danvan.consultation.models import Consultation
from danvan.consultation.views import document_response
from danvan.core.forms import apply_service
from danvan.core.http import paginate

from ..forms import PlaceFilterForm
from ..throttle import throttle, too_many_page
from .forms import CommentForm

# Sending a comment: a citizen rarely sends more than a few at once.
COMMENT_RATES = ("5/10m", "50/d")
# The consultation a comment was just sent to from this browser: popped when thanked.
COMMENTED_KEY = "portal_commented"
OPEN_MAX = 50
REPORTS_PER_PAGE = 20


def _found(public_id: uuid.UUID) -> Consultation:
    found = selectors.public_consultation_get(public_id)
    if found is None:
        raise Http404
    return found


@require_GET
def consultations(request: HttpRequest) -> HttpResponse:
    place = PlaceFilterForm(request.GET)
    rows = selectors.public_consultations(unit=place.unit())
    open_now = list(
        rows.filter(state=Consultation.State.OPEN).order_by("closes_on", "-id")[:OPEN_MAX]
    )
    reported = rows.filter(state=Consultation.State.REPORTED).order_by("-reported_on", "-id")
    page, query = paginate(request, reported, REPORTS_PER_PAGE)
    return render(
        request,
        "portal/consultations.html",
        {"place": place, "open_now": open_now, "page": page, "query": query},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@throttle(group="portal.consultation", rates=COMMENT_RATES, method="POST", answer=too_many_page)
def consultation(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    found = _found(public_id)
    taking = services.is_taking_comments(found)
    form: CommentForm | None = None
    status = 200
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            done = apply_service(
                form,
                lambda: services.comment_submit(
                    actor=None,
                    consultation=found,
                    text=data["text"],
                    commenter_name=data["commenter_name"] if data["consent"] else "",
                    contact=data["contact"] if data["consent"] else "",
                    show_name=data["show_name"],
                ),
            )
            if done is not None:
                request.session[COMMENTED_KEY] = str(found.public_id)
                return redirect("portal:consultation", public_id=found.public_id)
        status = 400
    thanked = request.session.pop(COMMENTED_KEY, None) == str(found.public_id)
    if form is None and taking:
        form = CommentForm()
    return render(
        request,
        "portal/consultation.html",
        {
            "consultation": found,
            "comments": list(selectors.public_comments(found)),
            # How the opinions were taken in, in figures, once the taking is over.
            "counts": selectors.reception_counts(found)
            if found.state in (Consultation.State.CLOSED, Consultation.State.REPORTED)
            else None,
            "taking": taking,
            "thanked": thanked,
            "form": form if taking or (form is not None and form.errors) else None,
        },
        status=status,
    )


@require_GET
def consultation_document(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return document_response(_found(public_id))
