"""The audit browser: read-only. There is no page that changes or deletes an event."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core import exceptions as django_exceptions
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from danvan.core.errors import PermissionDenied
from danvan.core.http import paginate

from . import display, selectors
from .forms import AuditFilterForm

# An event lists every field it set or changed (a created record: all of them), so a page
# of 25 keeps a province's trail under the ~100 KB a page may weigh (issue 10).
EVENTS_PER_PAGE = 25


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    try:
        # Asked first so that a user with no audit right anywhere gets 403, filters or not.
        selectors.audit_scope_q(request.user)
    except PermissionDenied as exc:
        raise django_exceptions.PermissionDenied(exc.message) from exc
    form = AuditFilterForm(request.GET or None, actor=request.user)
    if form.is_bound and not form.is_valid():
        events = selectors.audit_event_list(actor=request.user).none()
    else:
        filters = form.cleaned_data if form.is_bound else {}
        events = selectors.audit_event_list(
            actor=request.user,
            unit=filters.get("unit"),
            username=filters.get("user"),
            model_label=filters.get("model_label"),
            object_pk=filters.get("object_pk"),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
        )
    page, query = paginate(request, events, EVENTS_PER_PAGE)
    # Field names, choices, related records' names and dates as people know them, for
    # the whole page at once (one query per kind of related record).
    events_shown = list(page.object_list)
    lines = display.change_lines(events_shown)
    rows = [(event, lines[event.pk]) for event in events_shown]
    return render(
        request, "audit/list.html", {"form": form, "page": page, "query": query, "rows": rows}
    )
