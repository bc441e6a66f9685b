"""Reads of the evaluation rounds and criteria sets, scoped to what the actor may see.

Who sees a round: the administrators of its level (Perm.EVALUATION_ADMIN on the level
unit, which covers the levels above through their grants) and the round's own
reviewers. Anyone else, including reviewers of other rounds, is answered as if the
round did not exist. What they see inside it is decided here too: a reviewer sees
only their own scores until they submit; the results table is for administrators
and for reviewers who have submitted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.models import Role, RoleGrant, User
from danvan.accounts.policies import Perm
from danvan.core.errors import NotFound
from danvan.units.models import Unit, UnitKind

from ..models import (
    CriteriaSet,
    Criterion,
    Entry,
    EvaluationRound,
    Outcome,
    RoundCandidate,
    RoundReviewer,
    Score,
    Status,
)

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
_AMOUNT: DecimalField[Decimal, Decimal] = DecimalField(max_digits=20, decimal_places=6)


def _pct(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# -- who may see which round ---------------------------------------------------


def _reviewed_rounds(actor: Any) -> QuerySet[Any]:
    return RoundReviewer.objects.filter(user_id=actor.pk).values("round_id")


def round_visible_q(actor: Any) -> Q:
    """Rounds *actor* may open: by the administered subtrees, or as one of the reviewers."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return Q(pk__in=[])
    admin = policies.administered_q(actor, Perm.EVALUATION_ADMIN, prefix="level_unit__")
    if admin == Q():
        return Q()  # a national grant: every round (an empty Q would swallow the OR below)
    return admin | Q(pk__in=_reviewed_rounds(actor))


@dataclass(frozen=True)
class RoundAccess:
    """What *actor* is to a round: an administrator of its level, one of its reviewers, both."""

    is_admin: bool
    reviewer: RoundReviewer | None

    @property
    def is_reviewer(self) -> bool:
        return self.reviewer is not None

    @property
    def has_submitted(self) -> bool:
        return self.reviewer is not None and self.reviewer.submitted_at is not None

    @property
    def sees_results(self) -> bool:
        return self.is_admin or self.has_submitted


def round_access(actor: Any, evaluation_round: EvaluationRound) -> RoundAccess:
    """The actor's standing in the round; NotFound when they may not see it at all."""
    is_admin = policies.has_perm(actor, Perm.EVALUATION_ADMIN, evaluation_round.level_unit)
    reviewer = None
    if actor is not None and getattr(actor, "is_authenticated", False):
        reviewer = RoundReviewer.objects.filter(round=evaluation_round, user_id=actor.pk).first()
        if reviewer is not None:
            reviewer.round = evaluation_round
    if not is_admin and reviewer is None:
        raise NotFound(_("Không tìm thấy đợt đánh giá."), code="round_not_found")
    return RoundAccess(is_admin=is_admin, reviewer=reviewer)


def _count(queryset: QuerySet[Any], link: str) -> Coalesce:
    """A correlated COUNT(*) of *queryset* rows whose *link* is the outer round."""
    rows = (
        queryset.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def round_list(
    *, actor: Any, state: str | None = None, year: int | None = None
) -> QuerySet[EvaluationRound]:
    """Rounds the actor may open, with their candidate, reviewer and submission counts."""
    qs = EvaluationRound.objects.filter(round_visible_q(actor))
    if state:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(year=year)
    return (
        qs.select_related("level_unit", "period", "criteria_set")
        .annotate(
            candidates_count=_count(RoundCandidate.objects.all(), "round"),
            reviewers_count=_count(RoundReviewer.objects.all(), "round"),
            submitted_count=_count(
                RoundReviewer.objects.filter(submitted_at__isnull=False), "round"
            ),
        )
        .order_by("-year", "-created_at", "-id")
    )


def round_get(*, actor: Any, public_id: Any) -> tuple[EvaluationRound, RoundAccess]:
    evaluation_round = (
        EvaluationRound.objects.select_related(
            "level_unit__parent", "period", "criteria_set", "opened_by", "confirmed_by"
        )
        .filter(public_id=public_id)
        .first()
    )
    if evaluation_round is None:
        raise NotFound(_("Không tìm thấy đợt đánh giá."), code="round_not_found")
    return evaluation_round, round_access(actor, evaluation_round)


def round_criteria(evaluation_round: EvaluationRound) -> list[Criterion]:
    return list(Criterion.objects.filter(criteria_set_id=evaluation_round.criteria_set_id))


def round_candidates(evaluation_round: EvaluationRound) -> list[RoundCandidate]:
    rows = list(
        RoundCandidate.objects.filter(round=evaluation_round)
        .select_related("entry__unit", "entry__field")
        .order_by("entry__name", "id")
    )
    for row in rows:
        row.round = evaluation_round
    return rows


def round_reviewers(evaluation_round: EvaluationRound) -> list[RoundReviewer]:
    rows = list(
        RoundReviewer.objects.filter(round=evaluation_round).select_related("user").order_by("id")
    )
    for row in rows:
        row.round = evaluation_round
    return rows


def candidate_get(evaluation_round: EvaluationRound, entry_public_id: Any) -> RoundCandidate:
    """A candidate of the round, named by its entry's public id."""
    candidate = (
        RoundCandidate.objects.select_related("entry__unit")
        .filter(round=evaluation_round, entry__public_id=entry_public_id)
        .first()
    )
    if candidate is None:
        raise NotFound(_("Mô hình này không có trong đợt đánh giá."), code="candidate_not_found")
    candidate.round = evaluation_round
    return candidate


def reviewer_scores(reviewer: RoundReviewer) -> dict[tuple[int, int], Score]:
    """The reviewer's own scores, keyed by (candidate id, criterion id)."""
    return {(s.candidate_id, s.criterion_id): s for s in Score.objects.filter(reviewer=reviewer)}


# -- results -------------------------------------------------------------------


@dataclass
class ReviewerTotal:
    reviewer: RoundReviewer
    percent: Decimal | None  # of the maximum weighted total; None: nothing scored yet
    scored: int  # criteria scored for this candidate

    @property
    def submitted(self) -> bool:
        return self.reviewer.submitted_at is not None


@dataclass
class CandidateResult:
    candidate: RoundCandidate
    totals: list[ReviewerTotal]
    mean: Decimal | None = None  # over the reviewers who submitted
    spread: Decimal | None = None  # max − min of the submitted reviewers' percentages
    disagreement: bool = False
    rank: int | None = None
    proposal: str | None = None  # an Outcome value

    @property
    def entry(self) -> Entry:
        return self.candidate.entry

    @property
    def proposal_label(self) -> str:
        return str(Outcome(self.proposal).label) if self.proposal else ""

    @property
    def submitted_totals(self) -> list[ReviewerTotal]:
        return [t for t in self.totals if t.submitted]


@dataclass
class ReviewerProgress:
    reviewer: RoundReviewer
    scored: int
    expected: int

    @property
    def percent_done(self) -> int:
        return int(self.scored * 100 / self.expected) if self.expected else 0


@dataclass
class RoundResults:
    max_total: Decimal  # sum of weight × max points over the criteria
    criteria_count: int
    reviewers: list[RoundReviewer]
    rows: list[CandidateResult]  # best first; candidates without a mean last
    progress: list[ReviewerProgress] = field(default_factory=list)

    @property
    def submitted_count(self) -> int:
        return sum(1 for r in self.reviewers if r.submitted_at is not None)

    @property
    def all_submitted(self) -> bool:
        return bool(self.reviewers) and self.submitted_count == len(self.reviewers)

    @property
    def disagreements(self) -> int:
        return sum(1 for row in self.rows if row.disagreement)


def propose(evaluation_round: EvaluationRound, mean: Decimal | None) -> str | None:
    """The outcome the marks propose for a mean percentage."""
    if mean is None:
        return None
    exemplary = evaluation_round.exemplary_mark
    if exemplary is not None and mean >= exemplary:
        return Outcome.EXEMPLARY
    if mean >= evaluation_round.pass_mark:
        return Outcome.RECOGNIZED
    return Outcome.NOT_RECOGNIZED


def _rank(rows: list[CandidateResult]) -> list[CandidateResult]:
    """Order best first and give equal means the same rank (1, 2, 2, 4)."""
    scored = sorted(
        (r for r in rows if r.mean is not None),
        key=lambda r: (-r.mean, r.entry.name, r.candidate.pk),  # type: ignore[operator]
    )
    previous: Decimal | None = None
    rank = 0
    for position, row in enumerate(scored, start=1):
        if row.mean != previous:
            rank, previous = position, row.mean
        row.rank = rank
    unscored = [r for r in rows if r.mean is None]
    return scored + sorted(unscored, key=lambda r: (r.entry.name, r.candidate.pk))


def round_results(
    evaluation_round: EvaluationRound,
    *,
    candidates: list[RoundCandidate] | None = None,
    reviewers: list[RoundReviewer] | None = None,
) -> RoundResults:
    """Every candidate's weighted percentages per reviewer, mean, rank, flag and proposal.

    A reviewer's percentage on a candidate is Σ(weight × points) / Σ(weight × max
    points) × 100, summed by the database per (candidate, reviewer): four queries
    whatever the number of candidates, reviewers or criteria (fewer when the caller
    passes the candidates and reviewers it already loaded). The mean, the spread and
    the proposal count only the reviewers who submitted; percentages are rounded to
    two decimals before comparing, so what the table shows is what decides.
    """
    if candidates is None:
        candidates = round_candidates(evaluation_round)
    if reviewers is None:
        reviewers = round_reviewers(evaluation_round)
    weighted_max = ExpressionWrapper(F("weight") * F("max_points"), output_field=_AMOUNT)
    totals = Criterion.objects.filter(criteria_set_id=evaluation_round.criteria_set_id).aggregate(
        max_total=Sum(weighted_max), n=Count("id")
    )
    max_total = Decimal(totals["max_total"] or 0)
    criteria_count = int(totals["n"] or 0)
    sums = (
        Score.objects.filter(candidate__round=evaluation_round)
        .values("candidate_id", "reviewer_id")
        .annotate(
            weighted=Sum(
                ExpressionWrapper(F("points") * F("criterion__weight"), output_field=_AMOUNT)
            ),
            scored=Count("id"),
        )
        .order_by()
    )
    by_pair: dict[tuple[int, int], tuple[Decimal, int]] = {
        (row["candidate_id"], row["reviewer_id"]): (Decimal(row["weighted"]), row["scored"])
        for row in sums
    }
    scored_by_reviewer: dict[int, int] = defaultdict(int)
    rows: list[CandidateResult] = []
    for candidate in candidates:
        result = CandidateResult(candidate=candidate, totals=[])
        for reviewer in reviewers:
            weighted, scored = by_pair.get((candidate.pk, reviewer.pk), (Decimal(0), 0))
            scored_by_reviewer[reviewer.pk] += scored
            percent = _pct(weighted * HUNDRED / max_total) if scored and max_total else None
            result.totals.append(ReviewerTotal(reviewer=reviewer, percent=percent, scored=scored))
        submitted = [t.percent for t in result.totals if t.submitted and t.percent is not None]
        if submitted:
            result.mean = _pct(sum(submitted, Decimal(0)) / len(submitted))
            result.spread = max(submitted) - min(submitted)
            result.disagreement = result.spread > evaluation_round.disagreement_threshold
            result.proposal = propose(evaluation_round, result.mean)
        rows.append(result)
    expected = len(candidates) * criteria_count
    progress = [
        ReviewerProgress(reviewer=r, scored=scored_by_reviewer[r.pk], expected=expected)
        for r in reviewers
    ]
    return RoundResults(
        max_total=max_total,
        criteria_count=criteria_count,
        reviewers=reviewers,
        rows=_rank(rows),
        progress=progress,
    )


def reviewer_percent(
    criteria: list[Criterion], scores: dict[tuple[int, int], Score], candidate: RoundCandidate
) -> Decimal | None:
    """One reviewer's percentage on one candidate, from rows already loaded (no query)."""
    max_total = sum((c.weight * c.max_points for c in criteria), Decimal(0))
    given = [(c, scores.get((candidate.pk, c.pk))) for c in criteria]
    if not max_total or all(s is None for _, s in given):
        return None
    weighted = sum((c.weight * s.points for c, s in given if s is not None), Decimal(0))
    return _pct(weighted * HUNDRED / max_total)


# -- forms' choices --------------------------------------------------------------


def admin_units(actor: Any) -> list[Unit]:
    """Levels where *actor* may open rounds and own criteria sets: the units of their
    administrator grants; a national grant offers every current province."""
    grants = [
        g for g in policies.grants_of(actor) if Perm.EVALUATION_ADMIN in policies.ROLE_PERMS[g.role]
    ]
    if any(g.unit is None for g in grants):
        return list(
            Unit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=True).order_by("name")
        )
    units = {g.unit.pk: g.unit for g in grants if g.unit is not None and g.unit.valid_to is None}
    return sorted(units.values(), key=lambda u: u.path)


def level_unit_get(*, actor: Any, code: str) -> Unit:
    """A unit (by code) where *actor* may open a round; NotFound/PermissionDenied otherwise."""
    unit = Unit.objects.select_related("parent").filter(code=code, valid_to__isnull=True).first()
    if unit is None:
        raise NotFound(_("Không tìm thấy đơn vị."), code="unit_not_found")
    policies.require(actor, Perm.EVALUATION_ADMIN, unit)
    return unit


def candidate_entries(level_unit: Unit) -> QuerySet[Entry]:
    """Entries of the level's subtree waiting for evaluation and not in another open round."""
    return (
        Entry.objects.filter(policies.subtree_q(level_unit, prefix="unit__"))
        .filter(status=Status.SUBMITTED)
        .exclude(candidacies__round__state=EvaluationRound.State.OPEN)
        .select_related("unit", "field")
        .order_by("unit__path", "name", "id")
    )


def eligible_reviewers(level_unit: Unit) -> QuerySet[User]:
    """Users holding the reviewer role on the level unit or a unit above it."""
    covering = [*level_unit.ancestor_ids, level_unit.pk]
    grants = RoleGrant.objects.filter(role=Role.REVIEWER, unit_id__in=covering)
    return User.objects.filter(is_active=True, pk__in=grants.values("user_id")).order_by(
        "full_name", "username"
    )


# -- criteria sets -----------------------------------------------------------------


def criteria_set_list(*, actor: Any) -> QuerySet[CriteriaSet]:
    """National sets and the sets of units the actor may see, with their criteria and
    round counts."""
    visible = Unit.objects.filter(policies.visible_units_q(actor)).values("pk")
    return (
        CriteriaSet.objects.filter(Q(owner__isnull=True) | Q(owner__in=visible))
        .select_related("owner")
        .annotate(
            criteria_count=_count(Criterion.objects.all(), "criteria_set"),
            rounds_count=_count(EvaluationRound.objects.all(), "criteria_set"),
        )
        .order_by("-is_active", "owner__path", "name", "id")
    )


def criteria_set_get(*, actor: Any, pk: int) -> CriteriaSet:
    criteria_set = CriteriaSet.objects.select_related("owner").filter(pk=pk).first()
    if criteria_set is None or (
        criteria_set.owner is not None
        and not policies.has_perm(actor, Perm.UNIT_VIEW, criteria_set.owner)
    ):
        raise NotFound(_("Không tìm thấy bộ tiêu chí."), code="criteria_set_not_found")
    return criteria_set


def criteria_set_in_use(criteria_set: CriteriaSet) -> bool:
    return EvaluationRound.objects.filter(criteria_set=criteria_set).exists()


def criteria_sets_for_level(level_unit: Unit) -> QuerySet[CriteriaSet]:
    """Active sets a round at *level_unit* may use: national ones and those of the level
    or a unit above it, each with at least one criterion."""
    covering = [*level_unit.ancestor_ids, level_unit.pk]
    return (
        CriteriaSet.objects.filter(is_active=True, criteria__isnull=False)
        .filter(Q(owner__isnull=True) | Q(owner_id__in=covering))
        .distinct()
        .select_related("owner")
        .order_by("owner__path", "name")
    )


def administers_any(actor: Any) -> bool:
    """Does *actor* administer evaluation anywhere (open rounds, own criteria sets)?"""
    return any(
        Perm.EVALUATION_ADMIN in policies.ROLE_PERMS[g.role] for g in policies.grants_of(actor)
    )
