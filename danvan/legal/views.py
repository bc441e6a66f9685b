"""Pages of legal rule data: every officer whose work these rules date (Perm.LEGAL_VIEW:
officers, leaders, inspectors, reviewers, administrators) reads every rule with its
citation and to-verify flag, as the reference; system administrators add versions (of
the deadline rules and the recurring duties) and days off, and confirm a version against
the official text. The supervision figures' pages live with their data
(danvan.supervision.rules.views) and are routed here, beside the other rules."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.forms import apply_service
from danvan.core.http import domain_http
from danvan.supervision.models import SupervisionRule

from . import services
from .forms import CalendarExceptionForm, DutyVersionForm, LayoutVersionForm, RuleVersionForm
from .models import CalendarException, DeadlineRule, DocumentLayout, DutyRule, LayoutFamily


def _require_view(request: HttpRequest) -> None:
    if not policies.has_perm_anywhere(request.user, Perm.LEGAL_VIEW):
        raise HttpForbidden(
            _("Bảng quy định dành cho cán bộ làm việc theo các thời hạn, nghĩa vụ trong đó.")
        )


def _can_manage(request: HttpRequest) -> bool:
    return policies.has_perm(request.user, Perm.LEGAL_MANAGE, None)


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    rows = DeadlineRule.objects.all()
    duties = DutyRule.objects.all()
    # The figures of people's supervision are rule data too (Law 10/2022/QH15) and had
    # no page of their own: readers see them here, administrators check them.
    supervision_rules = SupervisionRule.objects.all()
    # The layouts of official documents the Word writer follows (legal.officialdoc).
    layouts = DocumentLayout.objects.all()
    return render(
        request,
        "legal/rules.html",
        {
            "rules": rows,
            "duties": duties,
            "supervision_rules": supervision_rules,
            "layouts": layouts,
            "layout_families": LayoutFamily.choices,
            "to_verify_count": sum(1 for r in rows if r.to_verify)
            + sum(1 for d in duties if d.to_verify)
            + sum(1 for s in supervision_rules if s.to_verify)
            + sum(1 for lay in layouts if lay.to_verify),
            "days": CalendarException.objects.all(),
            "can_manage": _can_manage(request),
        },
    )


def version_form_page(
    request: HttpRequest,
    form_class: type[forms.BaseForm],
    add: Callable[..., object],
    *,
    title: str,
    done: str,
    back: str = "legal:rules",
    initial: dict[str, object] | None = None,
) -> HttpResponse:
    """A system administrator's form that adds one row of rule data through *add* (a
    service taking the form's fields as keyword arguments), then returns to the page
    named *back*. A refusal of the service comes back beside its field, with HTTP 400.
    *initial* fills the form (a new version starting from the one in force)."""
    if not _can_manage(request):
        raise HttpForbidden(_("Chỉ quản trị hệ thống được sửa quy định pháp lý."))
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: add(actor=request.user, **data)) is not None:
            messages.success(request, done)
            return redirect(back)
    return render(
        request,
        "legal/form.html",
        {"form": form, "title": title, "cancel_url": reverse(back)},
        status=400 if form.errors else 200,
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def rule_add(request: HttpRequest) -> HttpResponse:
    return version_form_page(
        request,
        RuleVersionForm,
        services.rule_version_add,
        title=_("Thêm phiên bản quy định"),
        done=_("Đã thêm phiên bản quy định."),
    )


@login_required
@domain_http
@require_POST
def rule_verified(request: HttpRequest, pk: int) -> HttpResponse:
    services.rule_mark_verified(actor=request.user, rule=get_object_or_404(DeadlineRule, pk=pk))
    messages.success(request, _("Đã đánh dấu quy định là đã đối chiếu."))
    return redirect("legal:rules")


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


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def day_add(request: HttpRequest) -> HttpResponse:
    return version_form_page(
        request,
        CalendarExceptionForm,
        services.calendar_exception_add,
        title=_("Thêm ngày nghỉ, làm bù"),
        done=_("Đã ghi ngày nghỉ, làm bù."),
    )


@login_required
@domain_http
@require_POST
def day_remove(request: HttpRequest, pk: int) -> HttpResponse:
    services.calendar_exception_remove(
        actor=request.user, day=get_object_or_404(CalendarException, pk=pk)
    )
    messages.success(request, _("Đã xóa ngày."))
    return redirect("legal:rules")


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def layout_add(request: HttpRequest) -> HttpResponse:
    """A new version of a family's layout, filled from the latest version of the family
    named in ?family= (State when none): an administrator changes only what changed."""
    family = request.GET.get("family", LayoutFamily.STATE)
    latest = DocumentLayout.objects.filter(family=family).order_by("-valid_from").first()
    initial = None
    if latest is not None:
        initial = forms.model_to_dict(latest, exclude=["id", "valid_from", "valid_to"])
    return version_form_page(
        request,
        LayoutVersionForm,
        services.layout_version_add,
        title=_("Thêm phiên bản thể thức văn bản"),
        done=_("Đã thêm phiên bản thể thức văn bản."),
        initial=initial,
    )


@login_required
@domain_http
@require_POST
def layout_verified(request: HttpRequest, pk: int) -> HttpResponse:
    services.layout_mark_verified(
        actor=request.user, layout=get_object_or_404(DocumentLayout, pk=pk)
    )
    messages.success(request, _("Đã đánh dấu quy định là đã đối chiếu."))
    return redirect("legal:rules")
