"""The unit pages: thin doors onto units.selectors (reads) and units.services (writes).

A unit the user may not see answers 404 exactly like a missing one; an action
the user may not take on a unit they see answers 403. A form refused by a
service comes back with HTTP 400 and the message beside its field.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.core.forms import apply_service
from danvan.core.http import domain_http, paginate

from . import picker, selectors, services
from .forms import (
    OfficialFilterForm,
    OfficialForm,
    SteeringAddForm,
    SteeringEndForm,
    SuccessionForm,
    UnitCreateForm,
    UnitEditForm,
    UnitMoveForm,
    UnitSearchForm,
    child_kinds,
)
from .models import LEVEL_KINDS, Succession, Unit, UnitKind
from .panels import render_panels

SEARCH_LIMIT = 100
OFFICIALS_PER_PAGE = 50


def _render_form(
    request: HttpRequest, template: str, context: dict[str, Any], form: Any
) -> HttpResponse:
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)


def _flag(request: HttpRequest, name: str) -> bool:
    return request.GET.get(name, "") not in ("", "0", "false", "off")


# -- the unit picker's suggestions -----------------------------------------------


@login_required
@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """Suggestions for a unit picker (units.picker): the options of its listbox.

    Only units the user may pick for the purpose the request names; bounded, and
    one query whatever the number of units.
    """
    purpose = picker.Purpose.from_query(request.GET)
    field = request.GET.get("field") or "q"
    text = (request.GET.get("q") or request.GET.get(field) or "").strip()
    units: list[dict[str, str]] = []
    searched = bool(text) and purpose is not None and picker.refusal(text) is None
    if searched:
        assert purpose is not None
        for unit in picker.search(request.user, purpose, text, limit=picker.SUGGEST_LIMIT):
            units.append(
                {
                    "code": unit.code,
                    "name": unit.name,
                    "parent": unit.parent.name if unit.parent else "",
                    "label": picker.label(unit),
                }
            )
    return render(request, "units/picker/options.html", {"units": units, "searched": searched})


# -- the tree ------------------------------------------------------------------


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    form = UnitSearchForm(request.GET or None)
    q, include_historical = "", False
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        include_historical = form.cleaned_data["include_historical"]
    context: dict[str, Any] = {
        "search_form": form,
        "q": q,
        "include_historical": include_historical,
    }
    if q:
        found = selectors.unit_list(actor=request.user, q=q, include_historical=include_historical)
        results = list(found[: SEARCH_LIMIT + 1])
        context["results"] = results[:SEARCH_LIMIT]
        context["results_truncated"] = len(results) > SEARCH_LIMIT
    else:
        context["roots"] = selectors.unit_roots(
            actor=request.user, include_historical=include_historical
        )
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request and htmx.target == "unit-results":
        return render(request, "units/_results.html", context)
    return render(request, "units/tree.html", context)


@login_required
@domain_http
def children(request: HttpRequest, code: str) -> HttpResponse:
    """The children of one node, for the tree's expand button (an htmx partial)."""
    unit = selectors.unit_get(actor=request.user, code=code)
    include_historical = _flag(request, "include_historical")
    kids = selectors.unit_children(
        actor=request.user, unit=unit, include_historical=include_historical
    )
    return render(
        request,
        "units/_children.html",
        {"unit": unit, "units": kids, "include_historical": include_historical},
    )


# -- one unit ------------------------------------------------------------------


def _grouped_children(kids: list[Unit]) -> list[tuple[str, list[Unit]]]:
    """Children grouped by kind, in the order the kinds are declared."""
    groups: dict[str, list[Unit]] = {}
    for kid in kids:
        groups.setdefault(kid.kind, []).append(kid)
    return [(str(kind.label), groups[kind]) for kind in UnitKind if kind in groups]


def _ended_by(unit: Unit, successions: list[Succession]) -> list[dict[str, Any]]:
    """The successions that ended *unit*, each with the units that took it over."""
    ended = []
    for item in successions:
        preds = list(item.predecessors.all())
        succs = [u for u in item.successors.all() if u.pk != unit.pk]
        if unit in preds and len(succs) == len(item.successors.all()):
            ended.append({"succession": item, "successors": succs})
    return ended


@login_required
@domain_http
def detail(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    unit = selectors.unit_get(actor=user, code=code)
    is_level = unit.kind in LEVEL_KINDS
    can_view_officials = policies.has_perm(user, Perm.OFFICIAL_VIEW, unit)
    current = not unit.is_historical
    can = {
        "create_child": current
        and bool(child_kinds(unit))
        and policies.has_perm(user, Perm.UNIT_CREATE_CHILD, unit),
        "edit": policies.has_perm(user, Perm.UNIT_CHANGE, unit),
        "move": current and not is_level and policies.has_perm(user, Perm.UNIT_MOVE, unit),
        "succession": current and policies.has_perm(user, Perm.SUCCESSION_RECORD, unit),
        "official": policies.has_perm(user, Perm.OFFICIAL_MANAGE, unit),
        "steering": is_level and current and policies.has_perm(user, Perm.STEERING_MANAGE, unit),
    }
    kids = list(selectors.unit_children(actor=user, unit=unit, include_historical=True))
    successions = list(selectors.unit_successions(unit))
    context: dict[str, Any] = {
        "unit": unit,
        "ancestors": selectors.unit_ancestors(unit),
        "successions": successions,
        "ended_by": _ended_by(unit, successions) if unit.is_historical else [],
        "child_groups": _grouped_children(kids),
        "children_total": len(kids),
        "is_level": is_level,
        "can": can,
        "can_view_officials": can_view_officials,
        "officials": (
            list(selectors.official_list(actor=user, unit=unit).filter(unit=unit))
            if can_view_officials
            else []
        ),
        "steering": (
            list(selectors.steering_members(actor=user, level=unit))
            if is_level and can_view_officials
            else []
        ),
        "end_form": SteeringEndForm() if can["steering"] else None,
        # What the area apps show about the unit (panels.py: they register, no import here).
        "panels": render_panels(request, unit),
    }
    return render(request, "units/detail.html", context)


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def create_child(request: HttpRequest, code: str) -> HttpResponse:
    parent = selectors.unit_get(actor=request.user, code=code)
    policies.require(request.user, Perm.UNIT_CREATE_CHILD, parent)
    form = UnitCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = apply_service(
            form, lambda: services.unit_create(actor=request.user, parent=parent, **data)
        )
        if unit is not None:
            messages.success(request, _("Đã thêm đơn vị “%(name)s”.") % {"name": unit.name})
            return redirect(unit)
    return _render_form(
        request,
        "units/unit_form.html",
        {"unit": parent, "title": _("Thêm đơn vị trực thuộc")},
        form,
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.unit_get(actor=request.user, code=code)
    policies.require(request.user, Perm.UNIT_CHANGE, unit)
    form = UnitEditForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        changes, current = form.changes(), unit
        updated = apply_service(
            form, lambda: services.unit_update(actor=request.user, unit=current, **changes)
        )
        if updated is not None:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(updated)
    return _render_form(
        request, "units/unit_form.html", {"unit": unit, "title": _("Sửa thông tin đơn vị")}, form
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, code: str) -> HttpResponse:
    """Attach an organization (not a province or commune) under another level."""
    unit = selectors.unit_get(actor=request.user, code=code)
    if unit.kind in LEVEL_KINDS:
        # Administrative units change place only by a recorded merge or split.
        raise Http404
    policies.require(request.user, Perm.UNIT_MOVE, unit)
    form = UnitMoveForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        new_parent, current = form.cleaned_data["new_parent"], unit
        moved = apply_service(
            form,
            lambda: services.unit_move(actor=request.user, unit=current, new_parent=new_parent),
            not_found_field="new_parent",
        )
        if moved is not None:
            messages.success(request, _("Đã chuyển đơn vị."))
            return redirect(moved)
    return _render_form(
        request,
        "units/unit_form.html",
        {"unit": unit, "title": _("Chuyển sang đơn vị cấp trên khác")},
        form,
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def succession(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.unit_get(actor=request.user, code=code)
    policies.require(request.user, Perm.SUCCESSION_RECORD, unit)
    form = SuccessionForm(request.POST or None, actor=request.user, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recorded = apply_service(
            form,
            lambda: services.succession_record(
                actor=request.user,
                kind=data["kind"],
                predecessors=data["predecessors"],
                successors=data["successors"],
                effective_date=data["effective_date"],
                resolution_number=data["resolution_number"],
                note=data["note"],
            ),
            # A unit in the lists that the user may not see answers like a missing code.
            not_found_field=None,
        )
        if recorded is not None:
            messages.success(request, _("Đã ghi nhận sáp nhập, chia tách."))
            return redirect(unit)
    return _render_form(
        request,
        "units/unit_form.html",
        {"unit": unit, "title": _("Ghi nhận sáp nhập, chia tách")},
        form,
    )


# -- officials and the steering committee -----------------------------------


@login_required
def officials(request: HttpRequest) -> HttpResponse:
    form = OfficialFilterForm(request.GET or None, actor=request.user)
    unit, q = None, ""
    if form.is_bound and form.is_valid():
        unit, q = form.cleaned_data["unit"], form.cleaned_data["q"].strip()
    if form.errors:
        rows = selectors.official_list(actor=request.user).none()
    else:
        rows = selectors.official_list(actor=request.user, unit=unit, q=q or None)
    page, query = paginate(request, rows, OFFICIALS_PER_PAGE)
    return render(
        request,
        "units/officials.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "filter_unit": unit,
        },
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def official_create(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.unit_get(actor=request.user, code=code)
    policies.require(request.user, Perm.OFFICIAL_MANAGE, unit)
    form = OfficialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        official = apply_service(
            form, lambda: services.official_create(actor=request.user, unit=unit, **data)
        )
        if official is not None:
            messages.success(
                request, _("Đã thêm cán bộ “%(name)s”.") % {"name": official.full_name}
            )
            return redirect(unit)
    return _render_form(
        request, "units/unit_form.html", {"unit": unit, "title": _("Thêm cán bộ")}, form
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def official_edit(request: HttpRequest, pk: int) -> HttpResponse:
    official = selectors.official_get(actor=request.user, pk=pk)
    policies.require(request.user, Perm.OFFICIAL_MANAGE, official.unit)
    initial = {name: getattr(official, name) for name in OfficialForm.Meta.fields}
    form = OfficialForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = apply_service(
            form,
            lambda: services.official_update(actor=request.user, official=official, **data),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(official.unit)
    return _render_form(
        request,
        "units/unit_form.html",
        {"unit": official.unit, "title": _("Sửa thông tin cán bộ"), "official": official},
        form,
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def steering_add(request: HttpRequest, code: str) -> HttpResponse:
    level = selectors.unit_get(actor=request.user, code=code)
    if level.kind not in LEVEL_KINDS:
        # Only provinces and communes have a steering committee: no such page elsewhere.
        raise Http404
    policies.require(request.user, Perm.STEERING_MANAGE, level)
    form = SteeringAddForm(request.POST or None, actor=request.user, level=level)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = apply_service(
            form, lambda: services.steering_member_add(actor=request.user, level=level, **data)
        )
        if member is not None:
            messages.success(request, _("Đã thêm thành viên Ban Chỉ đạo."))
            return redirect(level)
    return _render_form(
        request,
        "units/unit_form.html",
        {"unit": level, "title": _("Thêm thành viên Ban Chỉ đạo")},
        form,
    )


@login_required
@domain_http
@require_POST
def steering_end(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.steering_member_get(actor=request.user, pk=pk)
    policies.require(request.user, Perm.STEERING_MANAGE, member.level)
    form = SteeringEndForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(member.level)
    try:
        services.steering_member_end(
            actor=request.user, member=member, end_date=form.cleaned_data["end_date"]
        )
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(name)s đã thôi tham gia Ban Chỉ đạo.") % {"name": member.official.full_name},
        )
    return redirect(member.level)
