"""The reception pages: thin doors onto the reception selectors (reads) and services
(writes).

The unit is the one named by ?unit=code, else the unit the user works in. A unit or a
record out of sight answers 404 like a missing one; an action not allowed answers 403;
a form a service refuses comes back with HTTP 400 and the message beside its field.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.dates import format_month
from danvan.core.forms import apply_service, form_status
from danvan.core.http import domain_http, paginate
from danvan.units.models import Unit
from danvan.units.pages import page_unit, required_unit, with_unit

from ..models import ReceptionSession
from . import selectors, services
from .forms import MonthForm, ScheduleEndForm, ScheduleForm, SessionForm, today_initial

PER_PAGE = 50
SHORTFALLS_PER_PAGE = 20


# -- the unit and month a page is about ---------------------------------------------------


def month_form(request: HttpRequest) -> tuple[MonthForm, Unit | None, int, int]:
    """The unit-and-month form of a list page, the unit picked (units.picker; default: the
    working unit; None when the typed unit is refused) and the month (default: now)."""
    now = selectors.today()
    data = request.GET.copy()
    # The form always shows what the page shows: the unit and the month chosen or implied.
    if not data.get("unit") and not data.get("unit_pick"):
        current = page_unit(request, "")
        if current is not None:
            data["unit"] = current.code
    if not data.get("month"):
        data["month"] = format_month(now.year, now.month)
    form = MonthForm(data, actor=request.user)
    year, month = now.year, now.month
    form.is_valid()
    if form.cleaned_data.get("month"):
        year, month = form.cleaned_data["month"]
    return form, form.cleaned_data.get("unit"), year, month


def optional_url(name: str, *args: Any) -> str | None:
    """The URL of *name*, or None while the page of another engineer is not mounted yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *forms: Any
) -> HttpResponse:
    return render(request, template, context, status=form_status(*forms))


# -- the reception page: schedules and the minimum warning ---------------------------------


@login_required
@domain_http
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form, unit, year, month = month_form(request)
    context: dict[str, Any] = {
        "unit": unit,
        "form": form,
        "year": year,
        "month": month,
        "today": selectors.today(),
    }
    if unit is not None:
        schedules = selectors.schedules_under(user=request.user, unit=unit)
        page, query = paginate(request, schedules, PER_PAGE)
        first, last = selectors.month_bounds(year, month)
        # A province's leaders are many: the shortfalls are paged too (own page number).
        shortfalls = selectors.reception_shortfalls(
            user=request.user, unit=unit, year=year, month=month
        )
        short_page, short_query = paginate(
            request, shortfalls, SHORTFALLS_PER_PAGE, param="shortfalls_page"
        )
        context.update(
            {
                "page": page,
                "query": query,
                "schedules": list(page.object_list),
                "shortfalls": list(short_page.object_list),
                "short_page": short_page,
                "short_query": short_query,
                "month_start": first,
                "month_end": last,
                "can_manage": policies.has_perm(request.user, Perm.RECEPTION_MANAGE, unit),
                "can_record": policies.has_perm(request.user, Perm.CASE_INTAKE, unit),
                "sessions_url": with_unit(
                    "reception:sessions", unit, month=format_month(year, month)
                ),
            }
        )
    return _render(request, "cases/reception/index.html", context, form)


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def schedule_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    unit = required_unit(request)
    policies.require(actor, Perm.RECEPTION_MANAGE, unit)
    form = ScheduleForm(request.POST or None, unit=unit, initial=today_initial("valid_from"))
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form, lambda: services.schedule_create(actor=actor, unit=unit, **form.arguments())
        )
        if done is not None:
            messages.success(
                request,
                _("Đã thêm lịch tiếp công dân của %(name)s.") % {"name": done.leader.full_name},
            )
            return redirect(with_unit("reception:index", unit))
    return _render(
        request,
        "cases/reception/form.html",
        {
            "unit": unit,
            "form": form,
            "title": _("Thêm lịch tiếp công dân"),
            "cancel_url": with_unit("reception:index", unit),
            "no_officials": not form.fields["leader"].queryset.exists(),  # type: ignore[attr-defined]
        },
        form,
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def schedule_end(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    schedule = selectors.schedule_get(user=actor, pk=pk)
    policies.require(actor, Perm.RECEPTION_MANAGE, schedule.unit)
    form = ScheduleEndForm(
        request.POST or None, schedule=schedule, initial=today_initial("valid_to")
    )
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form,
            lambda: services.schedule_end(
                actor=actor, schedule=schedule, valid_to=form.cleaned_data["valid_to"]
            ),
        )
        if done is not None:
            messages.success(request, _("Đã kết thúc lịch tiếp công dân."))
            return redirect(with_unit("reception:index", schedule.unit))
    return _render(
        request,
        "cases/reception/form.html",
        {
            "unit": schedule.unit,
            "schedule": schedule,
            "form": form,
            "title": _("Kết thúc lịch tiếp công dân"),
            "cancel_url": with_unit("reception:index", schedule.unit),
        },
        form,
    )


# -- sessions ------------------------------------------------------------------------------


@login_required
@domain_http
@require_GET
def sessions(request: HttpRequest) -> HttpResponse:
    form, unit, year, month = month_form(request)
    context: dict[str, Any] = {
        "unit": unit,
        "form": form,
        "year": year,
        "month": month,
    }
    if unit is not None:
        rows = selectors.sessions_under(user=request.user, unit=unit, year=year, month=month)
        page, query = paginate(request, rows, PER_PAGE)
        context.update(
            {
                "page": page,
                "query": query,
                "sessions": list(page.object_list),
                "can_record": policies.has_perm(request.user, Perm.CASE_INTAKE, unit),
                "index_url": with_unit("reception:index", unit, month=format_month(year, month)),
            }
        )
    return _render(request, "cases/reception/sessions.html", context, form)


def _session_form_page(
    request: HttpRequest, form: SessionForm, unit: Unit, session: ReceptionSession | None
) -> HttpResponse:
    return _render(
        request,
        "cases/reception/form.html",
        {
            "unit": unit,
            "session": session,
            "form": form,
            "title": _("Sửa buổi tiếp công dân") if session else _("Ghi buổi tiếp công dân"),
            "cancel_url": reverse("reception:session", args=[session.pk])
            if session
            else with_unit("reception:sessions", unit),
            "no_officials": not form.fields["leader"].queryset.exists(),  # type: ignore[attr-defined]
        },
        form,
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    unit = required_unit(request)
    policies.require(actor, Perm.CASE_INTAKE, unit)
    form = SessionForm(request.POST or None, unit=unit, initial=today_initial("held_on"))
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form, lambda: services.session_record(actor=actor, unit=unit, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, _("Đã ghi buổi tiếp công dân."))
            return redirect("reception:session", pk=done.pk)
    return _session_form_page(request, form, unit, None)


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    session = selectors.session_get(user=actor, pk=pk)
    policies.require(actor, Perm.CASE_INTAKE, session.unit)
    initial = {
        "leader": session.leader_id,
        "held_on": session.held_on,
        "schedule": session.schedule_id,
        "place": session.place,
        "citizens_count": session.citizens_count,
        "citizens": session.citizens,
        "content": session.content,
    }
    form = SessionForm(request.POST or None, unit=session.unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form,
            lambda: services.session_update(actor=actor, session=session, **form.cleaned_data),
        )
        if done is not None:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("reception:session", pk=done.pk)
    return _session_form_page(request, form, session.unit, session)


@login_required
@domain_http
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    session = selectors.session_get(user=actor, pk=pk)
    cases = list(selectors.session_cases(user=actor, session=session))
    detail_url = optional_url("cases:detail", "00000000-0000-0000-0000-000000000000")
    receive_url = None
    if policies.has_perm(actor, Perm.CASE_INTAKE, session.unit):
        base = optional_url("cases:receive")
        receive_url = f"{base}?{urlencode({'session': session.pk})}" if base else None
    return render(
        request,
        "cases/reception/session_detail.html",
        {
            "session": session,
            "unit": session.unit,
            "case_rows": [
                (c, reverse("cases:detail", args=[c.public_id]) if detail_url else None)
                for c in cases
            ],
            "receive_url": receive_url,
            "can_edit": policies.has_perm(actor, Perm.CASE_INTAKE, session.unit),
            "sessions_url": with_unit(
                "reception:sessions",
                session.unit,
                month=format_month(session.held_on.year, session.held_on.month),
            ),
        },
    )
