"""Evaluation rounds over the API: thin doors onto danvan.movement's evaluation selectors and
services, with the same policy checks as the pages.

A round the actor may not see (not an administrator of its level, not one of its
reviewers) answers 404 exactly like a missing one; an action the actor may not take in a
round they see answers 403; input a rule refuses answers 400 (422 when it does not even
parse), all as problem+json. A reviewer reads only their own scores until they submit;
the results are for administrators and for reviewers who have submitted.
"""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from danvan.core.errors import PermissionDenied
from danvan.core.validation import TEXT_LIMIT
from danvan.movement.evaluation import selectors, services
from danvan.movement.models import Decision, EvaluationRound, Outcome
from danvan.movement.services import DecisionInput

from .auth import request_actor
from .schemas import UnitRef

router = Router(tags=["Dân vận khéo — đánh giá"])

# -- schemas -------------------------------------------------------------------------


class RoundFilters(Schema):
    state: EvaluationRound.State | None = Field(
        None, description="Trạng thái: open (đang chấm), confirmed, cancelled."
    )
    year: int | None = Field(None, ge=2000, le=2100, description="Năm đánh giá.")


class RoundFields(Schema):
    """A round's columns as the API shows them (no resolvers: see RoundOut)."""

    public_id: uuid.UUID
    name: str
    level_unit: UnitRef
    year: int
    period: str
    state: str
    criteria_set: str
    pass_mark: Decimal
    exemplary_mark: Decimal | None
    disagreement_threshold: Decimal
    candidates_count: int
    reviewers_count: int
    submitted_count: int
    confirmed_at: dt.datetime | None
    cancelled_at: dt.datetime | None = None
    cancel_reason: str = ""


class RoundOut(RoundFields):
    """A round read from an EvaluationRound row (the list)."""

    @staticmethod
    def resolve_period(obj: EvaluationRound) -> str:
        return obj.period.name

    @staticmethod
    def resolve_criteria_set(obj: EvaluationRound) -> str:
        return obj.criteria_set.name


class CriterionOut(Schema):
    id: int
    order: int
    name: str
    description: str
    weight: Decimal
    max_points: Decimal


class CandidateOut(Schema):
    entry: uuid.UUID = Field(description="Mã (public_id) của mô hình, điển hình.")
    name: str
    unit: UnitRef
    status: str
    outcome: str = Field(description="Kết quả đã xác nhận (rỗng khi đợt còn đang chấm).")


class ReviewerOut(Schema):
    username: str
    full_name: str
    submitted_at: dt.datetime | None


class ScoreOut(Schema):
    entry: uuid.UUID
    criterion_id: int
    points: Decimal
    comment: str


class ReviewerTotalOut(Schema):
    reviewer: str
    percent: Decimal | None
    submitted: bool


class ResultOut(Schema):
    entry: uuid.UUID
    name: str
    totals: list[ReviewerTotalOut]
    mean: Decimal | None = Field(description="Bình quân (%) của các phiếu đã nộp.")
    spread: Decimal | None
    disagreement: bool
    rank: int | None
    proposal: str | None = Field(description="exemplary, recognized hoặc not_recognized.")


class RoundDetailOut(RoundFields):
    """A round with what the actor may see inside it; built from a mapping by _detail."""

    criteria: list[CriterionOut]
    candidates: list[CandidateOut]
    reviewers: list[ReviewerOut]
    is_admin: bool
    is_reviewer: bool
    submitted: bool = Field(description="Bạn (thành viên chấm) đã nộp phiếu.")
    my_scores: list[ScoreOut] = Field(description="Điểm của chính bạn (nếu là thành viên chấm).")
    results: list[ResultOut] | None = Field(
        description="Chỉ có với quản trị, hoặc thành viên chấm đã nộp phiếu."
    )


class ScoreIn(Schema):
    criterion_id: int
    points: Decimal | None = Field(description="Từ 0 đến điểm tối đa; null để xóa điểm đã chấm.")
    comment: str = Field("", max_length=2000)


class ScoresIn(Schema):
    entry: uuid.UUID = Field(description="Mô hình được chấm (public_id).")
    scores: list[ScoreIn] = Field(min_length=1, max_length=200)


class ConfirmDecisionIn(Schema):
    number: str = Field(max_length=64, description="Số, ký hiệu, ví dụ 125/QĐ-UBND.")
    issued_on: dt.date
    issuer: str = Field(max_length=200)
    form: Decision.Form = Decision.Form.DECISION


class OutcomeIn(Schema):
    entry: uuid.UUID
    outcome: Outcome


class ConfirmIn(Schema):
    decision: ConfirmDecisionIn | None = Field(
        None, description="Bắt buộc khi có mô hình được công nhận hoặc chọn tiêu biểu."
    )
    outcomes: list[OutcomeIn] = Field(
        default_factory=list, description="Điều chỉnh kết quả; mô hình khác theo đề xuất."
    )
    override: bool = Field(False, description="Xác nhận khi chưa đủ phiếu chấm.")


# -- the detail, as the actor may see it ---------------------------------------------------


def _unit(unit: Any) -> dict[str, str]:
    return {"code": unit.code, "name": unit.name}


def _detail(actor: Any, public_id: uuid.UUID) -> dict[str, Any]:
    evaluation_round, access = selectors.round_get(actor=actor, public_id=public_id)
    criteria = selectors.round_criteria(evaluation_round)
    candidates = selectors.round_candidates(evaluation_round)
    reviewers = selectors.round_reviewers(evaluation_round)
    entry_ids = {c.pk: c.entry.public_id for c in candidates}
    my_scores = []
    if access.reviewer is not None:
        scores = selectors.reviewer_scores(access.reviewer)
        my_scores = [
            {
                "entry": entry_ids[s.candidate_id],
                "criterion_id": s.criterion_id,
                "points": s.points,
                "comment": s.comment,
            }
            for s in sorted(scores.values(), key=lambda s: (s.candidate_id, s.criterion_id))
        ]
    results = None
    if access.sees_results:
        computed = selectors.round_results(
            evaluation_round, candidates=candidates, reviewers=reviewers
        )
        results = [
            {
                "entry": row.entry.public_id,
                "name": row.entry.name,
                # Drafts of reviewers who have not submitted are for administrators only.
                "totals": [
                    {
                        "reviewer": t.reviewer.user.get_username(),
                        "percent": t.percent,
                        "submitted": t.submitted,
                    }
                    for t in (row.totals if access.is_admin else row.submitted_totals)
                ],
                "mean": row.mean,
                "spread": row.spread,
                "disagreement": row.disagreement,
                "rank": row.rank,
                "proposal": row.proposal,
            }
            for row in computed.rows
        ]
    submitted = sum(1 for r in reviewers if r.submitted_at is not None)
    return {
        "public_id": evaluation_round.public_id,
        "name": evaluation_round.name,
        "level_unit": _unit(evaluation_round.level_unit),
        "year": evaluation_round.year,
        "period": evaluation_round.period.name,
        "state": evaluation_round.state,
        "criteria_set": evaluation_round.criteria_set.name,
        "pass_mark": evaluation_round.pass_mark,
        "exemplary_mark": evaluation_round.exemplary_mark,
        "disagreement_threshold": evaluation_round.disagreement_threshold,
        "candidates_count": len(candidates),
        "reviewers_count": len(reviewers),
        "submitted_count": submitted,
        "confirmed_at": evaluation_round.confirmed_at,
        "cancelled_at": evaluation_round.cancelled_at,
        "cancel_reason": evaluation_round.cancel_reason,
        "criteria": criteria,
        "candidates": [
            {
                "entry": c.entry.public_id,
                "name": c.entry.name,
                "unit": _unit(c.entry.unit),
                "status": c.entry.status,
                "outcome": c.outcome,
            }
            for c in candidates
        ],
        "reviewers": [
            {
                "username": r.user.get_username(),
                "full_name": r.user.get_full_name(),
                "submitted_at": r.submitted_at,
            }
            for r in reviewers
        ],
        "is_admin": access.is_admin,
        "is_reviewer": access.is_reviewer,
        "submitted": access.has_submitted,
        "my_scores": my_scores,
        "results": results,
    }


# -- routes ------------------------------------------------------------------------------


@router.get(
    "/movement/rounds",
    response=list[RoundOut],
    summary="Danh sách đợt đánh giá",
    description=(
        "Các đợt đánh giá bạn được xem: của các cấp bạn quản trị, và các đợt bạn là thành"
        " viên chấm điểm. Phân trang bằng `limit`/`offset`."
    ),
)
@paginate(LimitOffsetPagination)
def round_list(request: HttpRequest, filters: Query[RoundFilters]) -> QuerySet[EvaluationRound]:
    return selectors.round_list(
        actor=request_actor(request),
        state=filters.state.value if filters.state else None,
        year=filters.year,
    )


@router.get(
    "/movement/rounds/{public_id}",
    response=RoundDetailOut,
    summary="Chi tiết đợt đánh giá",
    description=(
        "Tiêu chí, mô hình, thành viên chấm và điểm của chính bạn. Bảng kết quả (`results`)"
        " chỉ có với quản trị của cấp, hoặc thành viên chấm đã nộp phiếu."
    ),
)
def round_detail(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    return _detail(request_actor(request), public_id)


@router.post(
    "/movement/rounds/{public_id}/scores",
    response=RoundDetailOut,
    summary="Chấm điểm một mô hình",
    description=(
        "Điểm của bạn cho một mô hình, theo từng tiêu chí. Mọi điểm được kiểm tra trước khi"
        " ghi: một điểm âm hay vượt điểm tối đa thì không điểm nào được ghi."
    ),
)
def round_score(request: HttpRequest, public_id: uuid.UUID, payload: ScoresIn) -> dict[str, Any]:
    actor = request_actor(request)
    evaluation_round, _access = selectors.round_get(actor=actor, public_id=public_id)
    candidate = selectors.candidate_get(evaluation_round, payload.entry)
    services.round_score(
        actor=actor,
        evaluation_round=evaluation_round,
        candidate=candidate,
        scores=[
            services.ScoreInput(criterion_id=s.criterion_id, points=s.points, comment=s.comment)
            for s in payload.scores
        ],
    )
    return _detail(actor, public_id)


@router.post(
    "/movement/rounds/{public_id}/submit",
    response=RoundDetailOut,
    summary="Nộp phiếu chấm",
    description="Nộp khi đã chấm đủ; sau khi nộp, điểm không sửa được nữa.",
)
def round_submit(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    actor = request_actor(request)
    evaluation_round, _access = selectors.round_get(actor=actor, public_id=public_id)
    services.round_submit(actor=actor, evaluation_round=evaluation_round)
    return _detail(actor, public_id)


@router.post(
    "/movement/rounds/{public_id}/confirm",
    response=RoundDetailOut,
    summary="Xác nhận kết quả",
    description=(
        "Quản trị của cấp xác nhận kết quả và một quyết định công nhận; hệ thống chuyển"
        " trạng thái từng mô hình (công nhận, chọn tiêu biểu, không công nhận) trong cùng"
        " một giao dịch: lỗi ở bất kỳ mô hình nào thì không gì được ghi."
    ),
)
def round_confirm(request: HttpRequest, public_id: uuid.UUID, payload: ConfirmIn) -> dict[str, Any]:
    actor = request_actor(request)
    evaluation_round, access = selectors.round_get(actor=actor, public_id=public_id)
    if not access.is_admin:
        raise PermissionDenied(_("Chỉ quản trị của cấp tổ chức mới xác nhận kết quả."))
    outcomes = {
        selectors.candidate_get(evaluation_round, item.entry).pk: item.outcome.value
        for item in payload.outcomes
    }
    decision = None
    if payload.decision is not None:
        decision = DecisionInput(
            number=payload.decision.number,
            issued_on=payload.decision.issued_on,
            issuer=payload.decision.issuer,
            form=payload.decision.form.value,
        )
    services.round_confirm(
        actor=actor,
        evaluation_round=evaluation_round,
        decision=decision,
        outcomes=outcomes,
        override=payload.override,
    )
    return _detail(actor, public_id)


class CancelIn(Schema):
    reason: str = Field(max_length=TEXT_LIMIT, description="Lý do hủy (bắt buộc).")


@router.post(
    "/movement/rounds/{public_id}/cancel",
    response=RoundDetailOut,
    summary="Hủy đợt đánh giá",
    description=(
        "Quản trị của cấp hủy một đợt đang chấm (mở nhầm): không mô hình nào đổi trạng thái,"
        " điểm đã chấm được giữ lại, các mô hình có thể vào đợt khác. Đợt đã xác nhận không"
        " hủy được."
    ),
)
def round_cancel(request: HttpRequest, public_id: uuid.UUID, payload: CancelIn) -> dict[str, Any]:
    actor = request_actor(request)
    evaluation_round, access = selectors.round_get(actor=actor, public_id=public_id)
    if not access.is_admin:
        raise PermissionDenied(_("Chỉ quản trị của cấp tổ chức mới hủy đợt đánh giá."))
    services.round_cancel(actor=actor, evaluation_round=evaluation_round, reason=payload.reason)
    return _detail(actor, public_id)
