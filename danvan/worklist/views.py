"""What needs doing for a unit's subtree, by child unit (the leader's summary in full),
and the user's notices: the list, opening one (marks it read), marking all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from danvan.accounts import policies
from danvan.core.forms import form_status
from danvan.core.http import domain_http, paginate
from danvan.units.picker import unit_filter

from . import selectors, services

PAGE_SIZE = 50
# On the home page: the most urgent items and the child units with most overdue.
HOME_ITEMS = 20
HOME_CHILDREN = 15


@login_required
@require_GET
@domain_http
def overview(request: HttpRequest) -> HttpResponse:
    """Everything to do under a unit (chosen with the unit picker; default the user's),
    the child units in pages of 50, most overdue first."""
    unit_form, unit = unit_filter(request)
    national = unit is None and policies.is_system_admin(request.user)
    context: dict[str, object] = {"unit": unit, "unit_form": unit_form, "national": national}
    if (unit is not None or national) and not unit_form.errors:
        worklist = selectors.worklist_for(
            actor=request.user, root=unit, today=timezone.localdate(), with_children=True
        )
        page, query = paginate(request, worklist.children, PAGE_SIZE)
        context.update(
            {"worklist": worklist, "children": page.object_list, "page": page, "query": query}
        )
    return render(request, "worklist/overview.html", context, status=form_status(unit_form))


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    page, query = paginate(request, selectors.notices_of(request.user), PAGE_SIZE)
    return render(request, "worklist/notices.html", {"page": page, "query": query})


@login_required
@require_GET
@domain_http
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notice read and go to its page (only a path on this site)."""
    notice = selectors.notice_get(user=request.user, pk=pk)
    services.notices_mark_read(user=request.user, ids=[notice.pk])
    target = notice.url
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect("worklist:notices")
    return HttpResponseRedirect(target)


@login_required
@require_POST
def notices_read(request: HttpRequest) -> HttpResponse:
    count = services.notices_mark_read(user=request.user)
    messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã xem.") % {"n": count})
    return redirect("worklist:notices")
