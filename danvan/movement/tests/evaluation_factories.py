"""Builders for the evaluation tests (services, pages and API share them)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.movement import services
from danvan.movement.evaluation import selectors
from danvan.movement.evaluation import services as evaluation
from danvan.movement.models import (
    CriteriaSet,
    Criterion,
    Entry,
    EvaluationRound,
    Field,
    RoundCandidate,
)
from danvan.units.models import Unit

# (name, weight, max points): the weighted maximum is 2·10 + 1·20 + 1·10 = 50.
CRITERIA = [
    ("Hiệu quả thiết thực", "2", "10"),
    ("Huy động lực lượng", "1", "20"),
    ("Bền vững", "1", "10"),
]


def submitted_entry(name: str, unit: Unit, *, year: int = 2025) -> Entry:
    """An entry carried through its life cycle up to "submitted for review"."""
    entry = services.entry_create(
        actor=None,
        unit=unit,
        kind="initiative",
        name=name,
        field=Field.objects.get(code="kinh-te"),
        registration_year=year,
    )
    for step in ("register", "accept", "start", "submit"):
        entry = services.entry_transition(actor=None, entry=entry, name=step)
    return entry


def criteria_set(
    owner: Unit | None = None, criteria: Sequence[tuple[str, str, str]] = CRITERIA, **kw: Any
) -> CriteriaSet:
    kw.setdefault("name", "Bộ tiêu chí thử")
    return evaluation.criteria_set_create(
        actor=None,
        owner=owner,
        criteria=[
            evaluation.CriterionInput(name=n, weight=Decimal(w), max_points=Decimal(m))
            for n, w, m in criteria
        ],
        **kw,
    )


def reviewer(username: str, unit: Unit) -> User:
    return make_user(username, Role.REVIEWER, unit)


def open_round(
    level: Unit,
    entries: Sequence[Entry],
    reviewers: Sequence[User],
    cset: CriteriaSet | None = None,
    **kw: Any,
) -> EvaluationRound:
    kw.setdefault("name", "Đánh giá mô hình năm 2025")
    kw.setdefault("year", 2025)
    kw.setdefault("pass_mark", Decimal(50))
    kw.setdefault("exemplary_mark", Decimal(80))
    kw.setdefault("disagreement_threshold", Decimal(20))
    return evaluation.round_open(
        actor=kw.pop("actor", None),
        level_unit=level,
        criteria_set=cset or criteria_set(),
        candidates=entries,
        reviewers=reviewers,
        **kw,
    )


def candidate_of(evaluation_round: EvaluationRound, entry: Entry) -> RoundCandidate:
    return RoundCandidate.objects.get(round=evaluation_round, entry=entry)


def criteria_of(evaluation_round: EvaluationRound) -> list[Criterion]:
    return selectors.round_criteria(evaluation_round)


def score(
    evaluation_round: EvaluationRound,
    user: User,
    entry: Entry,
    points: Sequence[Any],
    comment: str = "",
) -> None:
    """*user* scores *entry* on the round's criteria, in order."""
    evaluation.round_score(
        actor=user,
        evaluation_round=evaluation_round,
        candidate=candidate_of(evaluation_round, entry),
        scores=[
            evaluation.ScoreInput(criterion_id=c.pk, points=p, comment=comment)
            for c, p in zip(criteria_of(evaluation_round), points, strict=True)
        ],
    )


def percent(points: Sequence[Any], criteria: Sequence[tuple[str, str, str]] = CRITERIA) -> Decimal:
    """The expected percentage, computed by hand from the test's own inputs."""
    weighted = sum(
        (Decimal(w) * Decimal(str(p)) for (_, w, _m), p in zip(criteria, points, strict=True)),
        Decimal(0),
    )
    maximum = sum((Decimal(w) * Decimal(m) for _, w, m in criteria), Decimal(0))
    return (weighted * 100 / maximum).quantize(Decimal("0.01"))
