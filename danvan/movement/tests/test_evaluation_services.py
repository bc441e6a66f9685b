"""Evaluation rounds: criteria sets, opening, scoring, results and confirmation (services)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.movement import services
from danvan.movement.evaluation import selectors
from danvan.movement.evaluation import services as evaluation
from danvan.movement.models import (
    CriteriaSet,
    Decision,
    Entry,
    EntryEvent,
    EvaluationRound,
    Outcome,
    RoundReviewer,
    Score,
    Status,
)
from danvan.units.models import Unit

from .evaluation_factories import (
    CRITERIA,
    candidate_of,
    criteria_of,
    criteria_set,
    open_round,
    percent,
    reviewer,
    score,
    submitted_entry,
)

pytestmark = pytest.mark.django_db

DECISION = services.DecisionInput(
    number="125/QĐ-UBND", issued_on=dt.date(2025, 11, 20), issuer="UBND tỉnh Thái Nguyên"
)
# Each reviewer's points on the three criteria (see CRITERIA: weighted maximum 50).
POINTS: dict[str, tuple[list[Any], list[Any]]] = {
    "A": ([10, 18, 9], [9, 16, 8]),  # 94% and 84%: mean 89 → exemplary
    "B": ([6, 10, 5], [8, 14, 7]),  # 54% and 74%: spread exactly 20, not flagged
    "C": ([2, 5, 3], [7, 12, 6]),  # 24% and 64%: mean 44 → not recognized, flagged
    "D": (["7.5", 15, "7.5"], [8, 15, 8]),  # 75% and 78%: mean 76.5 → recognized
}


@pytest.fixture
def province_admin(thai_nguyen: Unit) -> User:
    return make_user("qt-tinh", Role.UNIT_ADMIN, thai_nguyen)


@pytest.fixture
def reviewers(thai_nguyen: Unit) -> list[User]:
    return [reviewer("gk-1", thai_nguyen), reviewer("gk-2", thai_nguyen)]


@pytest.fixture
def entries(commune: Unit, sibling_commune: Unit, thai_nguyen: Unit) -> dict[str, Entry]:
    return {
        "A": submitted_entry("Mô hình A — hiến đất làm đường", commune),
        "B": submitted_entry("Mô hình B — camera an ninh", commune),
        "C": submitted_entry("Mô hình C — tổ tự quản", sibling_commune),
        # An entry of the level unit itself: the managing-body rule does not reach it.
        "D": submitted_entry("Mô hình D — của tỉnh", thai_nguyen),
    }


@pytest.fixture
def scored_round(
    thai_nguyen: Unit, province_admin: User, reviewers: list[User], entries: dict[str, Entry]
) -> EvaluationRound:
    evaluation_round = open_round(
        thai_nguyen, list(entries.values()), reviewers, actor=province_admin
    )
    for key, (first, second) in POINTS.items():
        score(evaluation_round, reviewers[0], entries[key], first, comment=f"nhận xét 1 {key}")
        score(evaluation_round, reviewers[1], entries[key], second, comment=f"nhận xét 2 {key}")
    return evaluation_round


def submit_all(evaluation_round: EvaluationRound, reviewers: list[User]) -> None:
    for user in reviewers:
        evaluation.round_submit(actor=user, evaluation_round=evaluation_round)


# -- the whole flow ---------------------------------------------------------------


def test_full_flow_results_ranks_flags_and_confirmation(
    scored_round: EvaluationRound,
    reviewers: list[User],
    entries: dict[str, Entry],
    province_admin: User,
) -> None:
    submit_all(scored_round, reviewers)
    results = selectors.round_results(scored_round)
    assert results.max_total == Decimal(50)
    assert results.all_submitted
    by_key = {
        key: next(r for r in results.rows if r.entry.pk == entry.pk)
        for key, entry in entries.items()
    }
    for key, (first, second) in POINTS.items():
        row = by_key[key]
        expected = [percent(first), percent(second)]
        assert [t.percent for t in row.totals] == expected
        assert row.mean == (sum(expected, Decimal(0)) / 2).quantize(Decimal("0.01"))
        assert row.spread == max(expected) - min(expected)
        assert row.disagreement == (max(expected) - min(expected) > 20)
    # The same numbers written out, so a wrong formula cannot hide in the helper.
    assert [t.percent for t in by_key["A"].totals] == [Decimal("94.00"), Decimal("84.00")]
    assert by_key["D"].mean == Decimal("76.50")
    assert [(r.entry.name[:11], r.rank, r.proposal, r.disagreement) for r in results.rows] == [
        ("Mô hình A —", 1, Outcome.EXEMPLARY, False),
        ("Mô hình D —", 2, Outcome.RECOGNIZED, False),
        ("Mô hình B —", 3, Outcome.RECOGNIZED, False),
        ("Mô hình C —", 4, Outcome.NOT_RECOGNIZED, True),
    ]

    confirmed = evaluation.round_confirm(
        actor=province_admin, evaluation_round=scored_round, decision=DECISION
    )
    assert confirmed.state == EvaluationRound.State.CONFIRMED
    assert confirmed.confirmed_by == province_admin
    assert confirmed.decision_number == "125/QĐ-UBND"
    assert not confirmed.confirmed_early
    status = {k: Entry.objects.get(pk=e.pk).status for k, e in entries.items()}
    assert status == {
        "A": Status.EXEMPLARY,
        "B": Status.RECOGNIZED,
        "C": Status.NOT_RECOGNIZED,
        "D": Status.RECOGNIZED,
    }
    a = Entry.objects.get(pk=entries["A"].pk)
    assert a.recognized_on == a.exemplary_on == DECISION.issued_on
    assert a.recognized_level == a.exemplary_level == "province"
    kinds = sorted(Decision.objects.filter(entry=a).values_list("kind", "number"))
    assert kinds == [("exemplary", "125/QĐ-UBND"), ("recognition", "125/QĐ-UBND")]
    assert not Decision.objects.filter(entry=entries["C"]).exists()
    rejected = EntryEvent.objects.get(entry=entries["C"], to_status=Status.NOT_RECOGNIZED)
    assert rejected.reason == "Không đạt điểm (44%) đợt “Đánh giá mô hình năm 2025”."
    # The administrator is above the communes: the events name them. The province's
    # own entry is transitioned by the round (actor None), its decision still at the
    # province level.
    assert EntryEvent.objects.get(entry=a, to_status=Status.EXEMPLARY).actor == province_admin
    d_event = EntryEvent.objects.get(entry=entries["D"], to_status=Status.RECOGNIZED)
    assert d_event.actor is None
    assert "Đánh giá mô hình năm 2025" in d_event.reason
    assert Decision.objects.get(entry=entries["D"]).level == "province"
    outcomes = {c.entry_id: (c.outcome, c.percent) for c in confirmed.candidates.all()}
    assert outcomes[entries["C"].pk] == (Outcome.NOT_RECOGNIZED, Decimal("44.00"))
    audit_row = AuditEvent.objects.filter(
        model_label="movement.evaluationround", object_pk=str(confirmed.pk), action="update"
    ).get()
    assert audit_row.actor == province_admin
    assert audit_row.changes["state"] == ["open", "confirmed"]
    assert audit_row.changes["outcomes"][1][str(entries["D"].public_id)] == "recognized"

    with pytest.raises(DomainError) as twice:
        evaluation.round_confirm(
            actor=province_admin, evaluation_round=scored_round, decision=DECISION
        )
    assert twice.value.code == "evaluation_round_closed"
    assert Decision.objects.filter(number="125/QĐ-UBND").count() == 4  # A twice, B, D


def test_adjusted_outcome_and_early_confirmation(
    scored_round: EvaluationRound,
    reviewers: list[User],
    entries: dict[str, Entry],
    province_admin: User,
) -> None:
    evaluation.round_submit(actor=reviewers[0], evaluation_round=scored_round)
    with pytest.raises(DomainError) as early:
        evaluation.round_confirm(
            actor=province_admin, evaluation_round=scored_round, decision=DECISION
        )
    assert early.value.code == "evaluation_not_all_submitted"
    assert "1/2" in early.value.message
    b = candidate_of(scored_round, entries["B"])
    evaluation.round_confirm(
        actor=province_admin,
        evaluation_round=scored_round,
        decision=DECISION,
        outcomes={b.pk: Outcome.NOT_RECOGNIZED},
        override=True,
    )
    scored_round.refresh_from_db()
    assert scored_round.confirmed_early
    # Only the submitted reviewer counts: A 94% → exemplary, B 54% adjusted to a refusal.
    assert Entry.objects.get(pk=entries["A"].pk).status == Status.EXEMPLARY
    b_entry = Entry.objects.get(pk=entries["B"].pk)
    assert b_entry.status == Status.NOT_RECOGNIZED
    reason = EntryEvent.objects.get(entry=b_entry, to_status=Status.NOT_RECOGNIZED).reason
    assert reason.startswith("Không công nhận theo kết luận")
    assert "54%" in reason
    b.refresh_from_db()
    assert (b.outcome, b.percent) == (Outcome.NOT_RECOGNIZED, Decimal("54.00"))


def test_confirmation_needs_at_least_one_submission(
    scored_round: EvaluationRound, province_admin: User
) -> None:
    with pytest.raises(DomainError) as refused:
        evaluation.round_confirm(
            actor=province_admin, evaluation_round=scored_round, decision=DECISION, override=True
        )
    assert refused.value.code == "evaluation_not_all_submitted"


# -- all or nothing ------------------------------------------------------------------


def _nothing_confirmed(evaluation_round: EvaluationRound, entries: dict[str, Entry]) -> None:
    evaluation_round.refresh_from_db()
    assert evaluation_round.state == EvaluationRound.State.OPEN
    assert evaluation_round.confirmed_at is None
    assert {e.status for e in Entry.objects.filter(pk__in=[e.pk for e in entries.values()])} == {
        Status.SUBMITTED
    }
    assert not Decision.objects.exists()
    assert not EntryEvent.objects.filter(
        to_status__in=[Status.RECOGNIZED, Status.NOT_RECOGNIZED, Status.EXEMPLARY]
    ).exists()
    assert not evaluation_round.candidates.exclude(outcome="").exists()


@pytest.mark.parametrize("number", ["125/QD", "không có số", ""])
def test_bad_decision_number_writes_nothing(
    scored_round: EvaluationRound,
    reviewers: list[User],
    entries: dict[str, Entry],
    province_admin: User,
    number: str,
) -> None:
    submit_all(scored_round, reviewers)
    bad = services.DecisionInput(number=number, issued_on=dt.date(2025, 11, 20), issuer="UBND")
    with pytest.raises(DomainError) as refused:
        evaluation.round_confirm(actor=province_admin, evaluation_round=scored_round, decision=bad)
    assert refused.value.field == "number"
    assert any(ord(ch) > 127 for ch in refused.value.message)
    _nothing_confirmed(scored_round, entries)


def test_failure_half_way_rolls_back_earlier_transitions(
    scored_round: EvaluationRound,
    reviewers: list[User],
    entries: dict[str, Entry],
    province_admin: User,
) -> None:
    submit_all(scored_round, reviewers)
    # The lowest-ranked candidate was withdrawn meanwhile: the three before it are
    # transitioned first, then its "reject" is refused, and everything rolls back.
    services.entry_transition(actor=None, entry=entries["C"], name="withdraw", reason="Rút")
    with pytest.raises(DomainError) as refused:
        evaluation.round_confirm(
            actor=province_admin, evaluation_round=scored_round, decision=DECISION
        )
    assert "Mô hình C" in refused.value.message
    scored_round.refresh_from_db()
    assert scored_round.state == EvaluationRound.State.OPEN
    assert not Decision.objects.exists()
    for key in ("A", "B", "D"):
        assert Entry.objects.get(pk=entries[key].pk).status == Status.SUBMITTED


def test_a_future_decision_date_writes_nothing(
    scored_round: EvaluationRound,
    reviewers: list[User],
    entries: dict[str, Entry],
    province_admin: User,
) -> None:
    submit_all(scored_round, reviewers)
    future = services.DecisionInput(
        number="9/QĐ-UBND", issued_on=dt.date(2999, 1, 1), issuer="UBND tỉnh"
    )
    with pytest.raises(DomainError):
        evaluation.round_confirm(
            actor=province_admin, evaluation_round=scored_round, decision=future
        )
    _nothing_confirmed(scored_round, entries)


# -- scoring rules -------------------------------------------------------------------


def test_points_out_of_range_are_refused_and_nothing_is_written(
    thai_nguyen: Unit, commune: Unit, reviewers: list[User]
) -> None:
    entry = submitted_entry("Mô hình E", commune)
    evaluation_round = open_round(thai_nguyen, [entry], reviewers)
    criteria = criteria_of(evaluation_round)
    candidate = candidate_of(evaluation_round, entry)
    with pytest.raises(DomainError) as refused:
        evaluation.round_score(
            actor=reviewers[0],
            evaluation_round=evaluation_round,
            candidate=candidate,
            scores=[
                evaluation.ScoreInput(criterion_id=criteria[0].pk, points=5),  # valid
                evaluation.ScoreInput(criterion_id=criteria[1].pk, points=21),  # max 20
                evaluation.ScoreInput(criterion_id=criteria[2].pk, points=-1),
            ],
        )
    assert refused.value.code == "evaluation_bad_score"
    assert "“Huy động lực lượng” vượt quá điểm tối đa (20)" in refused.value.message
    assert "“Bền vững” không được âm" in refused.value.message
    assert set(refused.value.params["errors"]) == {criteria[1].pk, criteria[2].pk}
    assert not Score.objects.exists()


def test_scores_can_change_until_submitted_then_are_final(
    thai_nguyen: Unit, commune: Unit, reviewers: list[User]
) -> None:
    entry = submitted_entry("Mô hình E", commune)
    evaluation_round = open_round(thai_nguyen, [entry], reviewers)
    first = reviewers[0]
    score(evaluation_round, first, entry, [5, 5, 5])
    with pytest.raises(DomainError) as incomplete:
        evaluation.round_submit(actor=reviewers[1], evaluation_round=evaluation_round)
    assert incomplete.value.code == "evaluation_incomplete"
    score(evaluation_round, first, entry, [6, 5, None])  # change one, clear one
    assert sorted(Score.objects.values_list("points", flat=True)) == [Decimal(5), Decimal(6)]
    with pytest.raises(DomainError):
        evaluation.round_submit(actor=first, evaluation_round=evaluation_round)
    score(evaluation_round, first, entry, [6, 5, 4])
    evaluation.round_submit(actor=first, evaluation_round=evaluation_round)
    with pytest.raises(DomainError) as final:
        score(evaluation_round, first, entry, [1, 1, 1])
    assert final.value.code == "evaluation_already_submitted"
    with pytest.raises(DomainError):
        evaluation.round_submit(actor=first, evaluation_round=evaluation_round)
    assert sorted(Score.objects.values_list("points", flat=True)) == [4, 5, 6]


def test_who_may_score(
    thai_nguyen: Unit,
    commune: Unit,
    reviewers: list[User],
    province_admin: User,
) -> None:
    entry = submitted_entry("Mô hình E", commune)
    evaluation_round = open_round(thai_nguyen, [entry], reviewers)
    # The administrator sees the round but is not a reviewer: 403.
    with pytest.raises(PermissionDenied):
        score(evaluation_round, province_admin, entry, [1, 1, 1])
    # A reviewer of the same province who is not in this round: as if it did not exist.
    other_reviewer = reviewer("gk-khac", thai_nguyen)
    with pytest.raises(NotFound):
        score(evaluation_round, other_reviewer, entry, [1, 1, 1])
    with pytest.raises(NotFound):
        selectors.round_get(actor=other_reviewer, public_id=evaluation_round.public_id)
    # Someone of another province sees nothing either.
    stranger = make_user("qt-tinh-khac", Role.UNIT_ADMIN, Unit.objects.get(code="01"))
    with pytest.raises(NotFound):
        selectors.round_get(actor=stranger, public_id=evaluation_round.public_id)
    with pytest.raises(NotFound):
        evaluation.round_confirm(actor=stranger, evaluation_round=evaluation_round, decision=None)
    # A reviewer may not confirm.
    with pytest.raises(PermissionDenied):
        evaluation.round_confirm(
            actor=reviewers[0], evaluation_round=evaluation_round, decision=DECISION
        )
    assert not Score.objects.exists()


def test_unknown_or_repeated_criterion_is_refused(
    thai_nguyen: Unit, commune: Unit, reviewers: list[User]
) -> None:
    entry = submitted_entry("Mô hình E", commune)
    evaluation_round = open_round(thai_nguyen, [entry], reviewers)
    foreign = criteria_of(evaluation_round)[0].pk + 10_000
    candidate = candidate_of(evaluation_round, entry)
    for scores in (
        [evaluation.ScoreInput(criterion_id=foreign, points=1)],
        [evaluation.ScoreInput(criterion_id=criteria_of(evaluation_round)[0].pk, points=1)] * 2,
    ):
        with pytest.raises(DomainError):
            evaluation.round_score(
                actor=reviewers[0],
                evaluation_round=evaluation_round,
                candidate=candidate,
                scores=scores,
            )
    assert not Score.objects.exists()


# -- opening rules ---------------------------------------------------------------------


def test_round_open_validates_candidates_reviewers_and_marks(
    thai_nguyen: Unit, commune: Unit, reviewers: list[User], province_admin: User
) -> None:
    good = submitted_entry("Mô hình tốt", commune)
    draft = services.entry_create(
        actor=None,
        unit=commune,
        kind="initiative",
        name="Mô hình nháp",
        field=good.field,
        registration_year=2025,
    )
    elsewhere = submitted_entry("Mô hình Hà Nội", Unit.objects.filter(parent__code="01").first())  # type: ignore[arg-type]
    officer = make_user("can-bo", Role.OFFICER, thai_nguyen)
    far_reviewer = reviewer("gk-ha-noi", Unit.objects.get(code="01"))
    cases: list[tuple[dict[str, Any], str]] = [
        ({"entries": [draft]}, "candidates"),
        ({"entries": [elsewhere]}, "candidates"),
        ({"entries": []}, "candidates"),
        ({"reviewers": [officer]}, "reviewers"),
        ({"reviewers": [far_reviewer]}, "reviewers"),
        ({"reviewers": []}, "reviewers"),
        ({"pass_mark": Decimal(120)}, "pass_mark"),
        ({"pass_mark": Decimal(60), "exemplary_mark": Decimal(50)}, "exemplary_mark"),
        ({"name": "  "}, "name"),
    ]
    for changes, field in cases:
        kw = {"entries": [good], "reviewers": reviewers, **changes}
        with pytest.raises(DomainError) as refused:
            open_round(thai_nguyen, actor=province_admin, **kw)
        assert refused.value.field == field, (changes, refused.value.message)
    assert not EvaluationRound.objects.exists()
    first = open_round(thai_nguyen, [good], reviewers, actor=province_admin)
    assert first.period.name == "2021–2025"
    assert first.opened_by == province_admin
    assert RoundReviewer.objects.filter(round=first).count() == 2
    # An entry already in an open round cannot join another one.
    with pytest.raises(DomainError) as busy:
        open_round(thai_nguyen, [good], reviewers, actor=province_admin)
    assert "đợt đánh giá khác" in busy.value.message
    # A commune officer is no administrator of the level.
    with pytest.raises(PermissionDenied):
        open_round(thai_nguyen, [good], reviewers, actor=officer)


def test_round_open_reports_every_lock_free_problem_at_once(
    thai_nguyen: Unit, commune: Unit, reviewers: list[User], province_admin: User
) -> None:
    """The API and commands get round_checks through round_open: one refusal listing
    every problem, each beside its field, and nothing written."""
    officer = make_user("can-bo", Role.OFFICER, thai_nguyen)
    with pytest.raises(DomainError) as refused:
        open_round(
            thai_nguyen,
            [],
            [reviewers[0], officer],
            actor=province_admin,
            name=" ",
            pass_mark=Decimal(0),
            exemplary_mark="abc",
            disagreement_threshold=Decimal("20.555"),
        )
    assert sorted(p.field or "" for p in refused.value.problems) == [
        "candidates",
        "disagreement_threshold",
        "exemplary_mark",
        "name",
        "pass_mark",
        "reviewers",
    ]
    messages = {p.field: p.message for p in refused.value.problems}
    assert messages["pass_mark"] == "Điểm đạt phải từ 0,01 đến 100, tối đa hai chữ số thập phân."
    assert messages["exemplary_mark"] == "Điểm tiêu biểu phải là một số."
    assert messages["reviewers"].startswith(f"“{officer.get_full_name()}” không có quyền chấm")
    assert not EvaluationRound.objects.exists()
    assert not RoundReviewer.objects.exists()


def test_a_commune_admin_opens_a_round_over_its_own_entries(
    commune: Unit, thai_nguyen: Unit
) -> None:
    admin = make_user("qt-xa", Role.UNIT_ADMIN, commune)
    judge = reviewer("gk-xa", commune)
    entry = submitted_entry("Mô hình của xã", commune)
    evaluation_round = open_round(commune, [entry], [judge], actor=admin)
    score(evaluation_round, judge, entry, [10, 20, 10])
    evaluation.round_submit(actor=judge, evaluation_round=evaluation_round)
    evaluation.round_confirm(actor=admin, evaluation_round=evaluation_round, decision=DECISION)
    entry.refresh_from_db()
    # Not above its own commune, yet the round (EVALUATION_ADMIN) may conclude.
    assert entry.status == Status.EXEMPLARY
    assert entry.recognized_level == "commune"


# -- criteria sets ----------------------------------------------------------------------


def test_default_national_set_is_example_data() -> None:
    national = CriteriaSet.objects.get(owner__isnull=True, name__contains="mẫu")
    assert "ví dụ" in national.source
    criteria = list(national.criteria.all())
    assert len(criteria) == 8
    assert sum(c.weight * c.max_points for c in criteria) == 100


def test_criteria_set_permissions_and_validation(
    thai_nguyen: Unit, commune: Unit, province_admin: User, system_admin: User
) -> None:
    item = evaluation.CriterionInput(name="Tiêu chí", weight=Decimal(1), max_points=Decimal(10))
    with pytest.raises(PermissionDenied):  # national sets are for system administrators
        evaluation.criteria_set_create(
            actor=province_admin, owner=None, name="Quốc gia", criteria=[item]
        )
    officer = make_user("can-bo", Role.OFFICER, thai_nguyen)
    with pytest.raises(PermissionDenied):
        evaluation.criteria_set_create(
            actor=officer, owner=thai_nguyen, name="Tỉnh", criteria=[item]
        )
    for bad in (
        [],
        [evaluation.CriterionInput(name="", weight=Decimal(1), max_points=Decimal(10))],
        [evaluation.CriterionInput(name="x", weight=Decimal(0), max_points=Decimal(10))],
        [evaluation.CriterionInput(name="x", weight=Decimal(1), max_points=Decimal(-5))],
    ):
        with pytest.raises(DomainError) as refused:
            evaluation.criteria_set_create(
                actor=province_admin, owner=thai_nguyen, name="Tỉnh", criteria=bad
            )
        assert refused.value.field == "criteria"
    created = evaluation.criteria_set_create(
        actor=province_admin, owner=thai_nguyen, name="Hướng dẫn 05-HD/BDVTU", criteria=[item]
    )
    assert AuditEvent.objects.filter(
        model_label="movement.criteriaset", object_pk=str(created.pk), actor=province_admin
    ).exists()
    national = evaluation.criteria_set_create(
        actor=system_admin, owner=None, name="Quốc gia", criteria=[item]
    )
    assert national.owner is None


def test_a_used_set_keeps_its_weights_but_wording_may_change(
    thai_nguyen: Unit, commune: Unit, reviewers: list[User], province_admin: User
) -> None:
    cset = criteria_set(owner=thai_nguyen)
    criteria = list(cset.criteria.all())
    inputs = [
        evaluation.CriterionInput(
            id=c.pk, name=c.name, weight=c.weight, max_points=c.max_points, order=c.order
        )
        for c in criteria
    ]
    open_round(thai_nguyen, [submitted_entry("Mô hình", commune)], reviewers, cset)
    first = inputs[0]
    reweighted = [dataclasses.replace(first, weight=Decimal(3)), *inputs[1:]]
    added = [
        *inputs,
        evaluation.CriterionInput(name="Mới", weight=Decimal(1), max_points=Decimal(1)),
    ]
    for changed in (reweighted, inputs[1:], added):
        with pytest.raises(DomainError) as refused:
            evaluation.criteria_set_update(
                actor=province_admin, criteria_set=cset, name=cset.name, criteria=changed
            )
        assert refused.value.code == "evaluation_criteria_in_use"
    renamed = [
        inputs[0].__class__(**{**inputs[0].__dict__, "name": "Hiệu quả rõ rệt"}),
        *inputs[1:],
    ]
    evaluation.criteria_set_update(
        actor=province_admin, criteria_set=cset, name="Bộ mới tên", criteria=renamed
    )
    assert cset.criteria.order_by("order").first().name == "Hiệu quả rõ rệt"  # type: ignore[union-attr]
    assert len(CRITERIA) == cset.criteria.count()


# -- cancelling a round ------------------------------------------------------------


def test_cancel_an_open_round_frees_its_candidates(
    scored_round: EvaluationRound,
    province_admin: User,
    reviewers: list[User],
    entries: dict[str, Entry],
    thai_nguyen: Unit,
) -> None:
    statuses = {k: e.status for k, e in entries.items()}
    # Reviewers are no administrators; a reason is required; nothing changes then.
    with pytest.raises(PermissionDenied):
        evaluation.round_cancel(actor=reviewers[0], evaluation_round=scored_round, reason="x")
    with pytest.raises(DomainError) as empty:
        evaluation.round_cancel(actor=province_admin, evaluation_round=scored_round, reason=" ")
    assert empty.value.field == "reason"
    scored_round.refresh_from_db()
    assert scored_round.state == EvaluationRound.State.OPEN
    cancelled = evaluation.round_cancel(
        actor=province_admin, evaluation_round=scored_round, reason="Chọn nhầm bộ tiêu chí"
    )
    assert cancelled.state == EvaluationRound.State.CANCELLED
    assert (cancelled.cancelled_by, cancelled.cancel_reason) == (
        province_admin,
        "Chọn nhầm bộ tiêu chí",
    )
    # The entries did not move; the scores stay; the round takes no more scores.
    for key, entry in entries.items():
        entry.refresh_from_db()
        assert entry.status == statuses[key]
    assert Score.objects.filter(reviewer__round=scored_round).exists()
    with pytest.raises(DomainError):
        score(scored_round, reviewers[0], entries["A"], [1, 1, 1])
    with pytest.raises(DomainError):
        evaluation.round_cancel(actor=province_admin, evaluation_round=cancelled, reason="lại")
    event = AuditEvent.objects.filter(model_label="movement.evaluationround").latest("id")
    assert event.changes["state"] == ["open", "cancelled"]
    # The candidates may enter another round.
    again = open_round(thai_nguyen, list(entries.values()), reviewers, actor=province_admin)
    assert again.state == EvaluationRound.State.OPEN


def test_a_confirmed_round_cannot_be_cancelled(
    scored_round: EvaluationRound, province_admin: User, reviewers: list[User]
) -> None:
    submit_all(scored_round, reviewers)
    evaluation.round_confirm(actor=province_admin, evaluation_round=scored_round, decision=DECISION)
    with pytest.raises(DomainError):
        evaluation.round_cancel(actor=province_admin, evaluation_round=scored_round, reason="x")
    scored_round.refresh_from_db()
    assert scored_round.state == EvaluationRound.State.CONFIRMED
