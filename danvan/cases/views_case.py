"""One case: intake, the detail page with its actions, the receipt, documents, and the
sender's identity behind an audited button.

Thin doors onto cases.selectors (reads) and cases.services (writes). A case the user may
not see answers 404 exactly like a missing one; an action the user may not take answers
403; a refusal the user can fix comes back with HTTP 400 and the message beside its
field (or on top, for a stale version). The sender appears only as the case's alias:
the identity is rendered by `identity` alone, for those the law allows, and every look
is audited by the service.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.accounts.selectors import current_unit, switchable_units
from danvan.core.errors import PermissionDenied
from danvan.core.forms import apply_service
from danvan.core.http import domain_http
from danvan.legal.deadlines import Deadline
from danvan.units.models import Unit

from . import selectors, services, workflow
from .forms import ACTION_FORMS, ACTION_LABELS, ActionForm, AssignForm, ReceiveForm
from .identity import Identity
from .models import Case, Channel, SenderIdentity, Status
from .views import alert_of

# The lookup page of the citizens' portal, printed on the receipt.


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
    sender = services.identity_view(actor=actor, case=case)
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
    name, content_type, data = services.identity_scan(actor=actor, case=case, scan_id=scan_id)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return _no_store(response)
