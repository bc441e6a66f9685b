"""The officers' news pages: thin doors onto selectors (reads) and services (writes).

Writers (NEWS_WRITE) write, edit drafts, add photos and send for review; the editor of the
level (NEWS_PUBLISH) approves — now or at a set time —, returns with a message, changes
the schedule, withdraws, and moderates readers' feedback. An article out of sight answers
404 like a missing one; an action not allowed 403; a refused form comes back with HTTP 400
and the message beside its field, what was typed kept.
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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import DomainError, PermissionDenied
from danvan.core.forms import apply_service, form_status
from danvan.core.http import domain_http, paginate
from danvan.core.steps import step_page
from danvan.units.pages import required_unit, with_unit
from danvan.units.picker import unit_filter

from . import selectors, services
from .forms import (
    AnswerForm,
    ApproveForm,
    ArticleForm,
    MessageForm,
    ModerateForm,
    PhotoForm,
)
from .models import Article, Feedback

PER_PAGE = 30


def detail_url(article: Article) -> str:
    return reverse("news:detail", kwargs={"public_id": article.public_id})


# -- the list and writing -----------------------------------------------------------------


@login_required
@domain_http
@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    unit_form, unit = unit_filter(request)
    state = request.GET.get("state", "")
    if state not in Article.State.values:
        state = ""
    mine = request.GET.get("mine") == "1"
    rows = selectors.articles_visible(user=user, state=state or None, mine=mine)
    if unit is not None:
        rows = rows.filter(policies.subtree_q(unit, "unit__"))
    page, query = paginate(request, rows, PER_PAGE)
    can_create = (
        unit is not None
        and unit.kind in services.UNIT_KINDS
        and unit.valid_to is None
        and policies.has_perm(user, Perm.NEWS_WRITE, unit)
    )
    return render(
        request,
        "news/list.html",
        {
            "unit": unit,
            "unit_form": unit_form,
            "state": state,
            "states": Article.State.choices,
            "mine": mine,
            "page": page,
            "query": query,
            "articles": list(page.object_list),
            "can_create": can_create,
            "create_url": with_unit("news:create", unit) if can_create and unit else "",
            "is_editor": policies.has_perm_anywhere(user, Perm.NEWS_PUBLISH),
        },
        status=form_status(unit_form),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def article_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    unit = required_unit(request)
    policies.require(actor, Perm.NEWS_WRITE, unit)
    form = ArticleForm(request.POST or None, actor=actor, unit=unit)
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form,
            lambda: services.article_create(actor=actor, unit=unit, **form.service_kwargs()),
        )
        if done is not None:
            messages.success(request, _("Đã lưu bản nháp. Thêm ảnh nếu cần, rồi gửi duyệt."))
            return redirect(detail_url(done))
    return render(
        request,
        "news/form.html",
        {
            "unit": unit,
            "form": form,
            "title": _("Viết bài mới"),
            "cancel_url": with_unit("news:list", unit),
        },
        status=form_status(form),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    article = selectors.article_get(user=actor, public_id=public_id)
    if not services.may_edit(actor, article):
        raise PermissionDenied(_("Bài ở trạng thái này bạn không sửa được."))
    form = ArticleForm(
        request.POST or None,
        actor=actor,
        unit=article.unit,
        initial=ArticleForm.initial_of(article),
    )
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form,
            lambda: services.article_update(actor=actor, article=article, **form.service_kwargs()),
        )
        if done is not None:
            messages.success(request, _("Đã lưu bài viết."))
            return redirect(detail_url(done))
    return render(
        request,
        "news/form.html",
        {
            "unit": article.unit,
            "article": article,
            "form": form,
            "title": _("Sửa bài viết"),
            "cancel_url": detail_url(article),
        },
        status=form_status(form),
    )


# -- one article --------------------------------------------------------------------------


def _detail(
    request: HttpRequest, article: Article, *, photo_form: PhotoForm | None = None
) -> HttpResponse:
    user = request.user
    can_edit = services.may_edit(user, article)
    can_moderate = policies.has_perm(user, Perm.NEWS_PUBLISH, article.unit)
    now = timezone.now()
    feedback = list(article.feedback.order_by("-created_at", "-id")[:100])
    context = {
        "article": article,
        "unit": article.unit,
        "photos": list(article.photos.all()),
        "events": list(article.events.select_related("actor").order_by("created_at", "id")),
        "can_edit": can_edit,
        "photo_form": photo_form if photo_form is not None else (PhotoForm() if can_edit else None),
        "may": {action: services.may(user, action, article) for action in services.TRANSITIONS},
        "scheduled": article.state == Article.State.PUBLISHED
        and article.publish_at is not None
        and article.publish_at > now,
        "expired": article.expires_at is not None and article.expires_at <= now,
        "feedback": feedback,
        "can_moderate": can_moderate,
        "list_url": with_unit("news:list", article.unit),
    }
    return render(request, "news/detail.html", context, status=form_status(photo_form))


@login_required
@domain_http
@require_GET
def article_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _detail(request, selectors.article_get(user=request.user, public_id=public_id))


@login_required
@domain_http
@require_POST
def photo_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    article = selectors.article_get(user=actor, public_id=public_id)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        done = apply_service(
            form,
            lambda: services.article_photo_add(
                actor=actor,
                article=article,
                upload=data["photo"],
                alt=data["photo_alt"],
                caption=data["caption"],
                cover=data["cover"],
            ),
        )
        if done is not None:
            messages.success(request, _("Đã thêm ảnh."))
            return redirect(detail_url(article))
    return _detail(request, article, photo_form=form)


def _action_page(
    request: HttpRequest,
    article: Article,
    *,
    action: str,
    form: forms.Form,
    title: str,
    call: Callable[[], Any],
    done: str,
    notice: str = "",
) -> HttpResponse:
    """A form page for one step of the workflow (approve, return, schedule, unpublish)."""
    if not policies.has_perm(request.user, services.TRANSITIONS[action].perm, article.unit):
        raise PermissionDenied(unit=article.unit)
    allowed = services.allowed(action, article)
    return step_page(
        request,
        template="news/form.html",
        form=form,
        call=call,
        done=done,
        success_url=detail_url(article),
        cancel_url=detail_url(article),
        title=title,
        allowed=allowed,
        notice=notice,
        context={
            "unit": article.unit,
            "article": article,
        },
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def article_approve(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    article = selectors.article_get(user=actor, public_id=public_id)
    initial = {}
    if article.expires_at:
        initial["expires_on"] = ArticleForm.initial_of(article)["expires_on"]
    form = ApproveForm(request.POST or None, initial=initial)
    return _action_page(
        request,
        article,
        action="approve",
        form=form,
        title=_("Duyệt đăng bài"),
        call=lambda: services.article_approve(
            actor=actor,
            article=article,
            publish_at=form.publish_at(),
            expires_at=form.expires_at(),
            keep_expiry=False,
        ),
        done=_("Đã duyệt: bài được đăng trên cổng thông tin từ thời điểm đã chọn."),
        notice=_("Bài được đăng trên cổng thông tin công dân, ai cũng đọc được."),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def article_schedule(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    article = selectors.article_get(user=actor, public_id=public_id)
    initial: dict[str, Any] = {}
    if article.publish_at:
        local = timezone.localtime(article.publish_at)
        initial = {"publish_on": local.date(), "publish_time": local.time().replace(second=0)}
    if article.expires_at:
        initial["expires_on"] = ArticleForm.initial_of(article)["expires_on"]
    form = ApproveForm(request.POST or None, initial=initial)
    return _action_page(
        request,
        article,
        action="schedule",
        form=form,
        title=_("Đổi thời gian đăng"),
        call=lambda: services.article_schedule(
            actor=actor, article=article, publish_at=form.publish_at(), expires_at=form.expires_at()
        ),
        done=_("Đã đổi thời gian đăng."),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def article_return(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    article = selectors.article_get(user=actor, public_id=public_id)
    form = MessageForm(request.POST or None)
    return _action_page(
        request,
        article,
        action="return",
        form=form,
        title=_("Trả lại bài để sửa"),
        call=lambda: services.article_return(
            actor=actor, article=article, message=form.cleaned_data["message"]
        ),
        done=_("Đã trả lại bài cho người viết."),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def article_unpublish(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    article = selectors.article_get(user=actor, public_id=public_id)
    form = MessageForm(request.POST or None)
    return _action_page(
        request,
        article,
        action="unpublish",
        form=form,
        title=_("Gỡ bài khỏi cổng thông tin"),
        call=lambda: services.article_unpublish(
            actor=actor, article=article, message=form.cleaned_data["message"]
        ),
        done=_("Đã gỡ bài khỏi cổng thông tin."),
    )


def _post_action(action: str, done: str) -> Callable[[HttpRequest, uuid.UUID], HttpResponse]:
    """A one-button step (submit, redraft): POST only, back to the article."""
    call = {"submit": services.article_submit, "redraft": services.article_redraft}[action]

    @login_required
    @domain_http
    @require_POST
    def view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        article = selectors.article_get(user=request.user, public_id=public_id)
        try:
            call(actor=request.user, article=article)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(detail_url(article))
        messages.success(request, done)
        return redirect(detail_url(article))

    return view


article_submit = _post_action("submit", _("Đã gửi bài cho người duyệt."))
article_redraft = _post_action("redraft", _("Bài đã trở lại bản nháp."))


# -- the editor's queues ------------------------------------------------------------------


@login_required
@domain_http
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    page, query = paginate(request, selectors.review_queue(user=request.user), PER_PAGE)
    return render(
        request,
        "news/review.html",
        {"page": page, "query": query, "articles": list(page.object_list)},
    )


@login_required
@domain_http
@require_GET
def feedback_queue(request: HttpRequest) -> HttpResponse:
    page, query = paginate(request, selectors.feedback_queue(user=request.user), PER_PAGE)
    return render(
        request,
        "news/feedback.html",
        {"page": page, "query": query, "items": list(page.object_list)},
    )


@login_required
@domain_http
@require_POST
def feedback_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.feedback_get(user=request.user, pk=pk)
    form = ModerateForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_moderate(
                actor=request.user, feedback=item, action=form.cleaned_data["action"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Đã đăng ý kiến.")
                if form.cleaned_data["action"] == "approve"
                else _("Đã không đăng ý kiến."),
            )
    back = request.POST.get("next", "")
    if back == "article":
        return redirect(detail_url(item.article))
    return redirect("news:feedback")


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def feedback_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The editors' answer to a reader's feedback (pending ones are approved with it)."""
    actor = request.user
    item = selectors.feedback_get(user=actor, pk=pk)
    if not policies.has_perm(actor, Perm.NEWS_PUBLISH, item.article.unit):
        raise PermissionDenied(unit=item.article.unit)
    form = AnswerForm(request.POST or None, initial={"answer": item.answer})
    notice = (
        _("Ý kiến này chưa được đăng: gửi trả lời là đăng cả ý kiến và trả lời.")
        if item.status == Feedback.Status.PENDING
        else ""
    )
    return step_page(
        request,
        template="news/answer.html",
        form=form,
        call=lambda: services.feedback_answer(
            actor=actor, feedback=item, text=form.cleaned_data["answer"]
        ),
        done=_("Đã đăng trả lời dưới ý kiến trên cổng thông tin."),
        success_url=f"{detail_url(item.article)}#feedback-{item.pk}",
        cancel_url=detail_url(item.article),
        title=_("Trả lời ý kiến bạn đọc"),
        allowed=services.feedback_may_answer(item),
        notice=notice,
        context={"unit": item.article.unit, "article": item.article, "item": item},
    )
