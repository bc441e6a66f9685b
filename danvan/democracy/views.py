"""The officer's pages of grassroots democracy (mounted at /dan-chu/): matters citizens
decide, their votes, tallies, one-time codes of online votes, and the minutes.

Thin doors onto selectors (reads) and services (writes). A matter or vote out of sight
answers 404 like a missing one; an action not allowed answers 403; a form a service
refuses comes back with HTTP 400 and the message beside its field.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import DomainError, PermissionDenied
from danvan.core.forms import apply_service, form_status
from danvan.core.http import domain_http, paginate
from danvan.units.picker import unit_filter

from . import charts, selectors, services, slips
from .forms import CodesForm, MatterForm, TallyForm, VoteOpenForm
from .minutes import minutes_docx, minutes_filename
from .models import Matter, Method, Outcome, Vote

PER_PAGE = 30
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def portal_vote_path(vote: Vote) -> str:
    """Where households vote with their code. The portal's page ("portal:vote") is built
    elsewhere and may not be mounted yet, so the path is written out here."""
    return f"/cong-dan/bieu-quyet/{vote.public_id}/"


# -- matters -------------------------------------------------------------------------------


@login_required
@domain_http
@require_GET
def matters(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not policies.has_perm_anywhere(user, Perm.DEMOCRACY_VIEW):
        raise PermissionDenied()
    # The picked unit, else the working one; none for a national user: the whole country.
    unit_form, unit = unit_filter(request)
    matters = selectors.matters_under(user=user, unit=unit)
    if unit_form.errors:
        matters = matters.none()
    page, query = paginate(request, matters, PER_PAGE)
    rows = [
        {
            "matter": m,
            "method": Method(m.latest_method).label if m.latest_method else None,
            "outcome": m.latest_outcome,
            "outcome_label": Outcome(m.latest_outcome).label if m.latest_outcome else None,
        }
        for m in page.object_list
    ]
    return render(
        request,
        "democracy/matters.html",
        {
            "unit": unit,
            "unit_form": unit_form,
            "page": page,
            "query": query,
            "rows": rows,
            "can_create": policies.has_perm_anywhere(user, Perm.DEMOCRACY_MANAGE),
        },
        status=form_status(unit_form),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def matter_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not policies.has_perm_anywhere(actor, Perm.DEMOCRACY_MANAGE):
        raise PermissionDenied()
    form = MatterForm(request.POST or None, user=actor, initial={"raised_on": services.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = apply_service(
            form,
            lambda: services.matter_raise(
                actor=actor,
                unit=data["unit"],
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                raised_on=data["raised_on"],
            ),
        )
        if done is not None:
            messages.success(request, _("Đã đưa ra việc “%(t)s”.") % {"t": done.title})
            return redirect(done)
    return render(
        request,
        "democracy/matter_form.html",
        {
            "form": form,
            "no_villages": not selectors.manageable_villages(actor).exists(),
        },
        status=form_status(form),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def matter_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    matter = selectors.matter_get(user=actor, public_id=public_id)
    can_manage = policies.has_perm(actor, Perm.DEMOCRACY_MANAGE, matter.unit)
    form: VoteOpenForm | None = None
    if request.method == "POST":
        policies.require(actor, Perm.DEMOCRACY_MANAGE, matter.unit)
    if can_manage:
        form = VoteOpenForm(
            request.POST or None, matter=matter, initial={"opened_on": services.today()}
        )
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        done = apply_service(form, lambda: services.vote_open(actor=actor, matter=matter, **data))
        if done is not None:
            messages.success(
                request, _("Đã mở biểu quyết: %(m)s.") % {"m": done.get_method_display()}
            )
            return redirect(done)
    return _matter_page(request, matter, form)


def _matter_page(request: HttpRequest, matter: Matter, form: VoteOpenForm | None) -> HttpResponse:
    votes = selectors.matter_votes(matter)
    return render(
        request,
        "democracy/matter_detail.html",
        {
            "matter": matter,
            "unit": matter.unit,
            "votes": [(v, selectors.vote_tally(v)) for v in votes],
            "form": form,
        },
        status=form_status(form),
    )


# -- votes ---------------------------------------------------------------------------------


def _vote_page(
    request: HttpRequest,
    vote: Vote,
    *,
    tally_form: TallyForm | None = None,
    codes_form: CodesForm | None = None,
    preview: bool = False,
) -> HttpResponse:
    actor = request.user
    can_manage = policies.has_perm(actor, Perm.DEMOCRACY_MANAGE, vote.matter.unit)
    online = vote.method == Method.ONLINE
    if can_manage and vote.is_open:
        if not online and tally_form is None:
            tally_form = TallyForm(
                initial={
                    "present": vote.households_present,
                    "agree": vote.agree,
                    "disagree": vote.disagree,
                }
            )
        if online and codes_form is None:
            codes_form = CodesForm()
    tally = selectors.vote_tally(vote)
    return render(
        request,
        "democracy/vote_detail.html",
        {
            "vote": vote,
            "matter": vote.matter,
            "unit": vote.matter.unit,
            "tally": tally,
            "turnout": charts.turnout(tally),
            "can_manage": can_manage,
            "tally_form": tally_form,
            "codes_form": codes_form,
            # The household list read from the paste or file, line by line, before any
            # code is issued (a preview, or the lines to correct).
            "household_rows": codes_form.parsed if codes_form is not None else None,
            "preview": preview,
            "codes_issued": vote.codes.count() if online else None,
            "portal_url": request.build_absolute_uri(portal_vote_path(vote)),
        },
        status=form_status(tally_form, codes_form),
    )


@login_required
@domain_http
@require_GET
def vote_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    vote = selectors.vote_get(user=request.user, public_id=public_id)
    return _vote_page(request, vote)


@login_required
@domain_http
@require_GET
def vote_tally(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The tally alone, polled by htmx every 10 seconds while an online vote is open."""
    vote = selectors.vote_get(user=request.user, public_id=public_id)
    tally = selectors.vote_tally(vote)
    response = render(
        request,
        "democracy/_tally.html",
        {"vote": vote, "tally": tally, "turnout": charts.turnout(tally)},
    )
    add_never_cache_headers(response)
    return response


def _managed_vote(request: HttpRequest, public_id: uuid.UUID) -> Vote:
    vote = selectors.vote_get(user=request.user, public_id=public_id)
    policies.require(request.user, Perm.DEMOCRACY_MANAGE, vote.matter.unit)
    return vote


@login_required
@domain_http
@require_POST
def vote_record(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    vote = _managed_vote(request, public_id)
    form = TallyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = apply_service(
            form,
            lambda: services.vote_record_tally(
                actor=actor,
                vote=vote,
                present=data["present"],
                agree=data["agree"],
                disagree=data["disagree"],
            ),
        )
        if done is not None:
            messages.success(request, _("Đã ghi kết quả kiểm phiếu."))
            return redirect(done)
    return _vote_page(request, vote, tally_form=form)


@login_required
@domain_http
@require_POST
def vote_codes(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Issue one-time codes and show them once, to be printed: they are not kept.

    The page's first button (step=preview) only reads the pasted or uploaded list and
    shows it line by line; the officer then confirms with step=issue. Any problem in the
    list issues nothing and shows the list again as it was sent.
    """
    actor = request.user
    vote = _managed_vote(request, public_id)
    form = CodesForm(request.POST, request.FILES, vote=vote)
    valid = form.is_valid()
    if valid and request.POST.get("step") == "preview":
        return _vote_page(request, vote, codes_form=form, preview=True)
    if valid:
        households = form.cleaned_data["households"]
        codes = apply_service(
            form,
            lambda: services.vote_issue_codes(actor=actor, vote=vote, households=households),
        )
        if codes is not None:
            vote.refresh_from_db(fields=["short_code"])
            short_url = request.build_absolute_uri(slips.short_path(vote))
            response = render(
                request,
                "democracy/codes.html",
                {
                    "vote": vote,
                    "matter": vote.matter,
                    "unit": vote.matter.unit,
                    "codes": codes,
                    "portal_url": request.build_absolute_uri(portal_vote_path(vote)),
                    "short_url": short_url,
                    "qr": slips.qr_symbol(short_url),
                },
            )
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store"
            return response
    return _vote_page(request, vote, codes_form=form)


def _simple_action(request: HttpRequest, public_id: uuid.UUID, action: str) -> HttpResponse:
    actor = request.user
    vote = _managed_vote(request, public_id)
    try:
        if action == "close":
            vote = services.vote_close(actor=actor, vote=vote)
            messages.success(
                request,
                _("Đã kết thúc biểu quyết: %(o)s.") % {"o": vote.get_outcome_display()},
            )
        else:
            vote = services.vote_publish(actor=actor, vote=vote)
            messages.success(request, _("Đã công khai kết quả biểu quyết."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(vote)


@login_required
@domain_http
@require_POST
def vote_close(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _simple_action(request, public_id, "close")


@login_required
@domain_http
@require_POST
def vote_publish(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _simple_action(request, public_id, "publish")


@login_required
@domain_http
@require_GET
def minutes(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    vote = selectors.vote_get(user=request.user, public_id=public_id)
    if vote.is_open:
        messages.error(request, _("Chỉ lập biên bản sau khi kết thúc biểu quyết."))
        return redirect(vote)
    response = HttpResponse(minutes_docx(vote), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{minutes_filename(vote)}"'
    response["Cache-Control"] = "private, no-cache"
    return response
