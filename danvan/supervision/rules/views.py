"""The system administrator's pages of the supervision figures: a new version, and the
"checked against the official text" action. Routed by danvan.legal.urls (the figures are
listed on the legal rules page, /quy-dinh/), with the legal app's form page.

Only system administrators (Perm.LEGAL_MANAGE) reach the form; the services check the
same permission again, so a POST that skips the form is refused too.
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

from ..models import SupervisionRule
from . import services
from .forms import RuleVersionForm


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def rule_add(request: HttpRequest) -> HttpResponse:
    return version_form_page(
        request,
        RuleVersionForm,
        services.rule_version_add,
        title=_("Thêm phiên bản quy định giám sát, kiểm tra"),
        done=_("Đã thêm phiên bản quy định giám sát, kiểm tra."),
    )


@login_required
@domain_http
@require_POST
def rule_verified(request: HttpRequest, pk: int) -> HttpResponse:
    services.rule_mark_verified(actor=request.user, rule=get_object_or_404(SupervisionRule, pk=pk))
    messages.success(request, _("Đã đánh dấu quy định là đã đối chiếu."))
    return redirect("legal:rules")
