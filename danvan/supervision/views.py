"""The supervision pages: thin doors onto selectors (reads) and services (writes).

Reading needs Perm.DEMOCRACY_VIEW on the unit, writing DEMOCRACY_MANAGE. The unit of a
list is the one named by ?unit=code, else the unit the user works in. A record out of
sight answers 404 like a missing one; an action not allowed answers 403; a form a
service refuses comes back with HTTP 400 and the message beside its field.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import NotFound
from danvan.core.forms import apply_service, form_status
from danvan.core.http import domain_http, paginate
from danvan.core.steps import step_page
from danvan.units import selectors as unit_selectors
from danvan.units.models import Unit
from danvan.units.pages import page_unit, required_unit, with_unit
from danvan.units.picker import national_view, unit_filter

from . import selectors, services
from .forms import (
    ActivityForm,
    AnswerForm,
    BoardForm,
    CloseForm,
    ConferenceForm,
    ConferencePlanForm,
    FindingForm,
    MemberForm,
    PlanForm,
    RecommendationForm,
    YearForm,
    today_initial,
)
from .models import Board, Conference, ConferencePlan, Plan, Recommendation

PER_PAGE = 50
GAPS_PER_PAGE = 25


# -- helpers ------------------------------------------------------------------------------


def _unit_under(actor: Any, unit: Unit, code: str) -> Unit:
    """The agency or enterprise typed on a form about *unit*'s subtree: one outside it is
    not found, like a missing one."""
    target = unit_selectors.unit_get(actor=actor, code=code)
    if not target.is_descendant_of(unit):
        raise NotFound(_("Không tìm thấy đơn vị mã “%(code)s”.") % {"code": code})
    return target


def _can_manage(request: HttpRequest, unit: Unit) -> bool:
    return policies.has_perm(request.user, Perm.DEMOCRACY_MANAGE, unit)


def _next(request: HttpRequest) -> str:
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return ""
    return back


def board_url(board: Board) -> str:
    return reverse("supervision:board_detail", kwargs={"public_id": board.public_id})


def plan_url(plan: Plan) -> str:
    return reverse("supervision:plan_detail", kwargs={"public_id": plan.public_id})


# -- boards -------------------------------------------------------------------------------


@login_required
@domain_http
@require_GET
def board_list(request: HttpRequest) -> HttpResponse:
    unit_form, unit = unit_filter(request)
    kind = request.GET.get("kind", "")
    if kind not in Board.Kind.values:
        kind = ""
    context: dict[str, Any] = {
        "unit": unit,
        "unit_form": unit_form,
        "kind": kind,
        "kinds": Board.Kind.choices,
    }
    # A national user without a unit sees the whole country's boards.
    national = national_view(request.user, unit_form, unit, Perm.DEMOCRACY_VIEW)
    if unit is not None or national:
        rows = selectors.boards_under(user=request.user, unit=unit, kind=kind or None)
        page, query = paginate(request, rows, PER_PAGE)
        context.update(
            {
                "national": national,
                "page": page,
                "query": query,
                "rows": selectors.board_rows(page.object_list),
            }
        )
    if unit is not None:
        context.update(
            {
                "can_create": _can_manage(request, unit),
                "create_url": with_unit("supervision:board_create", unit),
                "recommendations_url": with_unit("supervision:recommendations", unit),
                "conferences_url": with_unit("supervision:conferences", unit),
            }
        )
    return render(request, "supervision/board_list.html", context, status=form_status(unit_form))


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def board_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    unit = required_unit(request)
    policies.require(actor, Perm.DEMOCRACY_MANAGE, unit)
    form = BoardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form, lambda: services.board_create(actor=actor, unit=unit, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, _("Đã ghi nhận ban."))
            return redirect(board_url(done))
    return render(
        request,
        "supervision/form.html",
        {
            "unit": unit,
            "form": form,
            "title": _("Thêm ban giám sát"),
            "cancel_url": with_unit("supervision:boards", unit),
        },
        status=form_status(form),
    )


def _board_detail(
    request: HttpRequest,
    board: Board,
    *,
    member_form: MemberForm | None = None,
    plan_form: PlanForm | None = None,
) -> HttpResponse:
    can_manage = _can_manage(request, board.unit)
    if can_manage:
        member_form = member_form or MemberForm(board=board)
        plan_form = plan_form or PlanForm()
    context = {
        "board": board,
        "unit": board.unit,
        "row": selectors.board_rows([board])[0],
        "members": list(selectors.board_members(board)),
        "plans": selectors.board_plans(board),
        "can_manage": can_manage,
        "member_form": member_form if can_manage else None,
        "plan_form": plan_form if can_manage else None,
        "list_url": with_unit("supervision:boards", board.unit),
    }
    return render(
        request,
        "supervision/board_detail.html",
        context,
        status=form_status(member_form, plan_form),
    )


@login_required
@domain_http
@require_GET
def board_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _board_detail(request, selectors.board_get(user=request.user, public_id=public_id))


@login_required
@domain_http
@require_POST
def member_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    board = selectors.board_get(user=actor, public_id=public_id)
    policies.require(actor, Perm.DEMOCRACY_MANAGE, board.unit)
    form = MemberForm(request.POST, board=board)
    if form.is_valid() and (
        apply_service(
            form, lambda: services.member_add(actor=actor, board=board, **form.cleaned_data)
        )
        is not None
    ):
        messages.success(request, _("Đã thêm thành viên."))
        return redirect(board_url(board))
    return _board_detail(request, board, member_form=form)


@login_required
@domain_http
@require_POST
def plan_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    board = selectors.board_get(user=actor, public_id=public_id)
    policies.require(actor, Perm.DEMOCRACY_MANAGE, board.unit)
    form = PlanForm(request.POST)
    if form.is_valid():
        done = apply_service(
            form, lambda: services.plan_create(actor=actor, board=board, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, _("Đã ghi kế hoạch."))
            return redirect(plan_url(done))
    return _board_detail(request, board, plan_form=form)


# -- plans --------------------------------------------------------------------------------


def _plan_detail(
    request: HttpRequest,
    plan: Plan,
    *,
    activity_form: ActivityForm | None = None,
    finding_form: FindingForm | None = None,
    recommendation_form: RecommendationForm | None = None,
) -> HttpResponse:
    board = plan.board
    can_manage = _can_manage(request, board.unit)
    activities = selectors.plan_activities(plan)
    if can_manage:
        activity_form = activity_form or ActivityForm(initial=today_initial("date"))
        if activities:
            finding_form = finding_form or FindingForm(plan=plan)
        has_findings = any(a.findings.all() for a in activities)
        if has_findings:
            recommendation_form = recommendation_form or RecommendationForm(plan=plan)
        # One answer and one close form per recommendation, with ids of their own.
        for activity in activities:
            for finding in activity.findings.all():
                for r in finding.recommendations.all():
                    ids = f"id_r{r.pk}_%s"
                    r.answer_form = AnswerForm(auto_id=ids, initial=today_initial("answered_on"))  # type: ignore[attr-defined]
                    r.close_form = CloseForm(auto_id=ids, initial=today_initial("closed_on"))  # type: ignore[attr-defined]
    context = {
        "plan": plan,
        "board": board,
        "unit": board.unit,
        "row": selectors.plan_row(plan),
        "activities": activities,
        "can_manage": can_manage,
        "activity_form": activity_form if can_manage else None,
        "finding_form": finding_form if can_manage else None,
        "recommendation_form": recommendation_form if can_manage else None,
        "here": plan_url(plan),
    }
    return render(
        request,
        "supervision/plan_detail.html",
        context,
        status=form_status(activity_form, finding_form, recommendation_form),
    )


@login_required
@domain_http
@require_GET
def plan_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _plan_detail(request, selectors.plan_get(user=request.user, public_id=public_id))


def _plan_post(
    request: HttpRequest,
    public_id: uuid.UUID,
    *,
    make: Callable[[Plan], forms.Form],
    call: Callable[[Any, Plan, dict[str, Any]], Any],
    done: str,
    slot: str,
) -> HttpResponse:
    """A form posted from the plan page: on success back to it, else it with the errors."""
    actor = request.user
    plan = selectors.plan_get(user=actor, public_id=public_id)
    policies.require(actor, Perm.DEMOCRACY_MANAGE, plan.board.unit)
    form = make(plan)
    if form.is_valid() and (
        apply_service(form, lambda: call(actor, plan, form.cleaned_data)) is not None
    ):
        messages.success(request, done)
        return redirect(plan_url(plan))
    forms_by_slot: dict[str, Any] = {slot: form}
    return _plan_detail(request, plan, **forms_by_slot)


@login_required
@domain_http
@require_POST
def activity_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _plan_post(
        request,
        public_id,
        make=lambda plan: ActivityForm(request.POST),
        call=lambda actor, plan, data: services.activity_add(actor=actor, plan=plan, **data),
        done=_("Đã ghi hoạt động."),
        slot="activity_form",
    )


@login_required
@domain_http
@require_POST
def finding_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _plan_post(
        request,
        public_id,
        make=lambda plan: FindingForm(request.POST, plan=plan),
        call=lambda actor, plan, data: services.finding_add(actor=actor, **data),
        done=_("Đã ghi phát hiện."),
        slot="finding_form",
    )


@login_required
@domain_http
@require_POST
def recommendation_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _plan_post(
        request,
        public_id,
        make=lambda plan: RecommendationForm(request.POST, plan=plan),
        call=lambda actor, plan, data: services.recommendation_add(actor=actor, **data),
        done=_("Đã ghi kiến nghị."),
        slot="recommendation_form",
    )


# -- recommendations -----------------------------------------------------------------------


@login_required
@domain_http
@require_GET
def recommendation_list(request: HttpRequest) -> HttpResponse:
    unit = page_unit(request)
    show_all = request.GET.get("all") == "1"
    context: dict[str, Any] = {"unit": unit, "show_all": show_all}
    if unit is not None:
        rows = selectors.recommendations_under(user=request.user, unit=unit, open_only=not show_all)
        page, query = paginate(request, rows, PER_PAGE)
        context.update(
            {
                "page": page,
                "query": query,
                "recommendations": list(page.object_list),
                "open_url": with_unit("supervision:recommendations", unit),
                "all_url": with_unit("supervision:recommendations", unit, all="1"),
                "list_url": with_unit("supervision:boards", unit),
            }
        )
    return render(request, "supervision/recommendations.html", context)


def _recommendation_step(
    request: HttpRequest,
    pk: int,
    *,
    action: str,
    make: Callable[[Any], forms.Form],
    call: Callable[[Any, Recommendation, dict[str, Any]], Any],
    title: str,
    done: str,
) -> HttpResponse:
    actor = request.user
    item = selectors.recommendation_get(user=actor, pk=pk)
    plan = item.finding.activity.plan
    policies.require(actor, Perm.DEMOCRACY_MANAGE, plan.board.unit)
    form = make(request.POST or None)
    back = _next(request)
    return step_page(
        request,
        template="supervision/form.html",
        form=form,
        call=lambda: call(actor, item, form.cleaned_data),
        done=done,
        success_url=back or plan_url(plan),
        cancel_url=back or plan_url(plan),
        title=title,
        allowed=services.allowed(action, item),
        context={"unit": plan.board.unit, "recommendation": item, "next": back},
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def recommendation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _recommendation_step(
        request,
        pk,
        action="answer",
        make=lambda data: AnswerForm(data, initial=today_initial("answered_on")),
        call=lambda actor, item, data: services.recommendation_answer(
            actor=actor, recommendation=item, **data
        ),
        title=_("Ghi nhận trả lời kiến nghị"),
        done=_("Đã ghi nội dung trả lời."),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def recommendation_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _recommendation_step(
        request,
        pk,
        action="close",
        make=lambda data: CloseForm(data, initial=today_initial("closed_on")),
        call=lambda actor, item, data: services.recommendation_close(
            actor=actor, recommendation=item, **data
        ),
        title=_("Kết thúc theo dõi kiến nghị"),
        done=_("Đã kết thúc theo dõi kiến nghị."),
    )


# -- conferences ----------------------------------------------------------------------------


@login_required
@domain_http
@require_GET
def conference_list(request: HttpRequest) -> HttpResponse:
    unit_form, unit = unit_filter(request)
    year_form = YearForm(request.GET)
    year = selectors.today().year
    if year_form.is_valid() and year_form.cleaned_data["year"]:
        year = year_form.cleaned_data["year"]
    context: dict[str, Any] = {"unit": unit, "unit_form": unit_form, "year": year}
    if unit is not None:
        rows = selectors.conferences_under(user=request.user, unit=unit, year=year)
        page, query = paginate(request, rows, PER_PAGE)
        # A province has hundreds of agencies and enterprises: the gaps and the schedule
        # are paged too, each with its own page number, their totals above them.
        gaps = selectors.conference_gaps(user=request.user, unit=unit, year=year)
        plans = selectors.conference_plans(user=request.user, unit=unit, year=year)
        gaps_page, gaps_query = paginate(request, gaps, GAPS_PER_PAGE, param="gaps_page")
        plans_page, plans_query = paginate(request, plans, GAPS_PER_PAGE, param="plans_page")
        context.update(
            {
                "page": page,
                "query": query,
                "conferences": list(page.object_list),
                "gaps": list(gaps_page.object_list),
                "gaps_page": gaps_page,
                "gaps_query": gaps_query,
                "gaps_units": len({g.unit.pk for g in gaps}),
                "plans": list(plans_page.object_list),
                "plans_page": plans_page,
                "plans_query": plans_query,
                "plans_overdue": sum(1 for p in plans if p.overdue),
                "plan_url": with_unit("supervision:conference_plan_create", unit),
                "can_create": _can_manage(request, unit),
                "create_url": with_unit("supervision:conference_create", unit),
                "list_url": with_unit("supervision:boards", unit),
            }
        )
    return render(request, "supervision/conferences.html", context, status=form_status(unit_form))


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def conference_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    unit = required_unit(request)
    policies.require(actor, Perm.DEMOCRACY_MANAGE, unit)
    initial: dict[str, Any] = {"held_on": selectors.today(), "kind": Conference.Kind.DIALOGUE}
    source = request.GET.get("plan", "")
    if source.isdigit():  # "Ghi nhận" on the schedule: start from the planned conference
        planned = selectors.conference_plan_get(user=actor, pk=int(source))
        initial = {
            "unit_code": planned.unit.code,
            "kind": planned.kind,
            "held_on": min(planned.planned_on, selectors.today()),
            "plan": planned.pk,
        }
    form = ConferenceForm(request.POST or None, request.FILES or None, initial=initial, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code = data.pop("unit_code").code  # the unit picked (units.picker)
        plan_id = data.pop("plan")

        def call() -> Conference:
            target = _unit_under(actor, unit, code)
            plan = selectors.conference_plan_get(user=actor, pk=plan_id) if plan_id else None
            return services.conference_record(actor=actor, unit=target, plan=plan, **data)

        done = apply_service(form, call, not_found_field="unit_code")
        if done is not None:
            messages.success(request, _("Đã ghi nhận hội nghị."))
            return redirect(with_unit("supervision:conferences", unit, year=done.held_on.year))
    return render(
        request,
        "supervision/form.html",
        {
            "unit": unit,
            "form": form,
            "multipart": True,
            "title": _("Ghi nhận hội nghị của cơ quan, doanh nghiệp"),
            "cancel_url": with_unit("supervision:conferences", unit),
        },
        status=form_status(form),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def conference_plan_create(request: HttpRequest) -> HttpResponse:
    """Put a staff or workers' conference, or a workplace dialogue, on the schedule."""
    actor = request.user
    unit = required_unit(request)
    policies.require(actor, Perm.DEMOCRACY_MANAGE, unit)
    form = ConferencePlanForm(
        request.POST or None, initial={"kind": Conference.Kind.WORKERS}, actor=actor
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code = data.pop("unit_code").code  # the unit picked (units.picker)

        def call() -> ConferencePlan:
            target = _unit_under(actor, unit, code)
            return services.conference_schedule(actor=actor, unit=target, **data)

        done = apply_service(form, call, not_found_field="unit_code")
        if done is not None:
            messages.success(request, _("Đã lên lịch hội nghị."))
            return redirect(with_unit("supervision:conferences", unit, year=done.planned_on.year))
    return render(
        request,
        "supervision/form.html",
        {
            "unit": unit,
            "form": form,
            "title": _("Lên lịch hội nghị của cơ quan, doanh nghiệp"),
            "cancel_url": with_unit("supervision:conferences", unit),
        },
        status=form_status(form),
    )
