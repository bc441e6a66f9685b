"""Pages that change the catalogue of contents to disclose: a new version of a kind and
the administrator's "checked against the official text" action.

The catalogue is national rule data like the legal rules, so only system administrators
(Perm.LEGAL_MANAGE) reach these pages; the services check the same permission again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from danvan.core.http import domain_http
from danvan.legal.views import version_form_page

from ..models import DisclosureKind
from . import services
from .forms import KindVersionForm


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def kind_add(request: HttpRequest) -> HttpResponse:
    # ?from=<pk>: start from that version (e.g. to correct a title), only the date to set.
    initial = None
    source = request.GET.get("from", "")
    if source.isdigit():
        kind = get_object_or_404(DisclosureKind, pk=int(source))
        fields = (
            "unit_kind",
            "number",
            "title",
            "mandatory",
            "loudspeaker_min_days",
            "posting_min_days",
            "posting_to_verify",
            "citation",
            "to_verify",
            "note",
        )
        initial = {name: getattr(kind, name) for name in fields}
    return version_form_page(
        request,
        KindVersionForm,
        services.kind_version_add,
        title=_("Thêm phiên bản nội dung phải công khai"),
        done=_("Đã thêm phiên bản nội dung phải công khai."),
        back="disclosure:catalogue",
        initial=initial,
    )


@login_required
@domain_http
@require_POST
def kind_verified(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a kind checked; with flag=posting, only its posting period."""
    services.kind_mark_verified(
        actor=request.user,
        kind=get_object_or_404(DisclosureKind, pk=pk),
        posting=request.POST.get("flag") == "posting",
    )
    messages.success(request, _("Đã đánh dấu quy định là đã đối chiếu."))
    return redirect("disclosure:catalogue")
