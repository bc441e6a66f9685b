"""Feedback and petitions from citizens: sending one, and following it by its lookup code.

Thin doors onto cases.services (sending) and portal.selectors (the progress a code may see).
Nothing personal is ever shown (domain.md §5 and §7).
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from danvan.cases import services
from danvan.cases.models import Channel, Status
from danvan.core.forms import apply_service
from danvan.portal import selectors
from danvan.portal.forms import ProvinceForm
from danvan.portal.throttle import LOOKUP_RATES, SUBMIT_RATES, throttle, too_many_page

from .forms import LookupForm, SubmitForm

# The lookup code shown once after sending: kept in the session, popped when shown.
SUBMITTED_KEY = "portal_submitted"
# Statuses after which the answer (and the decision number) is final.
ANSWERED = (Status.RESOLVED, Status.REFUSED, Status.WITHDRAWN)


# --- sending feedback or a petition ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
@throttle(group="portal.submit", rates=SUBMIT_RATES, method="POST", answer=too_many_page)
def submit(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    province = selectors.province_by_code(source.get("province"))
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
    form = SubmitForm(request.POST if request.method == "POST" else None, province=province)
    if request.method == "POST" and form.is_valid():
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
            ),
        )
        if case is not None:
            request.session[SUBMITTED_KEY] = {
                "code": case.lookup_code,
                "kind": case.get_kind_display(),
                "unit": case.unit.name,
                "due": case.due_date.isoformat() if case.due_date else "",
            }
            return redirect("portal:submitted")
    return render(
        request,
        "portal/submit.html",
        {"form": form, "province": province},
        status=400 if form.errors else 200,
    )


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


@never_cache
@require_http_methods(["GET", "POST"])
@throttle(group="portal.lookup", rates=LOOKUP_RATES, method="POST", answer=too_many_page)
def lookup(request: HttpRequest) -> HttpResponse:
    """The code is sent by POST, so that it stays out of server logs and referrers."""
    form = LookupForm(request.POST if request.method == "POST" else None)
    progress = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            progress = selectors.case_progress(form.cleaned_data["code"])
            if progress is None:
                # A malformed code and an unknown one get the same answer.
                form.add_error(
                    "code",
                    _("Không tìm thấy hồ sơ với mã này. Hãy kiểm tra lại mã trên giấy biên nhận."),
                )
                status = 404
        else:
            status = 400
    context = {"form": form, "progress": progress, "answered": ANSWERED}
    if progress is not None:
        # Give the citizen an empty form for the next lookup, not their code back.
        context["form"] = LookupForm()
    return render(request, "portal/lookup.html", context, status=status)
