"""The task pages, mounted at /nhiem-vu/: thin doors onto selectors and services.

Reading needs DIRECTIVE_VIEW (tasks.policies.can_view); each action its own predicate.
A task out of sight answers 404 like a missing one; an action not allowed answers 403
and is not shown; a form a service refuses comes back with HTTP 400, what was typed
kept and the message beside its field.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import PermissionDenied
from danvan.core.forms import apply_service, form_status
from danvan.core.http import domain_http, paginate
from danvan.units.models import Unit
from danvan.units.pages import required_unit, with_unit
from danvan.units.picker import national_view, unit_filter

from . import explanations, selectors, services
from . import policies as task_policies
from .forms import (
    AcceptForm,
    DelegateForm,
    ExplanationAnswerForm,
    ExplanationDecideForm,
    ExplanationRequestForm,
    FilterForm,
    PlanForm,
    ProgressForm,
    ReasonForm,
    ReopenForm,
    SubmitForm,
    TaskForm,
)
from .models import Plan, Task
from .selectors import Day, Tab

PER_PAGE = 50

_TAB_URLS = {
    Tab.LEAD: "directive_tasks:list",
    Tab.COORDINATE: "directive_tasks:list_coordinate",
    Tab.ASSIGNED: "directive_tasks:list_assigned",
}


def _tabs() -> list[tuple[str, str, str]]:
    return [
        (Tab.LEAD, _TAB_URLS[Tab.LEAD], _("Đơn vị chủ trì")),
        (Tab.COORDINATE, _TAB_URLS[Tab.COORDINATE], _("Đơn vị phối hợp")),
        (Tab.ASSIGNED, _TAB_URLS[Tab.ASSIGNED], _("Đơn vị đã giao")),
    ]


def _detail(task: Task) -> Any:
    return redirect(task.get_absolute_url())


def _streamed(response: FileResponse) -> HttpResponse:
    # domain_http is typed for HttpResponse; a streamed file passes through it unchanged.
    return cast(HttpResponse, response)


# -- the list -----------------------------------------------------------------------------


def _filter_query(unit: Unit | None, chosen: dict[str, Any], *, keep_status: bool = False) -> str:
    """The list's unit and filters (but the status, unless kept) as a query string."""
    params = {"unit": unit.code} if unit is not None else {}
    for key, value in chosen.items():
        if value is None or (key == "status" and not keep_status):
            continue
        params[key] = f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else str(value)
    return urlencode(params)


@login_required
@domain_http
@require_GET
def task_list(request: HttpRequest, tab: str = Tab.LEAD) -> HttpResponse:
    unit_form, unit = unit_filter(request, purpose=Perm.DIRECTIVE_VIEW)
    filters = FilterForm(request.GET or None, today=selectors.today())
    chosen: dict[str, Any] = {}
    if filters.is_bound:
        filters.is_valid()
        chosen = {k: v for k, v in filters.cleaned_data.items() if v not in (None, "")}
    national = national_view(request.user, unit_form, unit, Perm.DIRECTIVE_VIEW)
    context: dict[str, Any] = {
        "unit": unit,
        "unit_form": unit_form,
        "filters": filters,
        "national": national,
        "tab": tab,
        "tabs": [
            (key, with_unit(name, unit) if unit else reverse(name), label)
            for key, name, label in _tabs()
        ],
        "action": reverse(_TAB_URLS[tab]),
    }
    if unit is not None or national:
        # ?as_of=: the statuses as they stood that day (a past period's board links).
        as_of = chosen.get("as_of")
        day = Day.as_of(as_of) if as_of is not None else Day.now()
        qs = selectors.tasks_for_unit(
            user=request.user,
            unit=unit,
            tab=tab,
            source_kind=chosen.get("source_kind", ""),
            due_from=chosen.get("due_from"),
            due_to=chosen.get("due_to"),
            with_cancelled=chosen.get("cancelled") != selectors.CANCELLED_EXCLUDE,
        )
        rows = selectors.task_rows(qs, day, status=chosen.get("status", ""))
        page, query = paginate(request, rows, PER_PAGE)
        listed = list(page.object_list)
        progress = selectors.derived_progress(listed)
        for row in listed:
            row.progress = progress.get(row.pk, row.progress_percent)
        context.update(
            {
                "counts": selectors.status_counts(qs, day),
                "page": page,
                "query": query,
                "rows": listed,
                "status": chosen.get("status", ""),
                "as_of": as_of,
                # The counts open the list with the same filters but their status.
                "filter_query": _filter_query(unit, chosen),
                "today_query": _filter_query(unit, {**chosen, "as_of": None}, keep_status=True),
            }
        )
    if unit is not None and policies.has_perm(request.user, Perm.DIRECTIVE_MANAGE, unit):
        context["create_url"] = with_unit("directive_tasks:create", unit)
        context["plan_create_url"] = with_unit("directive_tasks:plan_create", unit)
    status = form_status(unit_form, filters)
    return render(request, "directive_tasks/task_list.html", context, status=status)


# -- creation -----------------------------------------------------------------------------


def _form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    cancel_url: str,
    task: Task | None = None,
    plan: Plan | None = None,
    unit: Unit | None = None,
    allowed: bool | None = None,
    blocked: str = "",
    multipart: bool = False,
    submit_label: str = "",
) -> HttpResponse:
    return render(
        request,
        "directive_tasks/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "task": task,
            "plan": plan,
            "unit": unit or (task.lead_unit if task else plan.unit if plan else None),
            "allowed": allowed,
            "blocked": blocked,
            "multipart": multipart,
            "submit_label": submit_label or _("Lưu"),
        },
        status=form_status(form),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    unit = required_unit(request)
    policies.require(actor, Perm.DIRECTIVE_MANAGE, unit)
    document = None
    if request.GET.get("document"):
        document = selectors.document_get(user=actor, public_id=request.GET["document"])
    form = PlanForm(request.POST or None, document=document)
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form,
            lambda: services.plan_create(
                actor=actor, unit=unit, document=document, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, _("Đã ghi nhận kế hoạch."))
            return redirect(done.get_absolute_url())
    title = _("Thêm kế hoạch")
    if document is not None:
        title = _("Kế hoạch thực hiện văn bản %(number)s") % {"number": document.number}
    return _form_page(
        request,
        form,
        title=title,
        unit=unit,
        cancel_url=with_unit("directive_tasks:list_assigned", unit),
    )


@login_required
@domain_http
@require_GET
def plan_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, public_id=public_id)
    day = Day.now()
    tasks = selectors.plan_tasks(plan, day)
    progress = selectors.derived_progress(tasks)
    for task in tasks:
        task.progress = progress.get(task.pk, task.progress_percent)  # type: ignore[attr-defined]
    can_manage = policies.has_perm(request.user, Perm.DIRECTIVE_MANAGE, plan.unit)
    return render(
        request,
        "directive_tasks/plan_detail.html",
        {
            "plan": plan,
            "unit": plan.unit,
            "tasks": tasks,
            "create_url": (
                f"{reverse('directive_tasks:create')}?plan={plan.public_id}" if can_manage else ""
            ),
        },
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest) -> HttpResponse:
    """A new task: of a plan (?plan=) whose unit assigns it, or of the page's unit."""
    actor = request.user
    plan: Plan | None = None
    if request.GET.get("plan"):
        plan = selectors.plan_get(user=actor, public_id=request.GET["plan"])
        unit = plan.unit
    else:
        unit = required_unit(request)
    policies.require(actor, Perm.DIRECTIVE_MANAGE, unit)
    document = None
    if request.GET.get("document"):
        document = selectors.document_get(user=actor, public_id=request.GET["document"])
    form = TaskForm(request.POST or None, actor=actor, plan=plan, assigner_unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = apply_service(
            form,
            lambda: services.task_create(
                actor=actor,
                plan=plan,
                assigner_unit=unit,
                source_document=document,
                **data,
            ),
        )
        if done is not None:
            messages.success(request, _("Đã giao nhiệm vụ."))
            return _detail(done)
    cancel = plan.get_absolute_url() if plan else with_unit("directive_tasks:list_assigned", unit)
    return _form_page(
        request,
        form,
        title=_("Giao nhiệm vụ"),
        plan=plan,
        unit=unit,
        cancel_url=cancel,
        submit_label=_("Giao nhiệm vụ"),
    )


# -- one task -----------------------------------------------------------------------------


@login_required
@domain_http
@require_GET
def task_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = request.user
    task = selectors.task_get(user=user, public_id=public_id)
    day = Day.now()
    children = selectors.task_children(task, day)
    progress = selectors.derived_progress([task, *children])
    for child in children:
        child.progress = progress.get(child.pk, child.progress_percent)  # type: ignore[attr-defined]
    from .status import status_of

    can = {
        "report": task_policies.can_report(user, task) and services.allowed("report", task),
        "submit": task_policies.can_submit(user, task) and services.allowed("submit", task),
        "delegate": task_policies.can_delegate(user, task) and services.allowed("delegate", task),
    }
    manage = task_policies.can_manage(user, task)
    for action in ("accept", "return", "reopen", "cancel"):
        can[action] = manage and services.allowed(action, task)
    # A parent is submitted and accepted only once its sub-tasks are done or withdrawn:
    # the button is not offered, and the page says why.
    waiting = [child for child in children if child.state in services.UNDER_WAY]
    blocked = ""
    for action in ("submit", "accept"):
        if can[action] and waiting:
            can[action] = False
            blocked = services.open_subtasks_message(action, waiting)
    return render(
        request,
        "directive_tasks/task_detail.html",
        {
            "task": task,
            "unit": task.lead_unit,
            "status": status_of(task, day.today, day.soon),
            "progress": progress.get(task.pk, task.progress_percent),
            "coordinating": list(task.coordinating_units.all()),
            "children": children,
            "events": selectors.task_events(task),
            "can": can,
            "blocked": blocked,
            "accept_form": AcceptForm() if can["accept"] else None,
            **_explanation_context(user, task),
        },
    )


def _action_page(
    request: HttpRequest,
    public_id: uuid.UUID,
    *,
    action: str,
    may: Callable[[Any, Task], bool],
    form_class: Callable[..., forms.BaseForm],
    run: Callable[[Task, dict[str, Any]], Any],
    title: str,
    done_message: str,
    multipart: bool = False,
    form_kwargs: Callable[[Task], dict[str, Any]] | None = None,
) -> HttpResponse:
    """One action on a task: its form (GET), its service (POST). Submitting and accepting
    wait for the sub-tasks: the page says so instead of offering a form the service would
    refuse (a form posted anyway gets the service's message)."""
    actor = request.user
    task = selectors.task_get(user=actor, public_id=public_id)
    if not may(actor, task):
        raise PermissionDenied(unit=task.lead_unit)
    extra = form_kwargs(task) if form_kwargs else {}
    posted = request.method == "POST"
    form = form_class(request.POST if posted else None, request.FILES if posted else None, **extra)
    if posted and form.is_valid():
        done = apply_service(form, lambda: run(task, form.cleaned_data))
        if done is not None:
            messages.success(request, done_message)
            return _detail(task)
    allowed = services.allowed(action, task)
    blocked = ""
    if not posted and allowed and action in ("submit", "accept"):
        waiting = services.open_subtasks(task)
        if waiting:
            blocked = services.open_subtasks_message(action, waiting)
    return _form_page(
        request,
        form,
        title=title,
        task=task,
        cancel_url=task.get_absolute_url(),
        allowed=allowed,
        blocked=blocked,
        multipart=multipart,
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def task_delegate(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    return _action_page(
        request,
        public_id,
        action="delegate",
        may=task_policies.can_delegate,
        form_class=DelegateForm,
        form_kwargs=lambda task: {"actor": actor, "parent": task},
        run=lambda task, data: services.task_delegate(actor=actor, parent=task, **data),
        title=_("Giao tiếp cho cấp dưới"),
        done_message=_("Đã giao nhiệm vụ cho cấp dưới."),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def task_report(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    return _action_page(
        request,
        public_id,
        action="report",
        may=task_policies.can_report,
        form_class=ProgressForm,
        run=lambda task, data: services.task_report_progress(actor=actor, task=task, **data),
        title=_("Báo cáo tiến độ"),
        done_message=_("Đã ghi nhận báo cáo tiến độ."),
        multipart=True,
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def task_submit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    return _action_page(
        request,
        public_id,
        action="submit",
        may=task_policies.can_submit,
        form_class=SubmitForm,
        run=lambda task, data: services.task_submit(actor=actor, task=task, **data),
        title=_("Nộp sản phẩm"),
        done_message=_("Đã nộp sản phẩm, chờ đơn vị giao nghiệm thu."),
        multipart=True,
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def task_accept(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    return _action_page(
        request,
        public_id,
        action="accept",
        may=task_policies.can_manage,
        form_class=AcceptForm,
        run=lambda task, data: services.task_accept(actor=actor, task=task, **data),
        title=_("Nghiệm thu sản phẩm"),
        done_message=_("Đã nghiệm thu: nhiệm vụ hoàn thành."),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def task_return(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    return _action_page(
        request,
        public_id,
        action="return",
        may=task_policies.can_manage,
        form_class=ReasonForm,
        run=lambda task, data: services.task_return(actor=actor, task=task, **data),
        title=_("Trả lại sản phẩm"),
        done_message=_("Đã trả lại sản phẩm."),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def task_reopen(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    return _action_page(
        request,
        public_id,
        action="reopen",
        may=task_policies.can_manage,
        form_class=ReopenForm,
        run=lambda task, data: services.task_reopen(actor=actor, task=task, **data),
        title=_("Mở lại nhiệm vụ theo kết luận kiểm tra"),
        done_message=_("Đã mở lại nhiệm vụ."),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def task_cancel(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    return _action_page(
        request,
        public_id,
        action="cancel",
        may=task_policies.can_manage,
        form_class=ReasonForm,
        run=lambda task, data: services.task_cancel(actor=actor, task=task, **data),
        title=_("Hủy nhiệm vụ"),
        done_message=_("Đã hủy nhiệm vụ."),
    )


# -- files --------------------------------------------------------------------------------


def _file_response(field: FieldFile) -> HttpResponse:
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = (field.name or "").rsplit("/", 1)[-1].split("-", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return _streamed(response)


@login_required
@domain_http
@require_GET
def result_file(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The deliverable's file, streamed after the visibility check."""
    task = selectors.task_get(user=request.user, public_id=public_id)
    return _file_response(task.result_file)


@login_required
@domain_http
@require_GET
def evidence_file(request: HttpRequest, public_id: uuid.UUID, pk: int) -> HttpResponse:
    task = selectors.task_get(user=request.user, public_id=public_id)
    event = selectors.task_event_get(user=request.user, task=task, pk=pk)
    return _file_response(event.evidence)


# --- explanations (explanations.py; the ladder asks too, ladder.py) -------------------------


def _explanation_context(user: Any, task: Task) -> dict[str, Any]:
    """The latest request for an explanation of the task, and what *user* may do on it."""
    latest = task.explanations.select_related("requested_by", "answered_by", "decided_by").first()
    is_open = services.allowed("report", task)  # an open task
    waiting = latest is not None and latest.answered_at is None
    pending = latest is not None and latest.is_answered and latest.decision == ""
    manage = task_policies.can_manage(user, task)
    return {
        "explanation": latest,
        "can_explain": {
            "request": is_open and manage and not waiting,
            "answer": is_open and waiting and task_policies.can_submit(user, task),
            "decide": is_open and pending and manage,
        },
    }


def _latest(task: Task, *, answered: bool) -> Any:
    latest = task.explanations.first()
    if latest is None or latest.is_answered != answered:
        raise Http404
    return latest


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def explanation_request(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    return _action_page(
        request,
        public_id,
        action="report",  # an open task
        may=task_policies.can_manage,
        form_class=ExplanationRequestForm,
        run=lambda task, data: explanations.task_request_explanation(
            actor=actor, task=task, **data
        ),
        title=_("Yêu cầu giải trình"),
        done_message=_("Đã gửi yêu cầu giải trình đến đơn vị chủ trì."),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def explanation_answer(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    return _action_page(
        request,
        public_id,
        action="report",
        may=task_policies.can_submit,
        form_class=ExplanationAnswerForm,
        run=lambda task, data: explanations.explanation_answer(
            actor=actor, explanation=_latest(task, answered=False), **data
        ),
        title=_("Giải trình"),
        done_message=_("Đã gửi giải trình, chờ đơn vị giao xem xét."),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def explanation_decide(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    return _action_page(
        request,
        public_id,
        action="report",
        may=task_policies.can_manage,
        form_class=ExplanationDecideForm,
        run=lambda task, data: explanations.explanation_decide(
            actor=actor,
            explanation=_latest(task, answered=True),
            accept=data["decision"] == "accept",
            note=data["note"],
        ),
        title=_("Xem xét giải trình"),
        done_message=_("Đã ghi ý kiến về giải trình."),
    )
