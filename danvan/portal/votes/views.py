"""Citizens decide (Law 10/2022/QH15): online votes and published results on the portal.

A household votes with the one-time code its village handed out; the page confirms that
the vote was recorded, never how. A published result shows only the counts: no page
here ever names a household (domain.md §3). A vote that is neither open online nor
published is not on the portal (404).
"""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from danvan.core.forms import apply_service
from danvan.core.http import paginate
from danvan.democracy import charts, services
from danvan.democracy import selectors as democracy_selectors
from danvan.democracy.models import Method, Vote
from danvan.units.selectors import rows_under

from ..forms import PlaceFilterForm
from ..throttle import throttle, too_many_page
from . import selectors
from .forms import VoteCastForm

# Casting a vote: a household votes once; these limits keep codes from being guessed.
VOTE_RATES = ("10/m", "200/d")
# The vote just cast on this browser: popped when the thank-you is shown.
VOTED_KEY = "portal_voted"
OPEN_MAX = 50
RESULTS_PER_PAGE = 20


@require_GET
def votes(request: HttpRequest) -> HttpResponse:
    place = PlaceFilterForm(request.GET)
    rows = selectors.public_votes()
    unit = place.unit()
    if unit is not None:
        rows = rows_under(rows, unit, field="matter__unit")
    today = services.today()
    open_votes = list(rows.filter(selectors.open_q(today)).order_by("-opened_on", "-id")[:OPEN_MAX])
    published = rows.filter(published_at__isnull=False).order_by("-published_at", "-id")
    page, query = paginate(request, published, RESULTS_PER_PAGE)
    return render(
        request,
        "portal/votes.html",
        {"place": place, "open_votes": open_votes, "page": page, "query": query},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@throttle(group="portal.vote", rates=VOTE_RATES, method="POST", answer=too_many_page)
def vote(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    today = services.today()
    found = selectors.public_votes().filter(public_id=public_id).first()
    if found is None:
        raise Http404
    if request.method == "POST":
        # A household whose page was opened before the vote closed gets the reason,
        # not a missing page; other votes were never on the portal.
        if found.method != Method.ONLINE or found.opened_on > today:
            raise Http404
        return _cast(request, found)
    if found.published_at is not None:
        # The published result, drawn against the line it had to pass (half of all households).
        turnout = charts.turnout(democracy_selectors.vote_tally(found))
        return render(
            request, "portal/vote.html", {"vote": found, "state": "result", "turnout": turnout}
        )
    if not selectors.is_open_online(found, today):
        raise Http404
    voted = request.session.pop(VOTED_KEY, None) == str(found.public_id)
    return render(
        request,
        "portal/vote.html",
        {
            "vote": found,
            "state": "voted" if voted else "open",
            "form": None if voted else VoteCastForm(),
        },
    )


def _cast(request: HttpRequest, found: Vote) -> HttpResponse:
    form = VoteCastForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ballot = apply_service(
            form,
            lambda: services.vote_cast_online(vote=found, code=data["code"], choice=data["choice"]),
        )
        if ballot is not None:
            request.session[VOTED_KEY] = str(found.public_id)
            return redirect("portal:vote", public_id=found.public_id)
    found.refresh_from_db()
    state = "open" if selectors.is_open_online(found, services.today()) else "closed"
    return render(
        request, "portal/vote.html", {"vote": found, "state": state, "form": form}, status=400
    )


@require_GET
def vote_short(request: HttpRequest, short: str) -> HttpResponse:
    """The short address printed on a vote-code slip (and in its QR code): it names the
    vote only, and leads to its page, where the household types its code (democracy.slips
    says why the code is never in a URL)."""
    found = selectors.vote_by_short(short)
    if found is None:
        raise Http404
    return redirect("portal:vote", public_id=found.public_id)
