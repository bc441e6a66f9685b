"""The conferences' pages: thin doors onto selectors (reads) and services (writes).

Reading needs Perm.DIRECTIVE_VIEW (on the conference's unit, or on a unit below it),
changing Perm.DIRECTIVE_MANAGE on the conference's unit. A conference out of sight
answers 404 like a missing one; a form a service refuses comes back with HTTP 400, what
was typed kept and the message beside its field.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts import policies as account_policies
from danvan.accounts.policies import Perm
from danvan.core.errors import DomainError, NotFound
from danvan.core.forms import apply_service, form_status
from danvan.core.http import domain_http, paginate
from danvan.units.pages import required_unit, with_unit
from danvan.units.picker import national_view, unit_filter

from . import notice, policies, selectors, services
from .forms import (
    AddPointsForm,
    AttendanceForm,
    ConclusionForm,
    ConferenceForm,
    DelegateForm,
    NoticeForm,
    SpeechForm,
)
from .models import Conference, ConferenceKind, IssuerFamily

PER_PAGE = 30
POINTS_PER_PAGE = 50


def detail_url(conference: Conference) -> str:
    return reverse("conferences:detail", args=[conference.public_id])


def _search(request: HttpRequest) -> str:
    """The name typed in the officials' search box (?tim=) of a form page."""
    return request.GET.get("tim", "").strip()[:100]


def _require_manage(user: Any, conference: Conference) -> None:
    account_policies.require(user, Perm.DIRECTIVE_MANAGE, conference.unit)


# -- the list -----------------------------------------------------------------------------


def _filters(request: HttpRequest) -> selectors.Filters:
    kind = request.GET.get("kind", "")
    year = request.GET.get("year", "")
    return selectors.Filters(
        kind=kind if kind in ConferenceKind.values else "",
        year=int(year) if year.isdigit() and len(year) == 4 else None,
    )


@login_required
@domain_http
@require_GET
def conference_list(request: HttpRequest) -> HttpResponse:
    unit_form, unit = unit_filter(request, purpose=Perm.DIRECTIVE_VIEW)
    filters = _filters(request)
    context: dict[str, Any] = {
        "unit": unit,
        "unit_form": unit_form,
        "filters": filters,
        "kinds": ConferenceKind.choices,
    }
    national = national_view(request.user, unit_form, unit, Perm.DIRECTIVE_VIEW)
    if unit is not None or national:
        everything = selectors.conferences_list(
            user=request.user, unit=unit, filters=selectors.Filters()
        )
        unkinded = selectors.conferences_list(
            user=request.user, unit=unit, filters=selectors.Filters(year=filters.year)
        )
        rows = selectors.conferences_list(user=request.user, unit=unit, filters=filters)
        page, query = paginate(request, rows, PER_PAGE)
        conferences = list(page.object_list)
        counts = selectors.kind_counts(unkinded)
        points = selectors.point_counts(conferences)
        context.update(
            {
                "national": national,
                "page": page,
                "query": query,
                "rows": [(c, points.get(c.pk)) for c in conferences],
                "counts": [
                    (value, label, counts[value]) for value, label in ConferenceKind.choices
                ],
                "total": sum(counts.values()),
                "years": selectors.years_in(everything),
            }
        )
    if unit is not None:
        context["can_create"] = account_policies.has_perm(request.user, Perm.DIRECTIVE_MANAGE, unit)
        context["create_url"] = with_unit("conferences:create", unit)
    return render(request, "conferences/list.html", context, status=form_status(unit_form))


# -- recording and correcting ----------------------------------------------------------------


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    cancel_url: str,
    unit: Any,
    conference: Conference | None = None,
    intro: str = "",
    official_search: bool = False,
) -> HttpResponse:
    return render(
        request,
        "conferences/form.html",
        {
            "form": form,
            "unit": unit,
            "title": title,
            "conference": conference,
            "cancel_url": cancel_url,
            "intro": intro,
            "official_search": official_search,
            "search": _search(request),
            "keep_unit": conference is None,
        },
        status=form_status(form),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def conference_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    unit = required_unit(request)
    account_policies.require(actor, Perm.DIRECTIVE_MANAGE, unit)
    post = request.POST if request.method == "POST" else None
    form = ConferenceForm(post, unit=unit, search=_search(request))
    if post is not None and form.is_valid():
        done = apply_service(
            form,
            lambda: services.conference_create(actor=actor, unit=unit, data=form.cleaned_data),
        )
        if done is not None:
            messages.success(request, _("Đã ghi hội nghị “%(t)s”.") % {"t": done.title})
            return redirect(detail_url(done))
    return _form_page(
        request,
        form,
        title=_("Ghi hội nghị"),
        cancel_url=with_unit("conferences:list", unit),
        unit=unit,
        official_search=True,
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def conference_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    conference = selectors.conference_get(user=actor, public_id=public_id)
    _require_manage(actor, conference)
    initial = {
        "kind": conference.kind,
        "title": conference.title,
        "held_on": conference.held_on,
        "place": conference.place,
        "online": conference.online,
        "chair": conference.chair_id,
        "period_year": conference.period_year,
        "period_half": conference.period_half,
        "agenda": conference.agenda,
    }
    post = request.POST if request.method == "POST" else None
    form = ConferenceForm(
        post, unit=conference.unit, instance=conference, initial=initial, search=_search(request)
    )
    if post is not None and form.is_valid():
        done = apply_service(
            form,
            lambda: services.conference_update(
                actor=actor, conference=conference, data=form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, _("Đã lưu hội nghị."))
            return redirect(detail_url(done))
    return _form_page(
        request,
        form,
        title=_("Sửa hội nghị"),
        cancel_url=detail_url(conference),
        unit=conference.unit,
        conference=conference,
        official_search=True,
    )


# -- one conference --------------------------------------------------------------------------


def _propose_url(conference: Conference) -> str:
    """The proposals pages' start, with this conference as the source ("" until the
    proposals app is mounted)."""
    try:
        start = reverse("proposals:start")
    except NoReverseMatch:
        return ""
    return f"{start}?{urlencode({'source': 'conference', 'id': str(conference.public_id)})}"


@login_required
@domain_http
@require_GET
def conference_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = request.user
    conference = selectors.conference_get(user=user, public_id=public_id)
    can_manage = policies.can_manage(user, conference)
    summary = selectors.points_summary(conference)
    page, query = paginate(request, selectors.points_of(conference), POINTS_PER_PAGE)
    context = {
        "conference": conference,
        "unit": conference.unit,
        "can_manage": can_manage,
        "summary": summary,
        "page": page,
        "query": query,
        "points": list(page.object_list),
        "delegates": selectors.delegates_of(conference),
        "speeches": selectors.speeches_of(conference),
        "tasks": selectors.tasks_of(user=user, conference=conference),
        "propose_url": _propose_url(conference) if can_manage and conference.conclusion else "",
        "period": services.period_label(conference.period_year, conference.period_half),
        "list_url": with_unit("conferences:list", conference.unit),
    }
    return render(request, "conferences/detail.html", context)


# -- delegates and speeches ------------------------------------------------------------------


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def delegates(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    conference = selectors.conference_get(user=actor, public_id=public_id)
    _require_manage(actor, conference)
    post = request.POST if request.method == "POST" else None
    form = DelegateForm(
        post, conference=conference, initial={"attended": True}, search=_search(request)
    )
    if post is not None and form.is_valid():
        data = form.cleaned_data
        done = apply_service(
            form,
            lambda: services.delegate_add(
                actor=actor,
                conference=conference,
                official=data.get("official"),
                name=data.get("name", ""),
                position=data.get("position", ""),
                organisation=data.get("organisation", ""),
                attended=bool(data.get("attended")),
            ),
        )
        if done is not None:
            messages.success(request, _("Đã thêm đại biểu %(n)s.") % {"n": done.name})
            return redirect(reverse("conferences:delegates", args=[conference.public_id]))
    return render(
        request,
        "conferences/delegates.html",
        {
            "conference": conference,
            "unit": conference.unit,
            "form": form,
            "delegates": selectors.delegates_of(conference),
            "title": _("Đại biểu"),
            "search": _search(request),
        },
        status=form_status(form),
    )


@login_required
@domain_http
@require_POST
def delegate_remove(request: HttpRequest, pk: int) -> HttpResponse:
    delegate = selectors.delegate_get(user=request.user, pk=pk)
    conference = delegate.conference
    services.delegate_remove(actor=request.user, delegate=delegate)
    messages.success(request, _("Đã bỏ đại biểu %(n)s.") % {"n": delegate.name})
    return redirect(reverse("conferences:delegates", args=[conference.public_id]))


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def speeches(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    conference = selectors.conference_get(user=actor, public_id=public_id)
    _require_manage(actor, conference)
    post = request.POST if request.method == "POST" else None
    form = SpeechForm(post, actor=actor, conference=conference)
    if post is not None and form.is_valid():
        data = form.cleaned_data
        done = apply_service(
            form,
            lambda: services.speech_add(
                actor=actor,
                conference=conference,
                speaker_name=data.get("speaker_name", ""),
                position=data.get("position", ""),
                unit=data.get("unit"),
                summary=data.get("summary", ""),
            ),
        )
        if done is not None:
            messages.success(request, _("Đã thêm phát biểu của %(n)s.") % {"n": done.speaker_name})
            return redirect(reverse("conferences:speeches", args=[conference.public_id]))
    return render(
        request,
        "conferences/speeches.html",
        {
            "conference": conference,
            "unit": conference.unit,
            "form": form,
            "speeches": selectors.speeches_of(conference),
            "title": _("Phát biểu"),
        },
        status=form_status(form),
    )


@login_required
@domain_http
@require_POST
def speech_remove(request: HttpRequest, pk: int) -> HttpResponse:
    speech = selectors.speech_get(user=request.user, pk=pk)
    conference = speech.conference
    services.speech_remove(actor=request.user, speech=speech)
    messages.success(request, _("Đã bỏ phát biểu."))
    return redirect(reverse("conferences:speeches", args=[conference.public_id]))


# -- participating points --------------------------------------------------------------------


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def points(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The attendance form, a page of points at a time (many rows per POST)."""
    actor = request.user
    conference = selectors.conference_get(user=actor, public_id=public_id)
    _require_manage(actor, conference)
    rows = selectors.points_of(conference).select_related("conference__unit")
    page, query = paginate(request, rows, POINTS_PER_PAGE)
    post = request.POST if request.method == "POST" else None
    form = AttendanceForm(post, points=list(page.object_list))
    if post is not None and form.is_valid():
        done = apply_service(
            form,
            lambda: services.points_record_attendance(
                actor=actor, conference=conference, rows=form.attendance()
            ),
        )
        if done is not None:
            messages.success(request, _("Đã lưu số liệu %(n)s điểm cầu.") % {"n": done})
            url = reverse("conferences:points", args=[conference.public_id])
            return redirect(f"{url}?page={page.number}" if page.number > 1 else url)
    return render(
        request,
        "conferences/points.html",
        {
            "conference": conference,
            "unit": conference.unit,
            "form": form,
            "add_form": AddPointsForm(),
            "summary": selectors.points_summary(conference),
            "page": page,
            "query": query,
            "title": _("Điểm cầu"),
        },
        status=form_status(form),
    )


@login_required
@domain_http
@require_POST
def points_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    conference = selectors.conference_get(user=actor, public_id=public_id)
    _require_manage(actor, conference)
    form = AddPointsForm(request.POST)
    url = reverse("conferences:points", args=[conference.public_id])
    if not form.is_valid():
        for error in form.errors.get("expected", []):
            messages.error(request, str(error))
        return redirect(url)
    try:
        added = services.points_add_communes(
            actor=actor, conference=conference, expected=form.cleaned_data.get("expected") or 0
        )
    except DomainError as exc:
        if exc.status_code != 400:
            raise
        messages.error(request, exc.message)
        return redirect(url)
    if added:
        messages.success(
            request, _("Đã thêm %(n)s điểm cầu (mỗi xã, phường một điểm).") % {"n": added}
        )
    else:
        messages.info(
            request, _("Mọi xã, phường của %(u)s đã là điểm cầu.") % {"u": conference.unit.name}
        )
    return redirect(url)


# -- the conclusion and its notice -----------------------------------------------------------


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def conclusion(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    conference = selectors.conference_get(user=actor, public_id=public_id)
    _require_manage(actor, conference)
    post = request.POST if request.method == "POST" else None
    form = ConclusionForm(post, initial={"conclusion": conference.conclusion})
    if post is not None and form.is_valid():
        done = apply_service(
            form,
            lambda: services.conference_conclude(
                actor=actor, conference=conference, conclusion=form.cleaned_data["conclusion"]
            ),
        )
        if done is not None:
            messages.success(request, _("Đã ghi kết luận của hội nghị."))
            return redirect(detail_url(done))
    return _form_page(
        request,
        form,
        title=_("Kết luận hội nghị"),
        cancel_url=detail_url(conference),
        unit=conference.unit,
        conference=conference,
    )


def _notice_initial(conference: Conference) -> dict[str, Any]:
    if conference.has_notice:
        return {
            "issuer_family": conference.issuer_family,
            "notice_number": conference.notice_number,
            "notice_on": conference.notice_on,
            "notice_place": conference.notice_place,
            "superior_body": conference.superior_body,
            "issuer_body": conference.issuer_body,
            "signing_authority": conference.signing_authority,
            "signer_position": conference.signer_position,
            "signer_name": conference.signer_name,
            "recipients": conference.recipients,
        }
    # Suggestions for a first notice: the chair signs, dated the day of the conference.
    return {
        "issuer_family": IssuerFamily.PARTY,
        "notice_on": conference.held_on,
        "signer_position": conference.chair_position,
        "signer_name": conference.chair_name,
        "recipients": "- Như trên;\n- Lưu: VT.",
    }


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def notice_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    conference = selectors.conference_get(user=actor, public_id=public_id)
    _require_manage(actor, conference)
    post = request.POST if request.method == "POST" else None
    form = NoticeForm(post, conference=conference, initial=_notice_initial(conference))
    if post is not None and form.is_valid():
        done = apply_service(
            form,
            lambda: services.notice_record(
                actor=actor, conference=conference, data=form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(
                request, _("Đã lưu thông báo kết luận %(n)s.") % {"n": done.notice_number}
            )
            return redirect(detail_url(done))
    intro = (
        ""
        if conference.conclusion
        else _("Hội nghị chưa có kết luận: ghi kết luận trước, rồi mới lập thông báo kết luận.")
    )
    return _form_page(
        request,
        form,
        title=_("Thông báo kết luận"),
        cancel_url=detail_url(conference),
        unit=conference.unit,
        conference=conference,
        intro=intro,
    )


@login_required
@domain_http
@require_GET
def notice_download(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    conference = selectors.conference_get(user=request.user, public_id=public_id)
    if not conference.has_notice or not conference.conclusion:
        raise NotFound(_("Hội nghị chưa có thông báo kết luận."), code="notice_not_found")
    content = notice.render(conference, points=selectors.points_summary(conference).connected)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{notice.file_name(conference)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
