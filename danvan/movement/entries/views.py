"""The entry pages: thin doors onto movement.selectors (reads) and movement.services (writes).

An entry the user may not see answers 404 exactly like a missing one; an action the
user may not take on an entry they see answers 403. A form refused by a service comes
back with HTTP 400 and the message beside its field.
"""

from __future__ import annotations

import tempfile
import uuid
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts import policies
from danvan.accounts.policies import ROLE_PERMS, Perm
from danvan.accounts.selectors import current_unit
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.core.forms import add_domain_error, apply_service
from danvan.core.http import domain_http, paginate
from danvan.units import selectors as unit_selectors
from danvan.units.models import Unit

from .. import selectors, services, workflow
from ..models import Entry
from .export import export_entries
from .forms import (
    TRANSITION_LABELS,
    AttachmentForm,
    CommendForm,
    EntryCreateForm,
    EntryFilterForm,
    EntryForm,
    ReplicateForm,
    TransitionForm,
    entry_initial,
)

PER_PAGE = 50
SOURCES_LIMIT = 20


# -- the list and its export ----------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[EntryFilterForm, Any]:
    """The filter form and the entries it selects (none while the filters have errors).

    A unit filter naming a unit the user may not see raises NotFound (404), like a
    missing one.
    """
    form = EntryFilterForm(request.GET or None, actor=request.user)
    if not form.is_bound:
        return form, selectors.entry_list(actor=request.user)
    if not form.is_valid():
        return form, selectors.entry_list(actor=request.user).none()
    return form, selectors.entry_list(actor=request.user, **form.filters())


@login_required
@domain_http
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    form, rows = _filtered(request)
    page, query = paginate(request, rows, PER_PAGE)
    entries = list(page.object_list)
    counts = selectors.replication_counts(entries)
    for entry in entries:
        entry.replication_count = counts.get(entry.pk, 0)
    return render(
        request,
        "movement/entry_list.html",
        {
            "form": form,
            "page": page,
            "entries": entries,
            "query": query,
            "filter_unit": form.cleaned_data.get("unit")
            if form.is_bound and form.is_valid()
            else None,
            "can_register": _can_register_somewhere(request.user),
        },
        status=400 if form.errors else 200,
    )


@login_required
@domain_http
@require_GET
def entry_export(request: HttpRequest) -> HttpResponse:
    """Exactly the filtered list (the same query string) as an .xlsx file."""
    form, rows = _filtered(request)
    if form.errors:
        return render(
            request,
            "movement/entry_list.html",
            {"form": form, "page": None, "entries": [], "query": ""},
            status=400,
        )
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    export_entries(rows, out)
    out.seek(0)
    name = f"mo-hinh-dan-van-kheo-{timezone.localdate():%Y%m%d}.xlsx"
    return _streamed(
        FileResponse(
            out,
            as_attachment=True,
            filename=name,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    )


def _streamed(response: FileResponse) -> HttpResponse:
    # domain_http is typed for HttpResponse; a streamed file passes through it unchanged.
    return cast(HttpResponse, response)


# -- registering and editing --------------------------------------------------


def _can_register_somewhere(user: Any) -> bool:
    return any(Perm.MOVEMENT_EDIT in ROLE_PERMS[g.role] for g in policies.grants_of(user))


def _duplicates(form: EntryForm, *, unit: Unit, exclude: Entry | None = None) -> list[Entry] | None:
    """Entries the new name would duplicate, or None when the year fits no period (the
    error is then on the form)."""
    data = form.cleaned_data
    try:
        period = services.period_for_year(data["registration_year"])
    except DomainError as exc:
        add_domain_error(form, exc)
        return None
    return services.duplicates_of(unit=unit, name=data["name"], period=period, exclude=exclude)


def _form_page(
    request: HttpRequest, template: str, context: dict[str, Any], form: Any
) -> HttpResponse:
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not _can_register_somewhere(actor):
        raise PermissionDenied()
    initial: dict[str, Any] = {}
    code = request.GET.get("unit", "").strip()
    if code:
        unit = unit_selectors.unit_get(actor=actor, code=code)
        policies.require(actor, Perm.MOVEMENT_EDIT, unit)
        initial["unit"] = unit.code
    else:
        current = current_unit(request)
        if current is not None and policies.has_perm(actor, Perm.MOVEMENT_EDIT, current):
            initial["unit"] = current.code
    form = EntryCreateForm(request.POST or None, actor=actor, initial=initial)
    duplicates: list[Entry] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = _duplicates(form, unit=data["unit"])
        if found and not form.confirmed:
            duplicates = found
            form.ask_confirmation()
        elif found is not None:
            register = request.POST.get("action") == "register"
            entry = apply_service(
                form,
                lambda: _create(actor, form, register=register),
            )
            if entry is not None:
                if register:
                    messages.success(request, _("Đã lưu và đăng ký mô hình."))
                else:
                    messages.success(request, _("Đã lưu bản nháp mô hình."))
                return redirect(entry)
    return _form_page(
        request,
        "movement/entry_form.html",
        {
            "title": _("Đăng ký mô hình, điển hình"),
            "duplicates": duplicates,
            "creating": True,
        },
        form,
    )


def _create(actor: Any, form: EntryCreateForm, *, register: bool) -> Entry:
    data = form.cleaned_data
    # "Lưu và đăng ký": both or neither.
    with transaction.atomic():
        entry = services.entry_create(
            actor=actor,
            unit=data["unit"],
            co_units=data["co_units"],
            **form.details(),
        )
        if register:
            entry = services.entry_transition(actor=actor, entry=entry, name="register")
    return entry


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    entry = selectors.entry_get(actor=actor, public_id=public_id)
    policies.require(actor, Perm.MOVEMENT_EDIT, entry.unit)
    form = EntryForm(request.POST or None, actor=actor, initial=entry_initial(entry))
    duplicates: list[Entry] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found: list[Entry] | None = []
        if data["name"] != entry.name or data["registration_year"] != entry.registration_year:
            found = _duplicates(form, unit=entry.unit, exclude=entry)
        if found and not form.confirmed:
            duplicates = found
            form.ask_confirmation()
        elif found is not None:
            current = entry
            updated = apply_service(
                form,
                lambda: services.entry_update(
                    actor=actor, entry=current, co_units=data["co_units"], **form.details()
                ),
            )
            if updated is not None:
                messages.success(request, _("Đã lưu thay đổi."))
                return redirect(updated)
    return _form_page(
        request,
        "movement/entry_form.html",
        {
            "title": _("Sửa mô hình, điển hình"),
            "entry": entry,
            "duplicates": duplicates,
            "editable": entry.status in services.EDITABLE_STATES,
            "creating": False,
        },
        form,
    )


@login_required
@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    """The duplicate warning as the user types the name (an htmx partial).

    Answers an empty warning, never an error, for anything it cannot check: a unit out
    of sight looks the same as a missing one.
    """
    found: list[Entry] = []
    # The unit picker's code when the user picked a unit, else what the field holds.
    code = (request.GET.get("unit_pick") or request.GET.get("unit", "")).strip()
    name = request.GET.get("name", "").strip()
    year = request.GET.get("registration_year", "").strip()
    if code and name and year.isdigit():
        try:
            unit = unit_selectors.unit_get(actor=request.user, code=code)
            policies.require(request.user, Perm.MOVEMENT_VIEW, unit)
            period = services.period_for_year(int(year))
        except DomainError:
            pass
        else:
            exclude = None
            if request.GET.get("entry"):
                try:
                    exclude = selectors.entry_get(
                        actor=request.user, public_id=request.GET["entry"]
                    )
                except (NotFound, ValueError, DomainError):
                    exclude = None
            found = services.duplicates_of(unit=unit, name=name, period=period, exclude=exclude)
    return render(request, "movement/_entry_duplicates.html", {"duplicates": found})


# -- one entry ------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    entry: Entry,
    *,
    status: int = 200,
    transition_form: TransitionForm | None = None,
    action_error: str = "",
    **bound: Any,
) -> HttpResponse:
    """The detail page; a POST that failed passes its bound form to show the errors."""
    actor = request.user
    can_edit_unit = policies.has_perm(actor, Perm.MOVEMENT_EDIT, entry.unit)
    transitions = []
    for t in services.allowed_transitions(actor, entry):
        if transition_form is not None and transition_form.transition == t:
            transitions.append(transition_form)
        else:
            transitions.append(TransitionForm(transition=t))
    can_commend = entry.recognized_on is not None and policies.has_perm_above(
        actor, Perm.MOVEMENT_MANAGE, entry.unit
    )
    source_q = request.GET.get("source_q", "").strip()
    context: dict[str, Any] = {
        "entry": entry,
        "co_units": list(entry.co_units.order_by("path")),
        "events": list(entry.events.select_related("actor", "decision")),
        "decisions": list(entry.decisions.all()),
        "attachments": list(entry.attachments.all()),
        "replicated_from": selectors.replication_source(actor=actor, entry=entry),
        "replications": selectors.entry_replications(actor=actor, entry=entry),
        "transitions": transitions,
        "action_error": action_error,
        "can_edit": can_edit_unit and entry.status in services.EDITABLE_STATES,
        "commend_form": bound.get("commend_form") or (CommendForm() if can_commend else None),
        "replicate_form": bound.get("replicate_form")
        or (ReplicateForm() if can_edit_unit and entry.replicated_from_id is None else None),
        "attach_form": bound.get("attach_form") or (AttachmentForm() if can_edit_unit else None),
        "can_publish_photos": services.can_publish_photos(actor, entry),
        "source_q": source_q,
        "sources": _sources(request, entry, source_q) if source_q else None,
        "transition_labels": TRANSITION_LABELS,
    }
    return render(request, "movement/entry_detail.html", context, status=status)


@login_required
@domain_http
@require_GET
def entry_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _detail(request, selectors.entry_get(actor=request.user, public_id=public_id))


@login_required
@domain_http
@require_POST
def entry_transition(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    entry = selectors.entry_get(actor=actor, public_id=public_id)
    name = request.POST.get("name", "")
    transition = workflow.find(name, entry.status) if name in workflow.NAMES else None
    if transition is None:
        # Someone else moved the entry on since the page was drawn: say so.
        message = _("Thao tác này không thực hiện được khi mô hình đang ở trạng thái “%(status)s”.")
        return _detail(
            request,
            entry,
            status=400,
            action_error=message % {"status": entry.get_status_display()},
        )
    form = TransitionForm(request.POST, transition=transition)
    if form.is_valid():
        done = apply_service(
            form,
            lambda: services.entry_transition(
                actor=actor,
                entry=entry,
                name=transition.name,
                reason=form.cleaned_data["reason"],
                decision=form.decision_or_none(),
            ),
        )
        if done is not None:
            messages.success(
                request,
                _("Đã thực hiện “%(action)s”: %(status)s.")
                % {"action": form.label, "status": done.get_status_display()},
            )
            return redirect(done)
    return _detail(request, entry, status=400, transition_form=form)


@login_required
@domain_http
@require_POST
def entry_commend(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    entry = selectors.entry_get(actor=actor, public_id=public_id)
    form = CommendForm(request.POST)
    if form.is_valid():
        decision = apply_service(
            form,
            lambda: services.entry_commend(
                actor=actor, entry=entry, decision=form.decision_input()
            ),
        )
        if decision is not None:
            messages.success(
                request, _("Đã ghi nhận khen thưởng %(number)s.") % {"number": decision.number}
            )
            return redirect(entry)
    return _detail(request, entry, status=400, commend_form=form)


@login_required
@domain_http
@require_POST
def entry_replicate(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    entry = selectors.entry_get(actor=actor, public_id=public_id)
    policies.require(actor, Perm.MOVEMENT_EDIT, entry.unit)
    form = ReplicateForm(request.POST)
    if form.is_valid():
        try:
            source = selectors.entry_get(actor=actor, public_id=form.cleaned_data["source"])
        except NotFound:
            form.add_error("source", _("Không tìm thấy mô hình gốc."))
        else:
            done = apply_service(
                form,
                lambda: services.replication_record(actor=actor, entry=entry, source=source),
            )
            if done is not None:
                messages.success(
                    request, _("Đã ghi nhận nhân rộng từ “%(name)s”.") % {"name": source.name}
                )
                return redirect(done)
    return _detail(request, entry, status=400, replicate_form=form)


def _sources(request: HttpRequest, entry: Entry, q: str) -> list[Entry]:
    """Visible entries of other units whose names match *q*: candidates to replicate."""
    rows = selectors.entry_list(actor=request.user, q=q).exclude(unit_id=entry.unit_id)
    return list(rows[:SOURCES_LIMIT])


@login_required
@domain_http
@require_GET
def entry_sources(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Search results for the replication form (an htmx partial)."""
    entry = selectors.entry_get(actor=request.user, public_id=public_id)
    q = request.GET.get("source_q", "").strip()
    return render(
        request,
        "movement/_entry_sources.html",
        {"entry": entry, "source_q": q, "sources": _sources(request, entry, q) if q else None},
    )


@login_required
@domain_http
@require_POST
def entry_attach(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    entry = selectors.entry_get(actor=actor, public_id=public_id)
    policies.require(actor, Perm.MOVEMENT_EDIT, entry.unit)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        added = apply_service(
            form,
            lambda: services.attachment_add(
                actor=actor,
                entry=entry,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            ),
        )
        if added is not None:
            messages.success(request, _("Đã tải lên “%(name)s”.") % {"name": added.original_name})
            return redirect(entry)
    return _detail(request, entry, status=400, attach_form=form)


@login_required
@domain_http
@require_POST
def attachment_publish(request: HttpRequest, public_id: uuid.UUID, pk: int) -> HttpResponse:
    """Show or hide a photo in the citizens' portal gallery (a button per photo)."""
    actor = request.user
    entry = selectors.entry_get(actor=actor, public_id=public_id)
    item = entry.attachments.filter(pk=pk).first()
    if item is None:
        raise Http404
    show = request.POST.get("is_public") == "1"
    try:
        services.attachment_set_public(actor=actor, attachment=item, is_public=show)
    except (PermissionDenied, NotFound):
        raise  # domain_http answers 403 / 404
    except DomainError as exc:
        return _detail(request, entry, status=400, action_error=exc.message)
    if show:
        messages.success(request, _("Ảnh đã được hiện trên cổng thông tin công dân."))
    else:
        messages.success(request, _("Ảnh đã được ẩn khỏi cổng thông tin công dân."))
    return redirect(entry)


@login_required
@domain_http
@require_GET
def attachment(request: HttpRequest, public_id: uuid.UUID, pk: int) -> HttpResponse:
    """Stream an attachment after the policy check: a unit's files are not public."""
    entry = selectors.entry_get(actor=request.user, public_id=public_id)
    item = entry.attachments.filter(pk=pk).first()
    if item is None:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type=item.content_type,
        as_attachment=not item.is_image,
        filename=item.original_name,
    )
    response["Cache-Control"] = "private, max-age=3600"
    return _streamed(response)
