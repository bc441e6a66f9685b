"""The officers' consultation pages: thin doors onto selectors (reads) and services
(writes). Reading needs Perm.DEMOCRACY_VIEW on the consultation's unit, writing and
moderating DEMOCRACY_MANAGE.

A consultation out of sight answers 404 like a missing one; an action not allowed answers
403; a form a service refuses comes back with HTTP 400 and the message beside its field.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.audit import services as audit
from danvan.core.errors import NotFound
from danvan.core.forms import apply_service, form_status
from danvan.core.http import domain_http, paginate
from danvan.core.steps import step_page
from danvan.units.pages import page_unit, with_unit
from danvan.units.picker import national_view, unit_filter

from . import selectors, services
from .forms import AnswerForm, CloseForm, ConsultationForm, ModerateForm, OpenForm, ReportForm
from .models import Comment, Consultation

PER_PAGE = 50


def detail_url(consultation: Consultation) -> str:
    return reverse("consultation:detail", kwargs={"public_id": consultation.public_id})


# -- the list and creating --------------------------------------------------------------------


@login_required
@domain_http
@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    unit_form, unit = unit_filter(request)
    state = request.GET.get("state", "")
    if state not in Consultation.State.values:
        state = ""
    context: dict[str, Any] = {
        "unit": unit,
        "unit_form": unit_form,
        "state": state,
        "states": Consultation.State.choices,
    }
    # A national user without a unit sees the whole country's consultations.
    national = national_view(request.user, unit_form, unit, Perm.DEMOCRACY_VIEW)
    if unit is not None or national:
        rows = selectors.consultations_under(user=request.user, unit=unit, state=state or None)
        page, query = paginate(request, rows, PER_PAGE)
        context.update(
            {
                "national": national,
                "page": page,
                "query": query,
                "consultations": list(page.object_list),
            }
        )
    if unit is not None:
        context.update(
            {
                "can_create": policies.has_perm(request.user, Perm.DEMOCRACY_MANAGE, unit),
                "create_url": with_unit("consultation:create", unit),
            }
        )
    return render(request, "consultation/list.html", context, status=form_status(unit_form))


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def consultation_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    unit = page_unit(request)
    if unit is None:
        raise NotFound(_("Chưa chọn đơn vị."))
    policies.require(actor, Perm.DEMOCRACY_MANAGE, unit)
    form = ConsultationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = apply_service(
            form,
            lambda: services.consultation_create(
                actor=actor,
                unit=unit,
                subject=data["subject"],
                title=data["title"],
                draft=data["draft"],
                document=data["document"],
            ),
        )
        if done is not None:
            messages.success(request, _("Đã tạo dự thảo lấy ý kiến."))
            return redirect(detail_url(done))
    return render(
        request,
        "consultation/form.html",
        {
            "unit": unit,
            "form": form,
            "multipart": True,
            "title": _("Tạo dự thảo lấy ý kiến Nhân dân"),
            "cancel_url": with_unit("consultation:list", unit),
        },
        status=form_status(form),
    )


# -- one consultation -------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    consultation: Consultation,
    *,
    bound: ModerateForm | AnswerForm | None = None,
    bound_pk: int | None = None,
) -> HttpResponse:
    """The detail page with the moderation queue; a POST that failed passes its bound form."""
    user = request.user
    can_manage = policies.has_perm(user, Perm.DEMOCRACY_MANAGE, consultation.unit)
    comments = list(selectors.comments_of(consultation))
    can_moderate = can_manage and services.allowed("comment_moderate", consultation)
    can_answer = can_manage and services.allowed("comment_answer", consultation)
    targets = [c for c in comments if c.status == Comment.Status.PUBLISHED]
    rows: list[dict[str, Any]] = []
    for comment in comments:
        moderate = answer = None
        if can_moderate and comment.status == Comment.Status.PENDING:
            moderate = (
                bound
                if isinstance(bound, ModerateForm) and bound_pk == comment.pk
                else ModerateForm(comment=comment, targets=targets)
            )
        if can_answer and comment.status == Comment.Status.PUBLISHED:
            answer = (
                bound
                if isinstance(bound, AnswerForm) and bound_pk == comment.pk
                else AnswerForm(comment=comment, initial={"answer": comment.answer})
            )
        rows.append({"comment": comment, "moderate": moderate, "answer": answer})
    show_contacts = selectors.can_see_contacts(user, consultation)
    if show_contacts and any(c.contact or c.commenter_name for c in comments):
        # Reading commenters' personal data is logged (Law 91/2025/QH15).
        audit.record_view(actor=user, instance=consultation, what="commenters")
    pending, unanswered = consultation.comments_pending, consultation.comments_unanswered  # type: ignore[attr-defined]
    context = {
        "consultation": consultation,
        "unit": consultation.unit,
        "rows": rows,
        "pending": [r for r in rows if r["comment"].status == Comment.Status.PENDING],
        "others": [r for r in rows if r["comment"].status != Comment.Status.PENDING],
        "show_contacts": show_contacts,
        "can_manage": can_manage,
        "can_open": can_manage and services.allowed("open", consultation),
        "can_close": can_manage and services.allowed("close", consultation),
        "can_report": can_manage and services.allowed("report", consultation),
        "pending_count": pending,
        "unanswered_count": unanswered,
        "list_url": with_unit("consultation:list", consultation.unit),
    }
    return render(request, "consultation/detail.html", context, status=form_status(bound))


@login_required
@domain_http
@require_GET
def consultation_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _detail(request, selectors.consultation_get(user=request.user, public_id=public_id))


@login_required
@domain_http
@require_GET
def consultation_document(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    consultation = selectors.consultation_get(user=request.user, public_id=public_id)
    return document_response(consultation)


def document_response(consultation: Consultation) -> HttpResponse:
    """The draft's file, streamed (also used by the portal once the draft is public)."""
    if not consultation.document:
        raise Http404
    try:
        handle = consultation.document.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type=consultation.document_type or "application/octet-stream",
        as_attachment=True,
        filename=consultation.document_name or "du-thao",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # domain_http is typed for HttpResponse; a streamed file passes through it unchanged.
    return cast(HttpResponse, response)


def _action_page(
    request: HttpRequest,
    consultation: Consultation,
    *,
    action: str,
    form: forms.Form,
    title: str,
    call: Callable[[], Any],
    done: str,
    notice: str = "",
) -> HttpResponse:
    """A form page for one step of the consultation (open, close, report)."""
    policies.require(request.user, Perm.DEMOCRACY_MANAGE, consultation.unit)
    allowed = services.allowed(action, consultation)
    return step_page(
        request,
        template="consultation/form.html",
        form=form,
        call=call,
        done=done,
        success_url=detail_url(consultation),
        cancel_url=detail_url(consultation),
        title=title,
        allowed=allowed,
        notice=notice,
        context={
            "unit": consultation.unit,
            "consultation": consultation,
        },
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def consultation_open(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    consultation = selectors.consultation_get(user=actor, public_id=public_id)
    today = services.today()
    form = OpenForm(request.POST or None, initial={"opens_on": today})
    return _action_page(
        request,
        consultation,
        action="open",
        form=form,
        title=_("Mở lấy ý kiến Nhân dân"),
        call=lambda: services.consultation_open(
            actor=actor, consultation=consultation, **form.cleaned_data
        ),
        done=_("Đã mở lấy ý kiến; dự thảo được đăng trên cổng thông tin công dân."),
        notice=_("Sau khi mở, dự thảo và tệp đính kèm được công khai trên cổng thông tin."),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def consultation_close(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    consultation = selectors.consultation_get(user=actor, public_id=public_id)
    form = CloseForm(request.POST or None)
    return _action_page(
        request,
        consultation,
        action="close",
        form=form,
        title=_("Kết thúc lấy ý kiến"),
        call=lambda: services.consultation_close(actor=actor, consultation=consultation),
        done=_("Đã kết thúc lấy ý kiến."),
        notice=_(
            "Sau khi kết thúc, công dân không gửi thêm ý kiến được; vẫn kiểm duyệt và trả lời "
            "các ý kiến đã nhận."
        ),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def consultation_report(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    consultation = selectors.consultation_get(user=actor, public_id=public_id)
    form = ReportForm(request.POST or None)
    pending, unanswered = consultation.comments_pending, consultation.comments_unanswered  # type: ignore[attr-defined]
    notice = ""
    if pending or unanswered:
        notice = _(
            "Còn %(p)s ý kiến chưa kiểm duyệt và %(u)s ý kiến đã đăng chưa trả lời: cần xử lý "
            "hết trước khi công khai kết quả."
        ) % {"p": pending, "u": unanswered}
    return _action_page(
        request,
        consultation,
        action="report",
        form=form,
        title=_("Công khai kết quả tiếp thu ý kiến"),
        call=lambda: services.consultation_report(
            actor=actor, consultation=consultation, report=form.cleaned_data["report"]
        ),
        done=_("Đã công khai kết quả tiếp thu ý kiến."),
        notice=notice,
    )


# -- comments -------------------------------------------------------------------------------


def _comment(request: HttpRequest, pk: int) -> tuple[Comment, Consultation]:
    comment = selectors.comment_get(user=request.user, pk=pk)
    consultation = selectors.consultation_get(
        user=request.user, public_id=comment.consultation.public_id
    )
    policies.require(request.user, Perm.DEMOCRACY_MANAGE, consultation.unit)
    return comment, consultation


@login_required
@domain_http
@require_POST
def comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    comment, consultation = _comment(request, pk)
    targets = list(selectors.group_targets(consultation))
    form = ModerateForm(request.POST, comment=comment, targets=targets)
    if form.is_valid() and (
        apply_service(
            form,
            lambda: services.comment_moderate(
                actor=actor,
                comment=comment,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
                into=form.cleaned_data["into"],
            ),
        )
        is not None
    ):
        messages.success(request, _("Đã xử lý ý kiến #%(n)s.") % {"n": comment.pk})
        return redirect(detail_url(consultation))
    return _detail(request, consultation, bound=form, bound_pk=comment.pk)


@login_required
@domain_http
@require_POST
def comment_answer(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    comment, consultation = _comment(request, pk)
    form = AnswerForm(request.POST, comment=comment)
    if form.is_valid() and (
        apply_service(
            form,
            lambda: services.comment_answer(
                actor=actor, comment=comment, answer=form.cleaned_data["answer"]
            ),
        )
        is not None
    ):
        messages.success(request, _("Đã ghi trả lời ý kiến #%(n)s.") % {"n": comment.pk})
        return redirect(detail_url(consultation))
    return _detail(request, consultation, bound=form, bound_pk=comment.pk)
