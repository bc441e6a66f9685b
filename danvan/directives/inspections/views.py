"""The inspection pages, mounted at /kiem-tra/: thin doors onto selectors and services.

A record out of sight answers 404 like a missing one; an action not allowed answers 403
and is not shown; a form a service refuses comes back with HTTP 400, what was typed kept
and the message beside its field.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import DomainError, PermissionDenied
from danvan.core.forms import apply_service, form_status
from danvan.core.http import domain_http, paginate
from danvan.directives.tasks.selectors import Day
from danvan.units.models import Unit
from danvan.units.pages import required_unit, with_unit
from danvan.units.picker import national_view, unit_filter

from . import policies as inspection_policies
from . import selectors, services
from .forms import (
    AnswerForm,
    ConclusionForm,
    FindingForm,
    InspectionForm,
    PlanFilterForm,
    PlanForm,
    RecommendationFilterForm,
    RecommendationForm,
    TargetForm,
    TeamMemberForm,
)
from .models import Inspection, InspectionPlan

PER_PAGE = 50


def _form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    cancel_url: str,
    unit: Unit | None = None,
    plan: InspectionPlan | None = None,
    inspection: Inspection | None = None,
    allowed: bool | None = None,
    multipart: bool = False,
    submit_label: str = "",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    return render(
        request,
        "inspections/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "unit": unit or (plan.unit if plan else None),
            "plan": plan,
            "inspection": inspection,
            "allowed": allowed,
            "multipart": multipart,
            "submit_label": submit_label or _("Lưu"),
            **(context or {}),
        },
        status=form_status(form),
    )


# -- plans --------------------------------------------------------------------------------


@login_required
@domain_http
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    unit_form, unit = unit_filter(request, purpose=Perm.DIRECTIVE_VIEW)
    filters = PlanFilterForm(request.GET or None)
    year = None
    if filters.is_bound and filters.is_valid():
        year = filters.cleaned_data.get("year")
    national = national_view(request.user, unit_form, unit, Perm.DIRECTIVE_VIEW)
    context: dict[str, Any] = {
        "unit": unit,
        "unit_form": unit_form,
        "filters": filters,
        "national": national,
        "year": year,
    }
    if unit is not None or national:
        plans = selectors.plans_for_unit(user=request.user, unit=unit, year=year)
        page, query = paginate(request, plans, PER_PAGE)
        context.update(
            {
                "summary": selectors.summary(plans),
                "page": page,
                "query": query,
                "rows": list(page.object_list),
                "recommendations_url": (
                    with_unit("inspections:recommendations", unit)
                    if unit
                    else reverse("inspections:recommendations")
                ),
            }
        )
    if unit is not None and policies.has_perm(request.user, Perm.DIRECTIVE_MANAGE, unit):
        context["create_url"] = with_unit("inspections:plan_create", unit)
    status = form_status(unit_form, filters)
    return render(request, "inspections/plan_list.html", context, status=status)


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    unit = required_unit(request)
    policies.require(actor, Perm.DIRECTIVE_MANAGE, unit)
    initial = {"year": Day.now().today.year + 1}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form, lambda: services.plan_create(actor=actor, unit=unit, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, _("Đã ghi nhận kế hoạch kiểm tra, giám sát."))
            return redirect(done.get_absolute_url())
    return _form_page(
        request,
        form,
        title=_("Thêm kế hoạch kiểm tra, giám sát"),
        unit=unit,
        cancel_url=with_unit("inspections:plans", unit),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def plan_update(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    plan = selectors.plan_get(user=actor, public_id=public_id)
    if not inspection_policies.can_manage(actor, plan):
        raise PermissionDenied(unit=plan.unit)
    initial = {
        "year": plan.year,
        "kind": plan.kind,
        "title": plan.title,
        "decision_number": plan.decision_number,
        "approved_on": plan.approved_on,
        "note": plan.note,
    }
    form = PlanForm(request.POST or None, initial=initial, plan=plan)
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form, lambda: services.plan_update(actor=actor, plan=plan, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, _("Đã lưu kế hoạch."))
            return redirect(done.get_absolute_url())
    return _form_page(
        request, form, title=_("Sửa kế hoạch"), plan=plan, cancel_url=plan.get_absolute_url()
    )


@login_required
@domain_http
@require_GET
def plan_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, public_id=public_id)
    can_manage = inspection_policies.can_manage(request.user, plan)
    return render(
        request,
        "inspections/plan_detail.html",
        {
            "plan": plan,
            "unit": plan.unit,
            "inspections": selectors.plan_inspections(plan),
            "can_manage": can_manage,
        },
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def inspection_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    plan = selectors.plan_get(user=actor, public_id=public_id)
    if not inspection_policies.can_manage(actor, plan):
        raise PermissionDenied(unit=plan.unit)
    form = InspectionForm(request.POST or None, actor=actor, plan=plan)
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form, lambda: services.inspection_create(actor=actor, plan=plan, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, _("Đã thêm cuộc kiểm tra, giám sát."))
            return redirect(done.get_absolute_url())
    return _form_page(
        request,
        form,
        title=_("Thêm cuộc kiểm tra, giám sát"),
        plan=plan,
        cancel_url=plan.get_absolute_url(),
    )


# -- one inspection -----------------------------------------------------------------------


@login_required
@domain_http
@require_GET
def inspection_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = request.user
    view = selectors.inspection_view(user=user, public_id=public_id, day=Day.now())
    inspection = view.inspection
    manage = view.whole and inspection_policies.can_manage(user, inspection.plan)
    can = {
        action: manage and services.allowed(action, inspection) for action in services.TRANSITIONS
    }
    answerable = {
        rec.pk
        for t in view.targets
        if policies.has_perm(user, Perm.TASK_REPORT, t.target.unit)
        for rec, _status in t.recommendations
    }
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "view": view,
            "inspection": inspection,
            "plan": inspection.plan,
            "unit": inspection.plan.unit,
            "can": can,
            "answerable": answerable,
        },
    )


def _managed(request: HttpRequest, public_id: uuid.UUID) -> Inspection:
    """The inspection, for a change by the inspecting side (403 for the inspected)."""
    inspection, whole, _targets = selectors.inspection_get(user=request.user, public_id=public_id)
    if not whole or not inspection_policies.can_manage(request.user, inspection.plan):
        raise PermissionDenied(unit=inspection.plan.unit)
    return inspection


def _step(
    request: HttpRequest,
    public_id: uuid.UUID,
    *,
    action: str,
    form_class: Callable[..., forms.BaseForm],
    run: Callable[[Inspection, dict[str, Any]], Any],
    title: str,
    done_message: str,
    form_kwargs: Callable[[Inspection], dict[str, Any]] | None = None,
    multipart: bool = False,
) -> HttpResponse:
    """One step of an inspection: its form (GET), its service (POST)."""
    inspection = _managed(request, public_id)
    posted = request.method == "POST"
    extra = form_kwargs(inspection) if form_kwargs else {}
    form = form_class(request.POST if posted else None, request.FILES if posted else None, **extra)
    if posted and form.is_valid():
        done = apply_service(form, lambda: run(inspection, dict(form.cleaned_data)))
        if done is not None:
            messages.success(request, done_message)
            return redirect(inspection.get_absolute_url())
    return _form_page(
        request,
        form,
        title=title,
        plan=inspection.plan,
        inspection=inspection,
        cancel_url=inspection.get_absolute_url(),
        allowed=services.allowed(action, inspection),
        multipart=multipart,
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def team_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    return _step(
        request,
        public_id,
        action="team",
        form_class=TeamMemberForm,
        form_kwargs=lambda i: {"inspection": i},
        run=lambda i, data: services.team_member_add(actor=actor, inspection=i, **data),
        title=_("Thêm thành viên đoàn"),
        done_message=_("Đã thêm thành viên đoàn."),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def target_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    return _step(
        request,
        public_id,
        action="target",
        form_class=TargetForm,
        form_kwargs=lambda i: {"actor": actor, "inspection": i},
        run=lambda i, data: services.target_add(actor=actor, inspection=i, **data),
        title=_("Thêm đơn vị được kiểm tra, giám sát"),
        done_message=_("Đã thêm đơn vị."),
    )


def _finding(actor: Any, inspection: Inspection, data: dict[str, Any]) -> Any:
    target = data.pop("target")
    return services.finding_record(actor=actor, target=target, **data)


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def finding_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    return _step(
        request,
        public_id,
        action="finding",
        form_class=FindingForm,
        form_kwargs=lambda i: {
            "actor": actor,
            "inspection": i,
            "targets": list(i.targets.select_related("unit")),
        },
        run=lambda i, data: _finding(actor, i, data),
        title=_("Ghi phát hiện"),
        done_message=_("Đã ghi phát hiện."),
    )


def _recommend(actor: Any, inspection: Inspection, data: dict[str, Any]) -> Any:
    target = data.pop("target")
    return services.recommendation_record(actor=actor, target=target, **data)


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def recommendation_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    return _step(
        request,
        public_id,
        action="recommend",
        form_class=RecommendationForm,
        form_kwargs=lambda i: {"inspection": i},
        run=lambda i, data: _recommend(actor, i, data),
        title=_("Ghi kiến nghị"),
        done_message=_("Đã ghi kiến nghị và giao nhiệm vụ cho đơn vị."),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def conclude(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    return _step(
        request,
        public_id,
        action="conclude",
        form_class=ConclusionForm,
        form_kwargs=lambda i: {"inspection": i},
        run=lambda i, data: services.inspection_conclude(actor=actor, inspection=i, **data),
        title=_("Ghi kết luận"),
        done_message=_("Đã ghi kết luận."),
        multipart=True,
    )


@login_required
@domain_http
@require_POST
def start(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    inspection = _managed(request, public_id)
    try:
        services.inspection_start(actor=request.user, inspection=inspection)
    except PermissionDenied:
        raise
    except DomainError as exc:
        for problem in exc.problems:
            messages.error(request, problem.message)
    else:
        messages.success(request, _("Đoàn đã bắt đầu làm việc."))
    return redirect(inspection.get_absolute_url())


@login_required
@domain_http
@require_GET
def report_file(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The report's file, streamed after the visibility check (the inspecting side)."""
    inspection, whole, _targets = selectors.inspection_get(user=request.user, public_id=public_id)
    field = inspection.report_file
    if not whole or not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = (field.name or "").rsplit("/", 1)[-1].split("-", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)


# -- the inspected unit -------------------------------------------------------------------


@login_required
@domain_http
@require_GET
def recommendations(request: HttpRequest) -> HttpResponse:
    """Kiến nghị sau kiểm tra, giám sát đối với đơn vị: only the unit's own."""
    unit_form, unit = unit_filter(request, purpose=Perm.DIRECTIVE_VIEW)
    filters = RecommendationFilterForm(request.GET or None)
    unanswered = bool(
        filters.is_bound and filters.is_valid() and filters.cleaned_data["unanswered"]
    )
    national = national_view(request.user, unit_form, unit, Perm.DIRECTIVE_VIEW)
    context: dict[str, Any] = {
        "unit": unit,
        "unit_form": unit_form,
        "filters": filters,
        "national": national,
    }
    if unit is not None or national:
        qs = selectors.recommendations_for_unit(user=request.user, unit=unit, unanswered=unanswered)
        page, query = paginate(request, qs, PER_PAGE)
        rows = selectors.with_status(list(page.object_list), Day.now())
        context.update(
            {
                "page": page,
                "query": query,
                "rows": rows,
                "answerable": {
                    rec.pk
                    for rec, _s in rows
                    if policies.has_perm(request.user, Perm.TASK_REPORT, rec.target.unit)
                },
            }
        )
    status = form_status(unit_form, filters)
    return render(request, "inspections/recommendations.html", context, status=status)


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    rec = selectors.recommendation_get(user=actor, public_id=public_id)
    if not inspection_policies.can_answer(actor, rec):
        raise PermissionDenied(unit=rec.target.unit)
    form = AnswerForm(request.POST or None, initial={"answer": rec.answer})
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form,
            lambda: services.recommendation_answer(
                actor=actor, recommendation=rec, answer=form.cleaned_data["answer"]
            ),
        )
        if done is not None:
            messages.success(request, _("Đã ghi trả lời kiến nghị."))
            return redirect(with_unit("inspections:recommendations", rec.target.unit))
    return _form_page(
        request,
        form,
        title=_("Trả lời kiến nghị"),
        unit=rec.target.unit,
        cancel_url=with_unit("inspections:recommendations", rec.target.unit),
        context={"recommendation": rec},
    )
