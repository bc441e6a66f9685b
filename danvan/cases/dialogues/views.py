"""The dialogue pages: thin doors onto the dialogue selectors (reads) and services
(writes). Reading needs Perm.CASE_VIEW on the dialogue's unit, writing DIALOGUE_MANAGE.

A dialogue out of sight answers 404 like a missing one; an action not allowed answers
403; a form a service refuses comes back with HTTP 400 and the message beside its field.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.forms import apply_service, form_status
from danvan.core.http import domain_http, paginate
from danvan.core.steps import step_page
from danvan.units.pages import page_unit, required_unit, with_unit
from danvan.units.picker import national_view, unit_filter

from ..models import Dialogue
from . import selectors, services
from .forms import (
    AnnounceForm,
    AnswerForm,
    CommitmentDoneForm,
    CommitmentForm,
    DialogueForm,
    HoldForm,
    PublishForm,
    QuestionForm,
    today_initial,
)

PER_PAGE = 50


def detail_url(dialogue: Dialogue) -> str:
    return reverse("dialogues:detail", kwargs={"public_id": dialogue.public_id})


def _can_manage(request: HttpRequest, dialogue: Dialogue) -> bool:
    return policies.has_perm(request.user, Perm.DIALOGUE_MANAGE, dialogue.unit)


# -- lists ---------------------------------------------------------------------------------


@login_required
@domain_http
@require_GET
def dialogue_list(request: HttpRequest) -> HttpResponse:
    unit_form, unit = unit_filter(request)
    state = request.GET.get("state", "")
    if state not in Dialogue.State.values:
        state = ""
    context: dict[str, Any] = {
        "unit": unit,
        "unit_form": unit_form,
        "state": state,
        "states": Dialogue.State.choices,
    }
    # A national user without a unit sees the whole country's dialogues.
    national = national_view(request.user, unit_form, unit, Perm.CASE_VIEW)
    if unit is not None or national:
        rows = selectors.dialogues_under(user=request.user, unit=unit, state=state or None)
        page, query = paginate(request, rows, PER_PAGE)
        context.update(
            {
                "national": national,
                "page": page,
                "query": query,
                "rows": selectors.dialogue_rows(page.object_list),
            }
        )
    if unit is not None:
        context.update(
            {
                "can_create": policies.has_perm(request.user, Perm.DIALOGUE_MANAGE, unit),
                "commitments_url": with_unit("dialogues:commitments", unit),
                "create_url": with_unit("dialogues:create", unit),
            }
        )
    return render(request, "cases/dialogues/list.html", context, status=form_status(unit_form))


@login_required
@domain_http
@require_GET
def commitment_list(request: HttpRequest) -> HttpResponse:
    unit = page_unit(request)
    show_all = request.GET.get("all") == "1"
    context: dict[str, Any] = {"unit": unit, "show_all": show_all}
    if unit is not None:
        rows = selectors.commitments_under(user=request.user, unit=unit, open_only=not show_all)
        page, query = paginate(request, rows, PER_PAGE)
        context.update(
            {
                "page": page,
                "query": query,
                "commitments": list(page.object_list),
                "can_manage": policies.has_perm(request.user, Perm.DIALOGUE_MANAGE, unit),
                "open_url": with_unit("dialogues:commitments", unit),
                "all_url": with_unit("dialogues:commitments", unit, all="1"),
                "list_url": with_unit("dialogues:list", unit),
            }
        )
    return render(request, "cases/dialogues/commitments.html", context)


# -- creating -----------------------------------------------------------------------------


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def dialogue_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    unit = required_unit(request)
    policies.require(actor, Perm.DIALOGUE_MANAGE, unit)
    form = DialogueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form, lambda: services.dialogue_create(actor=actor, unit=unit, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, _("Đã lên kế hoạch hội nghị đối thoại."))
            return redirect("dialogues:detail", public_id=done.public_id)
    return render(
        request,
        "cases/dialogues/form.html",
        {
            "unit": unit,
            "form": form,
            "title": _("Lên kế hoạch hội nghị đối thoại"),
            "cancel_url": with_unit("dialogues:list", unit),
        },
        status=form_status(form),
    )


# -- one dialogue ---------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    dialogue: Dialogue,
    *,
    question_form: QuestionForm | None = None,
    commitment_form: CommitmentForm | None = None,
) -> HttpResponse:
    """The detail page; a POST that failed passes its bound form to show the errors."""
    can_manage = _can_manage(request, dialogue)
    commitments = list(selectors.dialogue_commitments(dialogue))
    if can_manage and question_form is None and services.allowed("question_add", dialogue):
        question_form = QuestionForm()
    if can_manage and commitment_form is None and services.allowed("commitment_add", dialogue):
        commitment_form = CommitmentForm(dialogue=dialogue)
    context = {
        "dialogue": dialogue,
        "unit": dialogue.unit,
        "row": selectors.dialogue_row(dialogue),
        "questions": list(selectors.dialogue_questions(dialogue)),
        "commitments": [
            (c, CommitmentDoneForm(commitment=c, initial=today_initial("done_on")))
            if can_manage and c.state == c.State.OPEN
            else (c, None)
            for c in commitments
        ],
        "can_manage": can_manage,
        "can_announce": can_manage and services.allowed("announce", dialogue),
        "can_hold": can_manage and services.allowed("hold", dialogue),
        "can_publish": can_manage and services.allowed("publish", dialogue),
        "can_answer": can_manage and services.allowed("question_answer", dialogue),
        "question_form": question_form if can_manage else None,
        "commitment_form": commitment_form if can_manage else None,
        "list_url": with_unit("dialogues:list", dialogue.unit),
    }
    return render(
        request,
        "cases/dialogues/detail.html",
        context,
        status=form_status(question_form, commitment_form),
    )


@login_required
@domain_http
@require_GET
def dialogue_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _detail(request, selectors.dialogue_get(user=request.user, public_id=public_id))


def _action_page(
    request: HttpRequest,
    dialogue: Dialogue,
    *,
    action: str,
    form: forms.Form,
    title: str,
    call: Callable[[], Any],
    done: str,
    notice: str = "",
) -> HttpResponse:
    """A form page for one step of the dialogue (announce, hold, publish, answer)."""
    policies.require(request.user, Perm.DIALOGUE_MANAGE, dialogue.unit)
    allowed = services.allowed(action, dialogue)
    return step_page(
        request,
        template="cases/dialogues/form.html",
        form=form,
        call=call,
        done=done,
        success_url=detail_url(dialogue),
        cancel_url=detail_url(dialogue),
        title=title,
        allowed=allowed,
        notice=notice,
        context={
            "unit": dialogue.unit,
            "dialogue": dialogue,
            "row": selectors.dialogue_row(dialogue),
        },
    )


def _rule_notice(days: int | None, text: str) -> str:
    return text % {"n": days} if days is not None else ""


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def dialogue_announce(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    dialogue = selectors.dialogue_get(user=actor, public_id=public_id)
    form = AnnounceForm(request.POST or None, initial=today_initial("announced_on"))
    row = selectors.dialogue_row(dialogue)
    notice = ""
    if row.announce_rule is not None and row.announce_by is not None:
        notice = _(
            "Theo %(citation)s, hội nghị phải được thông báo chậm nhất %(n)s ngày trước ngày "
            "họp, tức là trước hoặc trong ngày %(by)s. Thông báo muộn hơn vẫn được ghi nhận "
            "và sẽ bị cảnh báo."
        ) % {
            "citation": row.announce_rule.citation,
            "n": row.announce_rule.amount,
            "by": f"{row.announce_by:%d/%m/%Y}",
        }
    return _action_page(
        request,
        dialogue,
        action="announce",
        form=form,
        title=_("Ghi nhận thông báo hội nghị đối thoại"),
        call=lambda: services.dialogue_announce(
            actor=actor, dialogue=dialogue, announced_on=form.cleaned_data["announced_on"]
        ),
        done=_("Đã ghi nhận ngày thông báo."),
        notice=notice,
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def dialogue_hold(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    dialogue = selectors.dialogue_get(user=actor, public_id=public_id)
    form = HoldForm(request.POST or None)
    return _action_page(
        request,
        dialogue,
        action="hold",
        form=form,
        title=_("Ghi nhận đã tổ chức hội nghị đối thoại"),
        call=lambda: services.dialogue_hold(actor=actor, dialogue=dialogue, **form.cleaned_data),
        done=_("Đã ghi nhận hội nghị đã tổ chức."),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def dialogue_publish(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    dialogue = selectors.dialogue_get(user=actor, public_id=public_id)
    form = PublishForm(request.POST or None, initial=today_initial("published_on"))
    row = selectors.dialogue_row(dialogue)
    notice = ""
    if row.publish_rule is not None and row.publish_by is not None:
        notice = _(
            "Theo %(citation)s, kết quả đối thoại phải được công khai trong %(n)s ngày sau "
            "ngày họp, tức là chậm nhất ngày %(by)s."
        ) % {
            "citation": row.publish_rule.citation,
            "n": row.publish_rule.amount,
            "by": f"{row.publish_by:%d/%m/%Y}",
        }
    return _action_page(
        request,
        dialogue,
        action="publish",
        form=form,
        title=_("Công khai kết quả đối thoại"),
        call=lambda: services.dialogue_publish(actor=actor, dialogue=dialogue, **form.cleaned_data),
        done=_("Đã công khai kết quả đối thoại."),
        notice=notice,
    )


# -- questions and commitments -------------------------------------------------------------


@login_required
@domain_http
@require_POST
def question_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    dialogue = selectors.dialogue_get(user=actor, public_id=public_id)
    policies.require(actor, Perm.DIALOGUE_MANAGE, dialogue.unit)
    form = QuestionForm(request.POST)
    if form.is_valid() and (
        apply_service(
            form,
            lambda: services.question_add(actor=actor, dialogue=dialogue, **form.cleaned_data),
        )
        is not None
    ):
        messages.success(request, _("Đã ghi ý kiến."))
        return redirect("dialogues:detail", public_id=dialogue.public_id)
    return _detail(request, dialogue, question_form=form)


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def question_answer(request: HttpRequest, public_id: uuid.UUID, pk: int) -> HttpResponse:
    actor = request.user
    dialogue = selectors.dialogue_get(user=actor, public_id=public_id)
    question = selectors.question_get(dialogue=dialogue, pk=pk)
    form = AnswerForm(
        request.POST or None,
        initial={"answer": question.answer, "answered_by": question.answered_by},
    )
    return _action_page(
        request,
        dialogue,
        action="question_answer",
        form=form,
        title=_("Trả lời ý kiến: %(q)s") % {"q": str(question)},
        call=lambda: services.question_answer(actor=actor, question=question, **form.cleaned_data),
        done=_("Đã ghi nội dung trả lời."),
    )


@login_required
@domain_http
@require_POST
def commitment_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    dialogue = selectors.dialogue_get(user=actor, public_id=public_id)
    policies.require(actor, Perm.DIALOGUE_MANAGE, dialogue.unit)
    form = CommitmentForm(request.POST, dialogue=dialogue)
    if form.is_valid() and (
        apply_service(
            form,
            lambda: services.commitment_add(actor=actor, dialogue=dialogue, **form.cleaned_data),
        )
        is not None
    ):
        messages.success(request, _("Đã ghi cam kết."))
        return redirect("dialogues:detail", public_id=dialogue.public_id)
    return _detail(request, dialogue, commitment_form=form)


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def commitment_done(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    commitment = selectors.commitment_get(user=actor, pk=pk)
    dialogue = commitment.dialogue
    policies.require(actor, Perm.DIALOGUE_MANAGE, dialogue.unit)
    form = CommitmentDoneForm(
        request.POST or None, commitment=commitment, initial=today_initial("done_on")
    )
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form,
            lambda: services.commitment_done(
                actor=actor, commitment=commitment, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, _("Đã ghi nhận hoàn thành cam kết."))
            return redirect(back or detail_url(dialogue))
    return render(
        request,
        "cases/dialogues/form.html",
        {
            "unit": dialogue.unit,
            "dialogue": dialogue,
            "commitment": commitment,
            "form": form,
            "title": _("Hoàn thành cam kết"),
            "allowed": commitment.state == commitment.State.OPEN or request.method == "POST",
            "next": back,
            "cancel_url": back or detail_url(dialogue),
        },
        status=form_status(form),
    )
