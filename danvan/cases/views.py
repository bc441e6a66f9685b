"""The officer's case lists: the queue, the unit's list, overdue cases and statistics.

Thin doors onto cases.selectors. Lists page by (due date, id) keys (paging.py): queues
hold up to millions of rows, so no page ever counts or skips rows, and every page runs
the same number of queries whatever its size. A unit the user may not see answers 404,
exactly like a missing one. Nothing here shows who sent a case: rows carry its alias.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from danvan.accounts import policies
from danvan.accounts.policies import ROLE_PERMS, Perm
from danvan.core.http import domain_http
from danvan.units import tree
from danvan.units.models import Unit
from danvan.units.pages import page_unit

from . import paging, selectors, services, stats_charts
from .export import stats_workbook
from .forms import CaseFilterForm, StatsFilterForm, UnitFilterForm
from .models import KINDS, Alert, Case, Status
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
        context.update(keyset_context(request, qs), unit=unit)
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
