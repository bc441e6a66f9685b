"""The disclosure pages: thin doors onto selectors (reads) and services (writes).

The unit is the one named by ?unit=code, else the unit the user works in. A unit or a
record out of sight answers 404 like a missing one; an action not allowed answers 403;
a form a service refuses comes back with HTTP 400 and the message beside its field.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.forms import apply_service, form_status
from danvan.core.http import domain_http, paginate
from danvan.units.models import Unit
from danvan.units.pages import page_unit, required_unit, with_unit
from danvan.units.picker import national_view, unit_filter

from . import selectors, services
from .forms import ChannelForm, DisclosureEditForm, EvidenceForm, PeriodForm
from .models import Disclosure, DisclosureForm, RuleUnitKind

PER_PAGE = 50


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *forms: Any
) -> HttpResponse:
    return render(request, template, context, status=form_status(*forms))


# -- the list -------------------------------------------------------------------------------


@login_required
@domain_http
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    unit_form, unit = unit_filter(request)
    context: dict[str, Any] = {"unit": unit, "unit_form": unit_form}
    # A national user without a unit sees the whole country's disclosures.
    national = national_view(request.user, unit_form, unit, Perm.DEMOCRACY_VIEW)
    if unit is not None or national:
        rows = selectors.disclosures_under(user=request.user, unit=unit)
        page, query = paginate(request, rows, PER_PAGE)
        context.update(
            {
                "national": national,
                "page": page,
                "query": query,
                "disclosures": list(page.object_list),
            }
        )
    if unit is not None:
        context.update(
            {
                "can_manage": policies.has_perm(request.user, Perm.DEMOCRACY_MANAGE, unit),
                "compliance_url": with_unit("disclosure:compliance", unit),
            }
        )
    return render(request, "disclosure/index.html", context, status=form_status(unit_form))


# -- create, edit ---------------------------------------------------------------------------


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    unit = required_unit(request)
    policies.require(actor, Perm.DEMOCRACY_MANAGE, unit)
    form = DisclosureEditForm(
        request.POST or None,
        unit=unit,
        with_forms=True,
        initial={"start": selectors.today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        channels = [
            services.ChannelSpec(form=code, start=data["start"], end=data.get("end"))
            for code in data.get("forms") or []
        ]
        done = apply_service(
            form,
            lambda: services.disclosure_create(
                actor=actor, unit=unit, channels=channels, **form.arguments()
            ),
        )
        if done is not None:
            messages.success(request, _("Đã ghi nhận nội dung công khai."))
            return redirect("disclosure:detail", public_id=done.public_id)
    return _render(
        request,
        "disclosure/form.html",
        {
            "unit": unit,
            "form": form,
            "title": _("Ghi nhận nội dung công khai"),
            "cancel_url": with_unit("disclosure:list", unit),
            "no_kinds": not form.fields["kind"].queryset.exists(),  # type: ignore[attr-defined]
        },
        form,
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    disclosure = selectors.disclosure_get(user=actor, public_id=public_id)
    policies.require(actor, Perm.DEMOCRACY_MANAGE, disclosure.unit)
    initial = {
        "kind": disclosure.kind_id,
        "title": disclosure.title,
        "summary": disclosure.summary,
        "start": disclosure.start,
        "end": disclosure.end,
        "due_on": disclosure.due_on,
        "is_public": disclosure.is_public,
    }
    form = DisclosureEditForm(request.POST or None, unit=disclosure.unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form,
            lambda: services.disclosure_update(
                actor=actor, disclosure=disclosure, **form.arguments()
            ),
        )
        if done is not None:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("disclosure:detail", public_id=done.public_id)
    return _render(
        request,
        "disclosure/form.html",
        {
            "unit": disclosure.unit,
            "disclosure": disclosure,
            "form": form,
            "title": _("Sửa nội dung công khai"),
            "cancel_url": disclosure.get_absolute_url(),
        },
        form,
    )


# -- the detail page, its forms and its evidence -----------------------------------------


def _detail(
    request: HttpRequest,
    disclosure: Disclosure,
    *,
    channel_form: ChannelForm | None = None,
    evidence_form: EvidenceForm | None = None,
) -> HttpResponse:
    can_manage = policies.has_perm(request.user, Perm.DEMOCRACY_MANAGE, disclosure.unit)
    findings = selectors.channel_findings(disclosure.unit, disclosure, selectors.today())
    return _render(
        request,
        "disclosure/detail.html",
        {
            "disclosure": disclosure,
            "unit": disclosure.unit,
            "channels": list(disclosure.channels.all()),
            "evidence": list(disclosure.evidence.all()),
            "findings": findings,
            "can_manage": can_manage,
            "channel_form": channel_form
            or (ChannelForm(initial={"start": disclosure.start}) if can_manage else None),
            "evidence_form": evidence_form or (EvidenceForm() if can_manage else None),
        },
        channel_form,
        evidence_form,
    )


@login_required
@domain_http
@require_GET
def detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    disclosure = selectors.disclosure_get(user=request.user, public_id=public_id)
    return _detail(request, disclosure)


@login_required
@domain_http
@require_POST
def channel_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    disclosure = selectors.disclosure_get(user=actor, public_id=public_id)
    policies.require(actor, Perm.DEMOCRACY_MANAGE, disclosure.unit)
    form = ChannelForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = apply_service(
            form,
            lambda: services.channel_add(
                actor=actor,
                disclosure=disclosure,
                form=data["form"],
                start=data["start"],
                end=data.get("end"),
                place=data.get("place") or "",
            ),
        )
        if done is not None:
            messages.success(
                request,
                _("Đã thêm hình thức “%(form)s”.") % {"form": DisclosureForm(done.form).label},
            )
            return redirect("disclosure:detail", public_id=disclosure.public_id)
    return _detail(request, disclosure, channel_form=form)


@login_required
@domain_http
@require_POST
def channel_remove(request: HttpRequest, public_id: uuid.UUID, pk: int) -> HttpResponse:
    actor = request.user
    disclosure = selectors.disclosure_get(user=actor, public_id=public_id)
    policies.require(actor, Perm.DEMOCRACY_MANAGE, disclosure.unit)
    channel = selectors.channel_get(disclosure=disclosure, pk=pk)
    services.channel_remove(actor=actor, channel=channel)
    messages.success(request, _("Đã xóa hình thức công khai."))
    return redirect("disclosure:detail", public_id=disclosure.public_id)


@login_required
@domain_http
@require_POST
def evidence_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    disclosure = selectors.disclosure_get(user=actor, public_id=public_id)
    policies.require(actor, Perm.DEMOCRACY_MANAGE, disclosure.unit)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        done = apply_service(
            form,
            lambda: services.evidence_add(
                actor=actor,
                disclosure=disclosure,
                file=form.cleaned_data["file"],
                caption=form.cleaned_data.get("caption") or "",
                is_public=bool(form.cleaned_data.get("is_public")),
            ),
        )
        if done is not None:
            messages.success(request, _("Đã thêm minh chứng."))
            return redirect("disclosure:detail", public_id=disclosure.public_id)
    return _detail(request, disclosure, evidence_form=form)


@login_required
@domain_http
@require_GET
def evidence_file(request: HttpRequest, public_id: uuid.UUID, pk: int) -> HttpResponse:
    """An evidence file, streamed after the policy check (evidence is never public)."""
    disclosure = selectors.disclosure_get(user=request.user, public_id=public_id)
    item = selectors.evidence_get(disclosure=disclosure, pk=pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, content_type=item.content_type, as_attachment=True, filename=item.original_name
    )
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)


# -- compliance and the catalogue -----------------------------------------------------------


def period(request: HttpRequest) -> tuple[PeriodForm, Unit | None, dt.date, dt.date]:
    """The unit-and-period form, the unit picked (units.picker; default: the working unit;
    None when the typed unit is refused) and the period (default: this year to date)."""
    now = selectors.today()
    data = request.GET.copy()
    if not data.get("unit") and not data.get("unit_pick"):
        current = page_unit(request, "")
        if current is not None:
            data["unit"] = current.code
    if not data.get("from"):
        data["from"] = f"{dt.date(now.year, 1, 1):%d/%m/%Y}"
    if not data.get("to"):
        data["to"] = f"{now:%d/%m/%Y}"
    form = PeriodForm(data, actor=request.user)
    start, end = dt.date(now.year, 1, 1), now
    if form.is_valid():
        start = form.cleaned_data["from"] or start
        end = form.cleaned_data["to"] or end
    return form, form.cleaned_data.get("unit"), start, end


@login_required
@domain_http
@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    form, unit, start, end = period(request)
    context: dict[str, Any] = {
        "unit": unit,
        "form": form,
        "start": start,
        "end": end,
    }
    if unit is not None and form.is_valid():
        check = selectors.compliance_check(user=request.user, unit=unit, start=start, end=end)
        total, rows = selectors.compliance_summary(check)
        # A page about many units opens on one row per child unit; a unit without
        # checked units under it opens on its findings. Both are paged (issue 10: at
        # most ~100 KB of HTML for a province).
        by_unit = len(rows) > 1 or (len(rows) == 1 and rows[0].unit.pk != unit.pk)
        view = request.GET.get("view") or ("units" if by_unit else "findings")
        if view not in ("units", "findings"):
            view = "units" if by_unit else "findings"
        problems_only = request.GET.get("problems", "1") != "0"
        if view == "units":
            shown = [r for r in rows if r.has_problems] if problems_only else rows
            page, query = paginate(request, shown, PER_PAGE)
            # A checked unit with units under it (a commune's public service units)
            # also shows its own findings, under the summary, paged on their own.
            own = [f for f in check.findings if f.unit.pk == unit.pk]
            own_page, own_query = paginate(request, own, PER_PAGE, param="own_page")
            context.update({"own_page": own_page, "own_query": own_query})
        else:
            # ?problem=<summary column> keeps one kind of finding (a report's figure
            # "disclosures missing" opens this list with problem=missing).
            problems = selectors.SUMMARY_COLUMNS.get(request.GET.get("problem", ""))
            findings = check.findings
            if problems is not None:
                findings = [f for f in findings if f.problem in problems]
            page, query = paginate(request, findings, PER_PAGE)
        params = {"from": form.data["from"], "to": form.data["to"]}
        context.update(
            {
                "total": total,
                "view": view,
                "by_unit": by_unit,
                "problems_only": problems_only,
                "page": page,
                "query": query,
                "list_url": with_unit("disclosure:list", unit),
                "units_url": with_unit("disclosure:compliance", unit, view="units", **params),
                "findings_url": with_unit("disclosure:compliance", unit, view="findings", **params),
                "all_url": with_unit(
                    "disclosure:compliance", unit, view="units", problems="0", **params
                ),
                "problems_url": with_unit(
                    "disclosure:compliance", unit, view="units", problems="1", **params
                ),
                "period_query": urlencode(params),
            }
        )
    return _render(request, "disclosure/compliance.html", context, form)


@login_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """The kinds of content to disclose, every version, with citations and to-verify flags
    (national rule data, like the legal rules)."""
    kinds = list(selectors.kinds_catalogue())
    groups = [
        (label, [k for k in kinds if k.unit_kind == value]) for value, label in RuleUnitKind.choices
    ]
    return render(
        request,
        "disclosure/catalogue.html",
        {
            "groups": groups,
            "to_verify_count": sum(1 for k in kinds if k.to_verify),
            # The catalogue is national rule data: the same administrators as the legal
            # rules add its versions and mark them checked.
            "can_manage": policies.has_perm(request.user, Perm.LEGAL_MANAGE, None),
        },
    )
