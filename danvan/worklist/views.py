"""The user's notices: the list, opening one (marks it read), marking all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from danvan.core.http import domain_http, paginate

from . import selectors, services

PAGE_SIZE = 50


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    page, _query = paginate(request, selectors.notices_of(request.user), PAGE_SIZE)
    return render(request, "worklist/notices.html", {"page": page})


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
