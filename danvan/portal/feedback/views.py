"""Feedback and petitions from citizens: sending one, following it by its lookup code, and
saying whether the answer really resolved it.

Thin doors onto cases.services (sending, the verdict) and the selectors (the progress a
code may see). Nothing personal is ever shown (domain.md §5 and §7). The lookup code
never goes into a URL: it is posted, and the device remembers it in a signed cookie
(device.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.cases import services
from danvan.cases.models import Case, Channel
from danvan.core.forms import apply_service
from danvan.portal import selectors
from danvan.portal.forms import ProvinceForm
from danvan.portal.throttle import (
    LOOKUP_RATES,
    SUBMIT_RATES,
    count_accepted,
    held_back,
    throttle,
    too_many_page,
)
from danvan.units.models import Unit

from . import device
from . import selectors as feedback_selectors
from .forms import LookupForm, SubmitForm, VerdictForm

# The lookup code shown once after sending: kept in the session, popped when shown.
SUBMITTED_KEY = "portal_submitted"
# Statuses after which the answer (and the decision number) is final, and the citizen is
# asked whether it resolved the matter.
ANSWERED = services.ANSWERED_STATUSES
SUBMIT_GROUP = "portal.submit"
LOOKUP_GROUP = "portal.lookup"
# The verdict form names its case by a signed id, not by the code: the code is never
# written back into a page. Only a lookup by code hands one out, valid for a day.
VERDICT_SALT = "danvan.portal.feedback.verdict"
VERDICT_TOKEN_AGE = 24 * 60 * 60


# --- sending feedback or a petition ---------------------------------------------------------


def _place_of(request: HttpRequest) -> tuple[Unit | None, Unit | None]:
    """The province of the sending, and the commune a place page chose (?commune=)."""
    source = request.POST if request.method == "POST" else request.GET
    province = selectors.province_by_code(source.get("province"))
    commune = None
    if province is None and request.method == "GET":
        commune = selectors.commune_by_code(request.GET.get("commune"))
        if commune is not None:
            province = commune.parent
    return province, commune


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """Step one chooses the province (skipped when a place page links here with
    ?commune=<code>); step two is the form.

    Only ACCEPTED sendings count against the address's limit (throttle.over_limit and
    count_accepted): a refused form costs nothing, and past the limit the form comes back
    with what was typed, status 429 and when to try again.
    """
    province, commune = _place_of(request)
    if province is None:
        # Step one: the province (a GET form; the page comes back with its communes).
        chooser = ProvinceForm(request.GET if "province" in request.GET else None)
        if chooser.is_bound:
            chooser.is_valid()
        return render(
            request,
            "portal/submit.html",
            {"chooser": chooser},
            status=400 if chooser.errors or request.method == "POST" else 200,
        )
    if request.method != "POST":
        initial = {"commune": commune.code} if commune is not None else None
        form = SubmitForm(initial=initial, province=province)
        return render(request, "portal/submit.html", {"form": form, "province": province})

    form = SubmitForm(request.POST, request.FILES, province=province)
    status = 400
    if held_back(request, form, group=SUBMIT_GROUP, rates=SUBMIT_RATES):
        status = 429
    elif form.is_valid():
        data = form.cleaned_data
        case = apply_service(
            form,
            lambda: services.case_receive(
                actor=None,
                unit=data["commune"],
                kind=data["kind"],
                channel=Channel.PORTAL,
                subject=data["subject"],
                content=data["content"],
                sender=form.sender(),
                address=data["address"].strip(),
                lat=data["lat"],
                long=data["long"],
                photos=data["photos"],
            ),
        )
        if case is not None:
            count_accepted(request, group=SUBMIT_GROUP, rates=SUBMIT_RATES)
            request.session[SUBMITTED_KEY] = {
                "code": case.lookup_code,
                "kind": case.get_kind_display(),
                "unit": case.unit.name,
                "due": case.due_date.isoformat() if case.due_date else "",
            }
            response = redirect("portal:submitted")
            device.remember(request, response, case.lookup_code)
            return response
    context = {
        "form": form,
        "province": province,
        # A browser cannot fill a file input again: say so when photos were chosen.
        "photos_lost": bool(request.FILES.getlist("photos")),
    }
    return render(request, "portal/submit.html", context, status=status)


@never_cache
@require_GET
def submitted(request: HttpRequest) -> HttpResponse:
    """The lookup code, shown once: a reload or a later visitor no longer sees it."""
    receipt = request.session.pop(SUBMITTED_KEY, None)
    due = None
    if receipt and receipt.get("due"):
        due = dt.date.fromisoformat(receipt["due"])
    return render(request, "portal/submitted.html", {"receipt": receipt, "due": due})


# --- looking up a case ------------------------------------------------------------------------


def _lookup_page(
    request: HttpRequest,
    *,
    form: LookupForm | None = None,
    progress: Any = None,
    verdict_form: VerdictForm | None = None,
    thanked: bool = False,
    expired: bool = False,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form if form is not None else LookupForm(),
        "progress": progress,
        "answered": ANSWERED,
        "device_cases": feedback_selectors.device_cases(device.codes_of(request)),
        "thanked": thanked,
        "expired": expired,
    }
    if progress is not None:
        case = progress.case
        # Give the citizen an empty form for the next lookup, not their code back.
        context["form"] = LookupForm()
        context["case_ref"] = signing.dumps(case.pk, salt=VERDICT_SALT)
        if case.status in ANSWERED:
            verdict = feedback_selectors.verdict_of(case)
            context["verdict"] = verdict
            context["verdict_open"] = verdict is None or (
                timezone.now() - verdict.created_at
                <= dt.timedelta(days=services.VERDICT_CHANGE_DAYS)
            )
            if verdict_form is None:
                initial = {"answer": verdict.answer, "comment": verdict.comment} if verdict else {}
                verdict_form = VerdictForm(initial=initial, auto_id="id_verdict_%s")
            context["verdict_form"] = verdict_form
    return render(request, "portal/lookup.html", context, status=status)


def _not_found(form: LookupForm) -> None:
    # A malformed code and an unknown one get the same answer.
    form.add_error(
        "code",
        _("Không tìm thấy hồ sơ với mã này. Hãy kiểm tra lại mã trên giấy biên nhận."),
    )


@never_cache
@require_http_methods(["GET", "POST"])
@throttle(group=LOOKUP_GROUP, rates=LOOKUP_RATES, method="POST", answer=too_many_page)
def lookup(request: HttpRequest) -> HttpResponse:
    """The code is sent by POST, so that it stays out of server logs and referrers.

    Every attempt counts against the address's limit: that is what keeps codes unguessable.
    """
    if request.method != "POST":
        return _lookup_page(request)
    data: Any = request.POST
    if "device_item" in data:
        # A button of the device's list: the code comes from the signed cookie, so it is
        # not even in the page.
        codes = device.codes_of(request)
        index = data.get("device_item", "")
        if not (index.isascii() and index.isdigit()) or int(index) >= len(codes):
            return redirect("portal:lookup")
        data = data.copy()
        data["code"] = codes[int(index)]
    form = LookupForm(data)
    if not form.is_valid():
        return _lookup_page(request, form=form, status=400)
    code = form.cleaned_data["code"]
    progress = selectors.case_progress(code)
    if progress is None:
        _not_found(form)
        return _lookup_page(request, form=form, status=404)
    return _lookup_page(request, progress=progress)


@never_cache
@require_POST
@throttle(group=LOOKUP_GROUP, rates=LOOKUP_RATES, method="POST", answer=too_many_page)
def verdict(request: HttpRequest) -> HttpResponse:
    """ "Was it resolved?": the holder of the code answers, once the case is answered."""
    progress = None
    try:
        pk = int(
            signing.loads(
                request.POST.get("case_ref", ""), salt=VERDICT_SALT, max_age=VERDICT_TOKEN_AGE
            )
        )
    except (signing.BadSignature, TypeError, ValueError):
        pk = None
    if pk is not None:
        code = feedback_selectors.lookup_code_of(pk)
        if code is not None:
            progress = selectors.case_progress(code)
    if progress is None:
        return _lookup_page(request, expired=True, status=400)
    verdict_form = VerdictForm(request.POST, auto_id="id_verdict_%s")
    case: Case = progress.case
    if verdict_form.is_valid():
        done = apply_service(
            verdict_form,
            lambda: services.citizen_verdict_record(
                actor=None,
                case=case,
                answer=verdict_form.cleaned_data["answer"],
                comment=verdict_form.cleaned_data["comment"],
            ),
        )
        if done is not None:
            return _lookup_page(request, progress=progress, thanked=True)
    return _lookup_page(request, progress=progress, verdict_form=verdict_form, status=400)


@require_POST
def forget(request: HttpRequest) -> HttpResponse:
    """Forget this device's codes ("Quên trên thiết bị này"); the cases stay as they are."""
    response = redirect("portal:lookup")
    device.forget(response)
    return response


@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo a moderator published, of a case whose summary is published: else 404."""
    item = feedback_selectors.public_photo(pk)
    if item is None:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=item.content_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
