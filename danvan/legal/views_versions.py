"""Pages that add versions of rule data beside the deadline rules: the recurring duties
(DutyRule) and the figures of people's supervision (SupervisionRule), and the
administrator's "checked against the official text" action on each.

Only system administrators (Perm.LEGAL_MANAGE) reach the forms; the services check the
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
from danvan.supervision import services_rules
from danvan.supervision.forms_rules import RuleVersionForm as SupervisionRuleVersionForm
from danvan.supervision.models import SupervisionRule

from . import services
from .forms import DutyVersionForm
from .models import DutyRule
from .views import version_form_page

# -- recurring duties -----------------------------------------------------------------------


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def duty_add(request: HttpRequest) -> HttpResponse:
    return version_form_page(
        request,
        DutyVersionForm,
        services.duty_version_add,
        title=_("Thêm phiên bản quy định nghĩa vụ định kỳ"),
        done=_("Đã thêm phiên bản quy định nghĩa vụ định kỳ."),
    )


@login_required
@domain_http
@require_POST
def duty_verified(request: HttpRequest, pk: int) -> HttpResponse:
    services.duty_mark_verified(actor=request.user, rule=get_object_or_404(DutyRule, pk=pk))
    messages.success(request, _("Đã đánh dấu quy định là đã đối chiếu."))
    return redirect("legal:rules")


# -- figures of people's supervision ---------------------------------------------------------


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def supervision_rule_add(request: HttpRequest) -> HttpResponse:
    return version_form_page(
        request,
        SupervisionRuleVersionForm,
        services_rules.rule_version_add,
        title=_("Thêm phiên bản quy định giám sát, kiểm tra"),
        done=_("Đã thêm phiên bản quy định giám sát, kiểm tra."),
    )


@login_required
@domain_http
@require_POST
def supervision_rule_verified(request: HttpRequest, pk: int) -> HttpResponse:
    services_rules.rule_mark_verified(
        actor=request.user, rule=get_object_or_404(SupervisionRule, pk=pk)
    )
    messages.success(request, _("Đã đánh dấu quy định là đã đối chiếu."))
    return redirect("legal:rules")
