"""One page for one step of a workflow: the form on GET, the service on a valid POST.

News, consultations and dialogues (and any area with a state machine) move a record one step
at a time (approve, return, open, close, announce …). Each step's page is the same: check who
may act, say when the record's state no longer allows the step, show the form with a rule
notice, run the service on a valid POST (its refusal goes on the form, keeping what was
typed, with a 400), then go back to the record with a message. The app keeps its own policy
check and its own ``allowed`` (its transitions table); this keeps the rest in one place, with
the template ``includes/step_page.html`` that the apps' step templates extend.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .forms import apply_service, form_status


def step_page(
    request: HttpRequest,
    *,
    template: str,
    form: forms.BaseForm,
    call: Callable[[], Any],
    done: str,
    success_url: str,
    cancel_url: str,
    title: str,
    allowed: bool | None,
    notice: str = "",
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """Run *call* for a valid POST of *form* and redirect to *success_url* with *done*;
    otherwise render *template* with the form (400 when it has errors).

    *allowed* is whether the record's state allows the step now. A POST always shows the
    form: a state that changed between GET and POST is the service's refusal to tell, on
    the form, rather than a page that silently drops what was typed.
    """
    if request.method == "POST" and form.is_valid() and apply_service(form, call) is not None:
        messages.success(request, done)
        return redirect(success_url)
    return render(
        request,
        template,
        {
            **(context or {}),
            "form": form,
            "title": title,
            "allowed": allowed or request.method == "POST",
            "notice": notice,
            "cancel_url": cancel_url,
        },
        status=form_status(form),
    )
