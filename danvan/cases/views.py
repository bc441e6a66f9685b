"""The officer's case pages: the queue, the unit's list, overdue cases and statistics;
intake; one case's page with its actions, the receipt, documents, and the sender's
identity behind an audited button.

Thin doors onto cases.selectors (reads) and cases.services (writes). Lists page by (due
date, id) keys (paging.py): queues hold up to millions of rows, so no page ever counts or
skips rows, and every page runs the same number of queries whatever its size. A unit or
a case the user may not see answers 404 exactly like a missing one; an action the user
may not take answers 403; a refusal the user can fix comes back with HTTP 400 and the
message beside its field (or on top, for a stale version). Lists show a case's alias,
never its sender: the identity is rendered by `identity` alone, for those the law
allows, and every look is audited by the service.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts import policies
from danvan.accounts.policies import ROLE_PERMS, Perm
from danvan.accounts.selectors import current_unit, switchable_units
from danvan.core.errors import PermissionDenied
from danvan.core.forms import apply_service
from danvan.core.http import domain_http
from danvan.legal.deadlines import Deadline
from danvan.units import tree
from danvan.units.models import Unit
from danvan.units.pages import page_unit

from . import paging, selectors, services, stats_charts, workflow
from .export import stats_workbook
from .forms import (
    ACTION_FORMS,
    ACTION_LABELS,
    ActionForm,
    AssignForm,
    CaseFilterForm,
    ReceiveForm,
    StatsFilterForm,
    UnitFilterForm,
)
from .identity import Identity, IdentityUnreadable
from .models import KINDS, Alert, Case, Channel, SenderIdentity, Status
from .queue import QueueRow, queue_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- shared by the case pages ---------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    """A case in a list, with the alert it has today."""

    case: Case | QueueRow
    alert: str


def alert_of(case: Case | QueueRow, today: dt.date) -> str:
    """The alert of *case* today: what the nightly sweep set, or what its due date says
    already (so a case is shown overdue from the morning after its due date, before the
    sweep runs). A paused case's clock is stopped: no alert."""
    if not case.is_open or case.status == Status.PAUSED or case.due_date is None:
        return Alert.NONE
    if case.alert == Alert.OVERDUE or case.due_date < today:
        return Alert.OVERDUE
    soon = today + dt.timedelta(days=settings.CASES_DUE_SOON_DAYS)
    if case.alert == Alert.DUE_SOON or case.due_date <= soon:
        return Alert.DUE_SOON
    return Alert.NONE


def keyset_context(
    request: HttpRequest, qs: QuerySet[Case] | None, *, mine: Any = None
) -> dict[str, Any]:
    """One page after `?after=`, with the links to the next and the first page: of *qs*,
    or of the queue of *mine* (read by queue.py)."""
    after = request.GET.get("after", "")
    page = queue_page(mine, after=after) if qs is None else paging.keyset_page(qs, after=after)
    today = timezone.localdate()
    query = request.GET.copy()
    next_url = ""
    if page.next_after:
        query["after"] = page.next_after
        next_url = f"?{query.urlencode()}"
    query.pop("after", None)
    first_url = f"?{query.urlencode()}" if after else ""
    return {
        "rows": [CaseRow(case=c, alert=alert_of(c, today)) for c in page.rows],
        "next_url": next_url,
        "first_url": first_url,
        "today": today,
    }


def can_intake_somewhere(user: Any) -> bool:
    return any(Perm.CASE_INTAKE in ROLE_PERMS[g.role] for g in policies.grants_of(user))


def _overdue_q(today: dt.date) -> Q:
    """Open cases past due, whether the sweep has marked them yet or not (paused: never)."""
    return (
        Q(is_open=True)
        & (Q(alert=Alert.OVERDUE) | Q(due_date__lt=today))
        & ~Q(status=Status.PAUSED)
    )


def _due_soon_q(today: dt.date) -> Q:
    soon = today + dt.timedelta(days=settings.CASES_DUE_SOON_DAYS)
    return (
        Q(is_open=True)
        & (Q(alert=Alert.DUE_SOON) | Q(due_date__gte=today, due_date__lte=soon))
        & ~Q(status=Status.PAUSED)
        & ~_overdue_q(today)
    )


# -- the queue --------------------------------------------------------------------------


@login_required
@domain_http
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """My open cases (earliest due first) and, for my unit, the cases nobody leads yet."""
    user = request.user
    code = request.GET.get("unit", "").strip()
    unit = page_unit(request, code)
    inbox: QuerySet[Case] | None = None
    if unit is not None and (code or policies.has_perm(user, Perm.CASE_VIEW, unit)):
        # Naming a unit one may see but not its cases is refused (403), not hidden.
        inbox = selectors.inbox_for(user, unit)
    tab = "inbox" if request.GET.get("tab") == "inbox" and inbox is not None else "mine"
    rows = inbox if tab == "inbox" and inbox is not None else None
    base = "?" + (f"unit={unit.code}&" if code and unit is not None else "")
    return render(
        request,
        "cases/queue.html",
        {
            **keyset_context(request, rows, mine=user),
            "tab": tab,
            "unit": unit,
            "has_inbox": inbox is not None,
            "mine_url": base + "tab=mine",
            "inbox_url": base + "tab=inbox",
            "can_receive": can_intake_somewhere(user),
        },
    )


# -- the unit's list ----------------------------------------------------------------------


def _filtered(qs: QuerySet[Case], data: dict[str, Any], today: dt.date) -> QuerySet[Case]:
    # The received window and "settled on time" as the periodic reports count them, so
    # that a report's figure opens this list with as many rows (reports.queries).
    received = selectors.received_q(
        data.get("from"), data.get("to"), settled_on_time=bool(data.get("on_time"))
    )
    if received:
        qs = qs.filter(received)
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("alert") == Alert.OVERDUE:
        qs = qs.filter(_overdue_q(today))
    elif data.get("alert") == Alert.DUE_SOON:
        qs = qs.filter(_due_soon_q(today))
    text = (data.get("q") or "").strip()
    if text:
        qs = qs.filter(
            Q(reference__icontains=text)
            | Q(subject__icontains=text)
            | Q(lookup_code=services.normalize_lookup_code(text))
        )
    return qs


@login_required
@domain_http
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """Every case of a unit's subtree the user may see, filtered, keyset paged."""
    form = CaseFilterForm(request.GET or None, actor=request.user)
    context: dict[str, Any] = {"form": form, "unit": None, "rows": None}
    if form.is_bound and not form.is_valid():
        return render(request, "cases/list.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    unit = data.get("unit") or page_unit(request, "")  # the picked unit, else the working one
    # No unit for a national grant: the whole country's cases, not a page asking for a unit.
    if unit is not None or _national(request.user):
        today = timezone.localdate()
        qs = _filtered(selectors.cases_under(request.user, unit), data, today)
        context.update(
            keyset_context(request, qs),
            unit=unit,
            received_from=data.get("from"),
            received_to=data.get("to"),
            on_time=bool(data.get("on_time")),
        )
    return render(request, "cases/list.html", context)


# -- overdue ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BranchCount:
    unit: Unit
    direct: bool  # the cases of the unit itself, not of a unit under it
    open: int
    overdue: int
    due_soon: int


def _national(user: Any) -> bool:
    return policies.has_perm(user, Perm.CASE_VIEW, None)


def counts_by_branch(user: Any, unit: Unit | None, today: dt.date) -> list[BranchCount]:
    """Open, overdue and due-soon cases per child unit of *unit* (its whole subtree under
    each child; None: per province): one grouped query on the path prefix of the child,
    one for the names."""
    prefix = (len(unit.path) if unit is not None else 0) + tree.SEGMENT
    rows = list(
        selectors.cases_under(user, unit)
        .filter(is_open=True)
        .order_by()
        .annotate(branch=Substr("unit__path", 1, prefix))
        .values("branch")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=_overdue_q(today)),
            due_soon=Count("id", filter=_due_soon_q(today)),
        )
    )
    units = {u.path: u for u in Unit.objects.filter(path__in=[r["branch"] for r in rows])}
    out = [
        BranchCount(
            unit=units[r["branch"]],
            direct=unit is not None and r["branch"] == unit.path,
            open=r["open"],
            overdue=r["overdue"],
            due_soon=r["due_soon"],
        )
        for r in rows
        if r["branch"] in units
    ]
    out.sort(key=lambda b: (-b.overdue, -b.due_soon, b.unit.name))
    return out


@login_required
@domain_http
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET or None, actor=request.user)
    context: dict[str, Any] = {"form": form, "unit": None, "rows": None}
    if form.is_bound and not form.is_valid():
        return render(request, "cases/overdue.html", context, status=400)
    unit = (form.cleaned_data.get("unit") if form.is_bound else None) or page_unit(request, "")
    if unit is not None or _national(request.user):
        today = timezone.localdate()
        branches = counts_by_branch(request.user, unit, today)
        context.update(
            keyset_context(request, selectors.overdue_under(request.user, unit, today=today)),
            unit=unit,
            counts=selectors.alert_counts(request.user, unit),
            overdue_now=sum(b.overdue for b in branches),
            branches=branches,
        )
    return render(request, "cases/overdue.html", context)


# -- statistics ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatsTables:
    """The statistics as labelled rows, for the page and the Excel export alike."""

    unit: Unit | None  # None: the whole country
    start: dt.date
    end: dt.date
    by_kind: list[tuple[str, int]]
    by_status: list[tuple[str, int]]
    timing: list[tuple[str, int]]
    by_unit: list[tuple[str, str, int]]
    total: int
    trend: list[stats_charts.TrendRow]
    on_time_rate: str
    timing_counts: dict[str, int]  # "total" and selectors.TIMING_KEYS

    @property
    def scope_label(self) -> str:
        return self.unit.name if self.unit is not None else _("Toàn quốc")

    @property
    def scope_code(self) -> str:
        return self.unit.code if self.unit is not None else "toan-quoc"


def stats_tables(user: Any, unit: Unit | None, start: dt.date, end: dt.date) -> StatsTables:
    today = timezone.localdate()
    raw = selectors.statistics(user, unit, start=start, end=end, today=today)
    timing = raw["timing"]
    labels = stats_charts.timing_labels()
    return StatsTables(
        unit=unit,
        start=start,
        end=end,
        by_kind=[(str(k.label), int(raw["by_kind"].get(k.value, 0))) for k in KINDS],
        by_status=[(str(s.label), int(raw["by_status"].get(s.value, 0))) for s in Status],
        timing=[(labels[k], timing[k]) for k in selectors.TIMING_KEYS],
        by_unit=[(r["unit"], r["code"], int(r["n"])) for r in raw["by_unit"]],
        total=timing["total"],
        trend=stats_charts.trend(raw["by_month"], start, end),
        on_time_rate=stats_charts.percent(stats_charts.on_time_rate(timing)),
        timing_counts=dict(timing),
    )


def _stats_input(request: HttpRequest) -> tuple[StatsFilterForm, StatsTables | None]:
    form = StatsFilterForm(request.GET or None, actor=request.user)
    if form.is_bound:
        if not form.is_valid():
            return form, None
        data = form.cleaned_data
    else:
        data = {"unit": None, **form.initial}
    unit = data.get("unit") or page_unit(request, "")
    if unit is None and not policies.has_perm(request.user, Perm.CASE_VIEW, None):
        return form, None
    # No unit for a national grant: the whole country's figures.
    return form, stats_tables(request.user, unit, data["from"], data["to"])


@login_required
@domain_http
@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    form, tables = _stats_input(request)
    context: dict[str, Any] = {"form": form, "tables": tables, "query": request.GET.urlencode()}
    if tables is not None:
        context["labels"] = stats_charts.timing_labels()
        context["charts"] = stats_charts.charts(tables.trend, tables.timing_counts)
    return render(request, "cases/stats.html", context, status=400 if form.errors else 200)


@login_required
@domain_http
@require_GET
def stats_excel(request: HttpRequest) -> HttpResponse:
    """The same numbers as the statistics page, as .xlsx: counts only, no one's name."""
    form, tables = _stats_input(request)
    if tables is None:
        return render(
            request,
            "cases/stats.html",
            {"form": form, "tables": None, "query": ""},
            status=400,
        )
    response = HttpResponse(stats_workbook(tables), content_type=XLSX)
    name = f"thong-ke-vu-viec-{tables.scope_code}-{tables.start:%Y%m%d}-{tables.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


# -- one case ----------------------------------------------------------------------------


def _no_store(response: HttpResponse) -> HttpResponse:
    """Personal data must not stay in a browser's or proxy's cache."""
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


def _streamed(response: FileResponse) -> HttpResponse:
    # domain_http is typed for HttpResponse; a streamed file passes through it unchanged.
    return cast(HttpResponse, response)


# -- intake -------------------------------------------------------------------------------


def _intake_units(request: HttpRequest) -> list[Unit]:
    """Units the user may receive cases for, the current unit first."""
    user = request.user
    units = [u for u in switchable_units(user) if policies.has_perm(user, Perm.CASE_INTAKE, u)]
    current = current_unit(request)
    if current is not None and policies.has_perm(user, Perm.CASE_INTAKE, current):
        units = [current, *[u for u in units if u.pk != current.pk]]
    return units


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def receive(request: HttpRequest) -> HttpResponse:
    actor = request.user
    units = _intake_units(request)
    if not units:
        raise PermissionDenied(_("Bạn không được tiếp nhận vụ việc."))
    initial: dict[str, Any] = {"unit": units[0].code}
    # Opened from a reception session's page: the case is one of that session's.
    session = request.GET.get("session", "")
    if session.isdigit():
        initial["reception_session"] = int(session)
        initial["channel"] = Channel.IN_PERSON
    form = ReceiveForm(
        request.POST or None,
        request.FILES or None,
        actor=actor,
        units=units,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sender = Identity(
            full_name=data["full_name"].strip(),
            address=data["address"].strip(),
            id_number=data["id_number"].strip(),
            phone=data["phone"].strip(),
            email=data["email"].strip(),
        )
        case = apply_service(
            form,
            lambda: services.case_receive(
                actor=actor,
                unit=data["unit"],
                kind=data["kind"],
                channel=data["channel"],
                subject=data["subject"],
                content=data["content"],
                sender=sender,
                received_on=data["received_on"],
                round=data["round"] or 0,
                previous=data["previous"],
                complex=data["complex"],
                remote=data["remote"],
                complexity=data["complexity"] or 0,
                reception_session=data["reception_session"],
                scans=request.FILES.getlist("scans"),
            ),
        )
        if case is not None:
            messages.success(
                request,
                _(
                    "Đã tiếp nhận vụ việc %(ref)s. Mã tra cứu của người gửi: %(code)s "
                    "(in biên nhận để giao cho người gửi)."
                )
                % {"ref": case.reference, "code": case.lookup_code},
            )
            return redirect(case)
    response = render(
        request, "cases/receive.html", {"form": form}, status=400 if form.errors else 200
    )
    # The form may echo what the officer typed about the sender.
    return _no_store(response)


# -- the detail page and its actions ----------------------------------------------------------


def available_actions(user: Any, case: Case) -> list[str]:
    """The actions the case's status allows and the user may take, in display order."""
    allowed = set(workflow.allowed_actions(case.status))
    can_handle = policies.has_perm(user, Perm.CASE_HANDLE, case.unit)
    out: list[str] = []
    for action in ACTION_FORMS:
        if action == "assign":
            ok = case.is_open and policies.has_perm(user, Perm.CASE_ASSIGN, case.unit)
        elif action == "add_step":
            ok = can_handle and case.is_open
        elif action == "add_document":
            ok = can_handle
        elif action == "moderate":
            # Only feedback and petitions are ever public (services.case_moderate_public).
            ok = can_handle and case.kind in services.PUBLIC_KINDS
        elif action == "extend":
            # Only denunciations have extensions (Law on Denunciations 2018, art. 30).
            ok = can_handle and action in allowed and case.is_denunciation
        else:
            ok = can_handle and action in allowed
        if ok:
            out.append(action)
    return out


def _make_form(action: str, case: Case, user: Any, **kwargs: Any) -> ActionForm:
    form_class = ACTION_FORMS[action]
    if form_class is AssignForm:
        return AssignForm(
            case=case, actor=user, candidates=selectors.handler_candidates(case.unit), **kwargs
        )
    return form_class(case=case, actor=user, **kwargs)


def _status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


def _deadline(case: Case) -> Deadline | None:
    """The clock that runs now, to explain the due date with its rule."""
    if case.due_date is None:
        return None
    if case.resolve_rule is not None and case.accepted_on is not None:
        return services.current_deadline(case)
    if case.rule is not None:
        return Deadline(start=case.received_on, due=case.due_date, rule=case.rule)
    return None


def _detail(
    request: HttpRequest, case: Case, *, bound: ActionForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    forms = [_make_form(a, case, user) for a in available_actions(user, case)]
    if bound is not None:
        # The posted form, with its errors, in place of the fresh one (or on its own, when
        # the case has moved on and the action is no longer offered).
        forms = [bound if f.action == bound.action else f for f in forms]
        if all(f is not bound for f in forms):
            forms.insert(0, bound)
    deadline = _deadline(case)
    visible = selectors.cases_visible(user)
    context = {
        "case": case,
        "alert": alert_of(case, timezone.localdate()),
        "deadline": deadline,
        "rule": deadline.rule if deadline is not None else None,
        "timeline": [
            (ev, ACTION_LABELS.get(ev.action, ev.action), _status_label(ev.to_status))
            for ev in case.events.select_related("actor")
        ],
        "steps": list(case.steps.select_related("actor")),
        "documents": list(case.documents.all()),
        # The citizen's "was it resolved?" answer, comment included: officers only.
        "verdict": selectors.verdict_of(case),
        "assignments": list(case.assignments.select_related("user").order_by("id")),
        "followups": list(visible.filter(previous=case).order_by("id")),
        "moved_to": list(visible.filter(transferred_from=case).select_related("unit")),
        "can_view_identity": policies.can_view_identity(user, case),
        "action_forms": forms,
        "bound": bound,
    }
    return render(request, "cases/detail.html", context, status=status)


@login_required
@domain_http
@require_GET
def detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _detail(request, selectors.case_get(request.user, public_id))


def _run(action: str, actor: Any, case: Case, form: ActionForm) -> Any:
    """Call the service of *action* with the form's values and the version seen."""
    d = form.cleaned_data
    version = d.get("version")
    if action == "classify":
        return services.case_classify(
            actor=actor,
            case=case,
            version=version,
            kind=d["kind"],
            round=d["round"] or 0,
            complex=d["complex"],
            remote=d["remote"],
            complexity=d["complexity"] or 0,
            previous=d["previous"],
        )
    if action == "assign":
        return services.case_assign(
            actor=actor, case=case, version=version, users=d["users"], lead=d["lead"]
        )
    if action == "accept":
        return services.case_accept(
            actor=actor, case=case, version=version, accepted_on=d["accepted_on"]
        )
    if action == "refuse":
        return services.case_refuse(
            actor=actor,
            case=case,
            version=version,
            reason=d["reason"],
            answer_number=d["answer_number"],
            public_answer=d["public_answer"],
            decided_on=d["decided_on"],
        )
    if action == "transfer":
        return services.case_transfer(
            actor=actor,
            case=case,
            version=version,
            to_unit_code=d["to_unit_code"].code,  # the unit picked (units.picker)
            note=d["note"],
        )
    if action == "add_step":
        return services.case_add_step(
            actor=actor,
            case=case,
            kind=d["kind"],
            on=d["on"],
            text=d["text"],
            document_number=d["document_number"],
        )
    if action == "add_document":
        return services.case_add_document(
            actor=actor, case=case, upload=d["file"], title=d["title"]
        )
    if action == "extend":
        return services.case_extend(
            actor=actor,
            case=case,
            version=version,
            decision_number=d["decision_number"],
            complexity=d["complexity"],
            on=d["on"],
        )
    if action == "pause":
        return services.case_pause(
            actor=actor, case=case, version=version, on=d["on"], reason=d["reason"]
        )
    if action == "resume":
        return services.case_resume(actor=actor, case=case, version=version, on=d["on"])
    if action == "resolve":
        return services.case_resolve(
            actor=actor,
            case=case,
            version=version,
            decision_number=d["decision_number"],
            result_summary=d["result_summary"],
            public_answer=d["public_answer"],
            decision_date=d["decision_date"],
        )
    if action == "withdraw":
        return services.case_withdraw(
            actor=actor, case=case, version=version, on=d["on"], note=d["note"]
        )
    if action == "moderate":
        return services.case_moderate_public(
            actor=actor,
            case=case,
            version=version,
            summary=d["summary"],
            publish=d["publish"],
            photos=d.get("photos") if "photos" in form.fields else None,
        )
    raise Http404


@login_required
@domain_http
@require_POST
def case_action(request: HttpRequest, public_id: uuid.UUID, action: str) -> HttpResponse:
    """One action on the case (the URL names it), from the form on the detail page."""
    if action not in ACTION_FORMS:
        raise Http404
    actor = request.user
    case = selectors.case_get(actor, public_id)
    policies.require(actor, Perm.CASE_ASSIGN if action == "assign" else Perm.CASE_HANDLE, case.unit)
    form = _make_form(action, case, actor, data=request.POST, files=request.FILES)
    if form.is_valid():
        done = apply_service(form, lambda: _run(action, actor, case, form))
        if done is not None:
            if action == "transfer":
                messages.success(
                    request,
                    _("Đã chuyển vụ việc đến %(unit)s; hồ sơ mới số %(ref)s.")
                    % {"unit": done.unit.name, "ref": done.reference},
                )
            else:
                messages.success(request, _("Đã lưu: %(action)s.") % {"action": form.label})
            return redirect(case)
    return _detail(request, case, bound=form, status=400)


# -- files and the receipt ----------------------------------------------------------------------


@login_required
@domain_http
@require_GET
def document(request: HttpRequest, public_id: uuid.UUID, pk: int) -> HttpResponse:
    """A case file, streamed after the policy check: case files are never public."""
    case = selectors.case_get(request.user, public_id)
    policies.require(request.user, Perm.CASE_VIEW, case.unit)
    item = case.documents.filter(pk=pk).first()
    if item is None:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, content_type=item.content_type, as_attachment=True, filename=item.original_name
    )
    response["Cache-Control"] = "private, no-store"
    return _streamed(response)


@login_required
@domain_http
@require_GET
def receipt(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The printable receipt handed to the sender: codes and dates, no personal data."""
    case = selectors.case_get(request.user, public_id)
    return render(
        request,
        "cases/receipt.html",
        {
            "case": case,
            "awaiting_acceptance": case.status == Status.RECEIVED,
            "lookup_url": request.build_absolute_uri(reverse("portal:lookup")),
        },
    )


# -- the sender's identity ------------------------------------------------------------------------


@login_required
@domain_http
@require_POST
def identity(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Who sent the case, for those the law allows; the service records the look."""
    actor = request.user
    case = selectors.case_get(actor, public_id)
    try:
        sender = services.identity_view(actor=actor, case=case)
    except IdentityUnreadable as exc:
        # A database restored without its keys (docs/operations.md): the case stays open to
        # work on; who sent it waits for the keys, and the message says so.
        messages.error(request, exc.message)
        return redirect(case)
    try:
        scans = list(case.identity.scans.only("pk", "content_type", "size").order_by("pk"))
    except SenderIdentity.DoesNotExist:
        scans = []
    response = render(
        request, "cases/identity.html", {"case": case, "sender": sender, "scans": scans}
    )
    return _no_store(response)


@login_required
@domain_http
@require_POST
def identity_scan(request: HttpRequest, public_id: uuid.UUID, scan_id: int) -> HttpResponse:
    """One scan of the sender's papers (audited by the service), never cached."""
    actor = request.user
    case = selectors.case_get(actor, public_id)
    try:
        name, content_type, data = services.identity_scan(actor=actor, case=case, scan_id=scan_id)
    except IdentityUnreadable as exc:
        messages.error(request, exc.message)
        return redirect(case)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return _no_store(response)
