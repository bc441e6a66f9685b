"""The evaluation pages: thin doors onto evaluation.selectors (reads) and evaluation.services.

A round the user may not see answers 404 exactly like a missing one (reviewers of
other rounds included); an action the user may not take in a round they see answers
403. A form refused by a service comes back with HTTP 400 and the message beside its
field; the scoring card, swapped in by htmx, comes back 200 with its errors inside
(htmx does not swap error responses).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.core.forms import apply_service
from danvan.core.http import domain_http, paginate

from ..models import CriteriaSet, EvaluationRound, RoundCandidate
from . import selectors, services
from .forms import (
    NATIONAL,
    CancelForm,
    ConfirmForm,
    CriteriaSetForm,
    LevelForm,
    RoundForm,
    ScoreForm,
    criteria_initial,
    criterion_formset,
    score_initial,
)

ROUNDS_PER_PAGE = 25


def _render_form(
    request: HttpRequest, template: str, context: dict[str, Any], *, invalid: bool
) -> HttpResponse:
    return render(request, template, context, status=400 if invalid else 200)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# -- rounds ---------------------------------------------------------------------------


@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in EvaluationRound.State.values:
        state = ""
    page, query = paginate(
        request, selectors.round_list(actor=request.user, state=state or None), ROUNDS_PER_PAGE
    )
    return render(
        request,
        "movement/round_list.html",
        {
            "page": page,
            "query": query,
            "state": state,
            "states": EvaluationRound.State.choices,
            "can_open": selectors.administers_any(request.user),
        },
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    units = selectors.admin_units(request.user)
    if not units:
        raise PermissionDenied(_("Bạn không có quyền mở đợt đánh giá."))
    level = selectors.level_unit_get(
        actor=request.user, code=request.GET.get("unit") or units[0].code
    )
    if level not in units:
        units = [*units, level]
    form = RoundForm(request.POST or None, level_unit=level)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = apply_service(
            form,
            lambda: services.round_open(
                actor=request.user,
                level_unit=level,
                name=data["name"],
                year=data["year"],
                period=data["period"],
                criteria_set=data["criteria_set"],
                pass_mark=data["pass_mark"],
                exemplary_mark=data["exemplary_mark"],
                disagreement_threshold=data["disagreement_threshold"],
                candidates=list(data["candidates"]),
                reviewers=list(data["reviewers"]),
            ),
        )
        if created is not None:
            messages.success(request, _("Đã mở đợt đánh giá “%(name)s”.") % {"name": created.name})
            return redirect("movement:round_detail", public_id=created.public_id)
    return _render_form(
        request,
        "movement/round_form.html",
        {
            "form": form,
            "level": level,
            "level_form": LevelForm(initial={"unit": level.code}, units=units),
        },
        invalid=bool(form.errors),
    )


def _score_card(
    evaluation_round: EvaluationRound,
    candidate: RoundCandidate,
    criteria: list[Any],
    scores: dict[tuple[int, int], Any],
    *,
    submitted: bool,
    form: ScoreForm | None = None,
    saved: bool = False,
) -> dict[str, Any]:
    if form is None and not submitted:
        form = ScoreForm(
            initial=score_initial(criteria, scores, candidate),
            criteria=criteria,
            prefix=f"c{candidate.pk}",
        )
    return {
        "candidate": candidate,
        "form": form,
        "saved": saved,
        "own": [(c, scores.get((candidate.pk, c.pk))) for c in criteria],
        "percent": selectors.reviewer_percent(criteria, scores, candidate),
        "scored": sum(1 for c in criteria if (candidate.pk, c.pk) in scores),
        "round": evaluation_round,
    }


def _detail_context(
    request: HttpRequest,
    evaluation_round: EvaluationRound,
    access: selectors.RoundAccess,
    *,
    bound: tuple[int, ScoreForm] | None = None,
) -> dict[str, Any]:
    criteria = selectors.round_criteria(evaluation_round)
    candidates = selectors.round_candidates(evaluation_round)
    context: dict[str, Any] = {
        "round": evaluation_round,
        "access": access,
        "criteria": criteria,
        "candidates": candidates,
        "is_open": evaluation_round.state == EvaluationRound.State.OPEN,
    }
    if access.reviewer is not None:
        # The reviewer's own scores only: nobody else's reach this page before they submit.
        scores = selectors.reviewer_scores(access.reviewer)
        cards = []
        for candidate in candidates:
            form = bound[1] if bound is not None and bound[0] == candidate.pk else None
            cards.append(
                _score_card(
                    evaluation_round,
                    candidate,
                    criteria,
                    scores,
                    submitted=access.has_submitted or not context["is_open"],
                    form=form,
                )
            )
        context["cards"] = cards
        context["scored_total"] = len(scores)
        context["expected_total"] = len(criteria) * len(candidates)
    if access.sees_results:
        reviewers = selectors.round_reviewers(evaluation_round)
        results = selectors.round_results(
            evaluation_round, candidates=candidates, reviewers=reviewers
        )
        context["results"] = results
        # Reviewers see the totals of those who submitted; drafts are for administrators.
        context["columns"] = (
            reviewers if access.is_admin else [r for r in reviewers if r.submitted_at]
        )
    return context


@login_required
@domain_http
def round_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    evaluation_round, access = selectors.round_get(actor=request.user, public_id=public_id)
    return render(
        request,
        "movement/round_detail.html",
        _detail_context(request, evaluation_round, access),
    )


@login_required
@domain_http
@require_POST
def round_score(request: HttpRequest, public_id: UUID, entry_id: UUID) -> HttpResponse:
    evaluation_round, access = selectors.round_get(actor=request.user, public_id=public_id)
    if access.reviewer is None:
        raise PermissionDenied(_("Bạn không phải thành viên chấm điểm của đợt đánh giá này."))
    candidate = selectors.candidate_get(evaluation_round, entry_id)
    criteria = selectors.round_criteria(evaluation_round)
    form = ScoreForm(request.POST, criteria=criteria, prefix=f"c{candidate.pk}")
    saved = False
    if form.is_valid():
        try:
            services.round_score(
                actor=request.user,
                evaluation_round=evaluation_round,
                candidate=candidate,
                scores=form.inputs(),
            )
            saved = True
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            form.add_service_error(exc)
    if saved and not _is_htmx(request):
        messages.success(request, _("Đã lưu điểm của “%(name)s”.") % {"name": candidate.entry.name})
        url = reverse("movement:round_detail", kwargs={"public_id": evaluation_round.public_id})
        return redirect(f"{url}#score-{candidate.pk}")
    if _is_htmx(request):
        scores = selectors.reviewer_scores(access.reviewer)
        card = _score_card(
            evaluation_round,
            candidate,
            criteria,
            scores,
            submitted=False,
            form=None if saved else form,
            saved=saved,
        )
        return render(request, "movement/round_score_card.html", {"card": card})
    return _render_form(
        request,
        "movement/round_detail.html",
        _detail_context(request, evaluation_round, access, bound=(candidate.pk, form)),
        invalid=True,
    )


@login_required
@domain_http
@require_POST
def round_submit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    evaluation_round, _access = selectors.round_get(actor=request.user, public_id=public_id)
    try:
        services.round_submit(actor=request.user, evaluation_round=evaluation_round)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Đã nộp phiếu chấm. Bạn có thể xem tổng điểm của các thành viên đã nộp.")
        )
    return redirect("movement:round_detail", public_id=evaluation_round.public_id)


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def round_confirm(request: HttpRequest, public_id: UUID) -> HttpResponse:
    evaluation_round, access = selectors.round_get(actor=request.user, public_id=public_id)
    if not access.is_admin:
        raise PermissionDenied(_("Chỉ quản trị của cấp tổ chức mới xác nhận kết quả."))
    if evaluation_round.state != EvaluationRound.State.OPEN:
        messages.info(request, _("Đợt đánh giá này đã kết thúc."))
        return redirect("movement:round_detail", public_id=evaluation_round.public_id)
    results = selectors.round_results(evaluation_round)
    form = ConfirmForm(request.POST or None, rows=results.rows, all_submitted=results.all_submitted)
    if request.method == "POST" and form.is_valid():
        confirmed = apply_service(
            form,
            lambda: services.round_confirm(
                actor=request.user,
                evaluation_round=evaluation_round,
                decision=form.decision(),
                outcomes=form.outcomes(),
                override=form.cleaned_data.get("override", False),
            ),
        )
        if confirmed is not None:
            messages.success(
                request,
                _("Đã xác nhận kết quả đợt “%(name)s” và cập nhật trạng thái các mô hình.")
                % {"name": confirmed.name},
            )
            return redirect("movement:round_detail", public_id=confirmed.public_id)
    return _render_form(
        request,
        "movement/round_confirm.html",
        {"round": evaluation_round, "results": results, "form": form},
        invalid=bool(form.errors),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def round_cancel(request: HttpRequest, public_id: UUID) -> HttpResponse:
    evaluation_round, access = selectors.round_get(actor=request.user, public_id=public_id)
    if not access.is_admin:
        raise PermissionDenied(_("Chỉ quản trị của cấp tổ chức mới hủy đợt đánh giá."))
    if evaluation_round.state != EvaluationRound.State.OPEN:
        messages.info(request, _("Đợt đánh giá này đã kết thúc."))
        return redirect("movement:round_detail", public_id=evaluation_round.public_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cancelled = apply_service(
            form,
            lambda: services.round_cancel(
                actor=request.user,
                evaluation_round=evaluation_round,
                reason=form.cleaned_data["reason"],
            ),
        )
        if cancelled is not None:
            messages.success(request, _("Đã hủy đợt “%(name)s”.") % {"name": cancelled.name})
            return redirect("movement:round_detail", public_id=cancelled.public_id)
    return _render_form(
        request,
        "movement/round_cancel.html",
        {"round": evaluation_round, "form": form},
        invalid=bool(form.errors),
    )


# -- criteria sets -----------------------------------------------------------------------


@login_required
def criteria_list(request: HttpRequest) -> HttpResponse:
    sets = list(selectors.criteria_set_list(actor=request.user))
    for item in sets:
        item.can_edit = policies.has_perm(request.user, Perm.EVALUATION_ADMIN, item.owner)  # type: ignore[attr-defined]
    return render(
        request,
        "movement/criteria_list.html",
        {"sets": sets, "can_create": selectors.administers_any(request.user)},
    )


def _owner_choices(user: Any) -> list[tuple[str, str]]:
    choices = [(u.code, u.name) for u in selectors.admin_units(user)]
    if policies.has_perm(user, Perm.EVALUATION_ADMIN, None):
        choices.insert(0, (NATIONAL, _("Toàn quốc")))
    return choices


def _owner_from(user: Any, code: str) -> Any:
    if code == NATIONAL:
        return None
    return selectors.level_unit_get(actor=user, code=code)


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def criteria_create(request: HttpRequest) -> HttpResponse:
    owners = _owner_choices(request.user)
    if not owners:
        raise PermissionDenied(_("Bạn không có quyền tạo bộ tiêu chí."))
    initial: dict[str, Any] = {"is_active": True}
    rows: list[dict[str, Any]] = []
    source: CriteriaSet | None = None
    if request.GET.get("from", "").isdigit():
        # A copy: a province starts from the national example (or its old guidance).
        source = selectors.criteria_set_get(actor=request.user, pk=int(request.GET["from"]))
        initial.update(name=_("%(name)s (bản sao)") % {"name": source.name}, source=source.source)
        rows = criteria_initial(list(source.criteria.all()), keep_ids=False)
    form = CriteriaSetForm(request.POST or None, initial=initial, owners=owners)
    formset = criterion_formset(request.POST or None, rows or None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        created = apply_service(
            form,
            lambda: services.criteria_set_create(
                actor=request.user,
                owner=_owner_from(request.user, data["owner"]),
                name=data["name"],
                source=data["source"],
                is_active=data["is_active"],
                criteria=formset.inputs(),
            ),
        )
        if created is not None:
            messages.success(request, _("Đã tạo bộ tiêu chí “%(name)s”.") % {"name": created.name})
            return redirect("movement:criteria_list")
    return _render_form(
        request,
        "movement/criteria_form.html",
        {"form": form, "formset": formset, "title": _("Tạo bộ tiêu chí"), "copied_from": source},
        invalid=bool(form.errors or formset.total_error_count()),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def criteria_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = selectors.criteria_set_get(actor=request.user, pk=pk)
    policies.require(request.user, Perm.EVALUATION_ADMIN, criteria_set.owner)
    initial = {
        "name": criteria_set.name,
        "source": criteria_set.source,
        "is_active": criteria_set.is_active,
    }
    form = CriteriaSetForm(request.POST or None, initial=initial)
    formset = criterion_formset(
        request.POST or None, criteria_initial(list(criteria_set.criteria.all()), keep_ids=True)
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        updated = apply_service(
            form,
            lambda: services.criteria_set_update(
                actor=request.user,
                criteria_set=criteria_set,
                name=data["name"],
                source=data["source"],
                is_active=data["is_active"],
                criteria=formset.inputs(),
            ),
        )
        if updated is not None:
            messages.success(request, _("Đã lưu bộ tiêu chí “%(name)s”.") % {"name": updated.name})
            return redirect("movement:criteria_list")
    return _render_form(
        request,
        "movement/criteria_form.html",
        {
            "form": form,
            "formset": formset,
            "title": _("Sửa bộ tiêu chí"),
            "criteria_set": criteria_set,
            "in_use": selectors.criteria_set_in_use(criteria_set),
        },
        invalid=bool(form.errors or formset.total_error_count()),
    )
