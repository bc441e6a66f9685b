"""Evaluation rounds over the API: scoping, scoring, submitting, confirming, problems."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from danvan.accounts.models import Role, User
from danvan.accounts.testing import API_READ_SCOPED, build_cast, make_user, walk
from danvan.movement.models import Decision, Entry, EvaluationRound, Score, Status
from danvan.movement.tests.evaluation_factories import (
    criteria_of,
    open_round,
    reviewer,
    submitted_entry,
)
from danvan.units.models import Unit

from .helpers import assert_problem, bearer

pytestmark = pytest.mark.django_db

LIST = "/api/v1/movement/rounds"


@pytest.fixture
def setup(thai_nguyen: Unit, commune: Unit) -> dict[str, Any]:
    judges = [reviewer("gk-1", thai_nguyen), reviewer("gk-2", thai_nguyen)]
    entries = [
        submitted_entry("Mô hình hiến đất", commune),
        submitted_entry("Mô hình camera", commune),
    ]
    evaluation_round = open_round(thai_nguyen, entries, judges, name="Đợt tỉnh 2025")
    admin = make_user("qt-tinh", Role.UNIT_ADMIN, thai_nguyen)
    return {"round": evaluation_round, "judges": judges, "entries": entries, "admin": admin}


def url(evaluation_round: EvaluationRound, tail: str = "") -> str:
    return f"{LIST}/{evaluation_round.public_id}{tail}"


def post(client: Client, path: str, user: User, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, body or {}, content_type="application/json", headers=bearer(user))


def scores(evaluation_round: EvaluationRound, entry: Entry, points: list[Any]) -> dict[str, Any]:
    return {
        "entry": str(entry.public_id),
        "scores": [
            {"criterion_id": c.pk, "points": p, "comment": f"tiêu chí {c.order}"}
            for c, p in zip(criteria_of(evaluation_round), points, strict=True)
        ],
    }


def test_list_is_scoped(client: Client, commune: Unit, setup: dict[str, Any]) -> None:
    cast = build_cast(commune, role=Role.UNIT_ADMIN)
    walk(cast, LIST, expect={**API_READ_SCOPED, "sibling": 200}, api=True)
    # The round is held by the province: the province admin and the reviewers see it.
    for user, sees in ((setup["admin"], True), (setup["judges"][0], True)):
        body = client.get(LIST, headers=bearer(user)).json()
        assert (body["count"] == 1) is sees
        assert body["items"][0]["name"] == "Đợt tỉnh 2025"
        assert body["items"][0]["candidates_count"] == 2
        assert body["items"][0]["submitted_count"] == 0
    # A commune admin administers a level below the round's: not theirs to see.
    assert client.get(LIST, headers=cast.api_headers("same")).json()["count"] == 0
    outsider = reviewer("gk-khac", commune)
    assert client.get(LIST, headers=bearer(outsider)).json()["count"] == 0


def test_list_runs_constant_queries(
    client: Client, thai_nguyen: Unit, commune: Unit, setup: dict[str, Any]
) -> None:
    headers = bearer(setup["admin"])
    client.get(LIST, headers=headers)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as before:
        client.get(LIST, headers=headers)
    for i in range(6):
        open_round(thai_nguyen, [submitted_entry(f"Mô hình {i}", commune)], setup["judges"])
    with CaptureQueriesContext(connection) as after:
        body = client.get(LIST, headers=headers).json()
    assert body["count"] == 7
    assert len(after) == len(before)


def test_score_submit_confirm_flow(client: Client, setup: dict[str, Any]) -> None:
    evaluation_round, (first, second) = setup["round"], setup["judges"]
    scores_url, submit_url = url(evaluation_round, "/scores"), url(evaluation_round, "/submit")
    good, weak = setup["entries"]
    admin = setup["admin"]

    # Above the maximum (20) and negative: 400, nothing written, every problem named.
    refused = post(client, scores_url, first, scores(evaluation_round, good, [5, 21, -1]))
    body = assert_problem(refused, 400, "evaluation_bad_score")
    assert "vượt quá điểm tối đa" in body["detail"]
    assert "không được âm" in body["detail"]
    assert not Score.objects.exists()
    malformed = post(client, url(evaluation_round, "/scores"), first, {"entry": "x", "scores": []})
    assert_problem(malformed, 422, "validation_error")

    # Two reviewers score: 1st 10,20,10 (100%) and 2,4,2 (20%); 2nd 8,16,8 (80%) and 3,6,3 (30%).
    plan = ((first, [10, 20, 10], [2, 4, 2]), (second, [8, 16, 8], [3, 6, 3]))
    for user, good_points, weak_points in plan:
        for entry, points in ((good, good_points), (weak, weak_points)):
            answer = post(client, scores_url, user, scores(evaluation_round, entry, points))
            assert answer.status_code == 200, answer.content
    mine = answer.json()
    assert mine["results"] is None
    assert {s["points"] for s in mine["my_scores"] if s["entry"] == str(weak.public_id)} == {
        "3.00",
        "6.00",
    }
    assert len(mine["my_scores"]) == 6  # the first reviewer's scores are not there

    # The administrator is no reviewer (403); a reviewer is no administrator (403).
    assert_problem(
        post(
            client,
            url(evaluation_round, "/scores"),
            admin,
            scores(evaluation_round, good, [1, 1, 1]),
        ),
        403,
        "permission_denied",
    )
    assert_problem(post(client, url(evaluation_round, "/confirm"), first), 403, "permission_denied")
    early = post(client, url(evaluation_round, "/confirm"), admin)
    assert_problem(early, 400, "evaluation_not_all_submitted")

    submitted = post(client, url(evaluation_round, "/submit"), first).json()
    assert submitted["submitted"] is True
    # After submitting: the totals of those who submitted (only themselves so far).
    assert [len(r["totals"]) for r in submitted["results"]] == [1, 1]
    assert_problem(post(client, submit_url, first), 400, "evaluation_already_submitted")
    post(client, url(evaluation_round, "/submit"), second)

    detail = client.get(url(evaluation_round), headers=bearer(admin)).json()
    results = {r["name"]: r for r in detail["results"]}
    assert results["Mô hình hiến đất"]["mean"] == "90.00"
    assert results["Mô hình hiến đất"]["rank"] == 1
    assert results["Mô hình hiến đất"]["proposal"] == "exemplary"
    assert results["Mô hình camera"]["mean"] == "25.00"
    assert results["Mô hình camera"]["disagreement"] is False  # 10 points apart
    assert results["Mô hình camera"]["proposal"] == "not_recognized"

    decision = {"number": "sai số", "issued_on": "2025-11-20", "issuer": "UBND tỉnh"}
    bad = post(client, url(evaluation_round, "/confirm"), admin, {"decision": decision})
    assert_problem(bad, 400, "evaluation_bad_decision_number")
    assert not Decision.objects.exists()
    assert Entry.objects.get(pk=good.pk).status == Status.SUBMITTED

    confirm = {
        "decision": {**decision, "number": "125/QĐ-UBND"},
        # The administrator recognizes the weaker one after all (an adjustment).
        "outcomes": [{"entry": str(weak.public_id), "outcome": "recognized"}],
    }
    done = post(client, url(evaluation_round, "/confirm"), admin, confirm)
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "confirmed"
    assert Entry.objects.get(pk=good.pk).status == Status.EXEMPLARY
    assert Entry.objects.get(pk=weak.pk).status == Status.RECOGNIZED
    outcomes = {c["name"]: c["outcome"] for c in done.json()["candidates"]}
    assert outcomes == {"Mô hình hiến đất": "exemplary", "Mô hình camera": "recognized"}
    again = post(client, url(evaluation_round, "/confirm"), admin, confirm)
    assert_problem(again, 400, "evaluation_round_closed")


def test_out_of_sight_answers_404(client: Client, setup: dict[str, Any]) -> None:
    evaluation_round, good = setup["round"], setup["entries"][0]
    stranger = make_user("qt-ha-noi", Role.UNIT_ADMIN, Unit.objects.get(code="01"))
    body = scores(evaluation_round, good, [1, 1, 1])
    for path, payload in (
        (url(evaluation_round), None),
        (url(evaluation_round, "/scores"), body),
        (url(evaluation_round, "/submit"), None),
        (url(evaluation_round, "/confirm"), None),
    ):
        if payload is None and path == url(evaluation_round):
            answer = client.get(path, headers=bearer(stranger))
        else:
            answer = post(client, path, stranger, payload)
        assert_problem(answer, 404, "round_not_found")
    assert not Score.objects.exists()
