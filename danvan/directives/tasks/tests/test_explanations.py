"""Explanations (giải trình): request, answer, accept or refuse, and the bad input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.testing import login_verified
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.directives.tasks import explanations
from danvan.directives.tasks.models import (
    Decision,
    EventKind,
    Explanation,
    LadderStep,
    Task,
    TaskState,
)
from danvan.units.models import Unit

from .conftest import TODAY
from .factories import TaskFactory

pytestmark = pytest.mark.django_db


def _answer(actor: Any, explanation: Explanation, **kw: Any) -> Explanation:
    data = {
        "cause": "Chờ ý kiến của các ngành",
        "remedy": "Họp liên ngành trong tuần",
        "proposed_due_on": TODAY + dt.timedelta(days=20),
        **kw,
    }
    return explanations.explanation_answer(actor=actor, explanation=explanation, **data)


def test_the_assigner_requests_and_the_task_records_the_step(task: Task, assigner: Any) -> None:
    explanation = explanations.task_request_explanation(
        actor=assigner, task=task, note="Đề nghị giải trình lý do chậm."
    )
    task.refresh_from_db()
    assert explanation.requested_by == assigner
    assert explanation.answered_at is None
    assert task.ladder_step == LadderStep.EXPLANATION_REQUESTED
    assert task.ladder_at == TODAY
    event = task.events.get(kind=EventKind.EXPLANATION_REQUESTED)
    assert event.actor == assigner
    assert event.data == {"id": explanation.pk}


def test_a_request_never_moves_the_ladder_down(task: Task, assigner: Any) -> None:
    Task.objects.filter(pk=task.pk).update(
        ladder_step=LadderStep.ESCALATED, ladder_at=dt.date(2026, 3, 20)
    )
    task.refresh_from_db()
    explanations.task_request_explanation(actor=assigner, task=task, note="")
    task.refresh_from_db()
    assert task.ladder_step == LadderStep.ESCALATED
    assert task.ladder_at == dt.date(2026, 3, 20)


def test_a_unit_outside_the_actors_subtree_is_refused_by_name(
    actors: dict[str, Any], commune: Unit, sibling_commune: Unit
) -> None:
    # The commune assigned work to a unit outside its subtree (recorded directly: the
    # services would not create it); its officer may not ask that unit to explain.
    task = TaskFactory.create(assigner_unit=commune, lead_unit=sibling_commune, due_on=TODAY)
    with pytest.raises(DomainError) as caught:
        explanations.task_request_explanation(actor=actors["parent"], task=task, note="x")
    assert caught.value.code == "task_bad_unit"
    assert f"“{sibling_commune.name}”" in caught.value.message
    assert "không thuộc phạm vi" in caught.value.message
    task.refresh_from_db()
    assert task.ladder_step == LadderStep.NONE
    assert not Explanation.objects.exists()
    assert not task.events.exists()


def test_only_the_assigner_side_requests(task: Task, actors: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        explanations.task_request_explanation(actor=actors["lead"], task=task, note="")
    with pytest.raises(NotFound):
        explanations.task_request_explanation(actor=actors["sibling"], task=task, note="")
    assert not Explanation.objects.exists()


def test_one_open_request_at_a_time_and_only_on_open_tasks(
    task: Task, assigner: Any, thai_nguyen: Unit, lead_unit: Unit
) -> None:
    explanations.task_request_explanation(actor=assigner, task=task, note="")
    with pytest.raises(DomainError, match="chưa được trả lời"):
        explanations.task_request_explanation(actor=assigner, task=task, note="")
    closed = TaskFactory.create(
        assigner_unit=thai_nguyen,
        lead_unit=lead_unit,
        state=TaskState.CLOSED,
        completed_on=TODAY,
    )
    with pytest.raises(DomainError, match="chỉ yêu cầu giải trình nhiệm vụ đang thực hiện"):
        explanations.task_request_explanation(actor=assigner, task=closed, note="")
    assert Explanation.objects.count() == 1


def test_the_lead_unit_answers(task: Task, assigner: Any, lead: Any) -> None:
    explanation = explanations.task_request_explanation(actor=assigner, task=task, note="")
    answered = _answer(lead, explanation)
    assert answered.answered_by == lead
    assert answered.proposed_due_on == TODAY + dt.timedelta(days=20)
    event = task.events.get(kind=EventKind.EXPLANATION_GIVEN)
    assert event.note == "Chờ ý kiến của các ngành"
    assert event.data["proposed_due_on"] == (TODAY + dt.timedelta(days=20)).isoformat()
    with pytest.raises(DomainError, match="đã được trả lời"):
        _answer(lead, answered)


def test_a_bad_answer_lists_every_problem_and_changes_nothing(
    task: Task, assigner: Any, lead: Any
) -> None:
    explanation = explanations.task_request_explanation(actor=assigner, task=task, note="")
    with pytest.raises(DomainError) as caught:
        _answer(lead, explanation, cause=" ", remedy="", proposed_due_on=TODAY)
    fields = [p.field for p in caught.value.problems]
    assert fields == ["cause", "remedy", "proposed_due_on"]
    assert "phải sau hôm nay (25/03/2026)" in caught.value.problems[2].message
    with pytest.raises(DomainError, match="không quá"):
        _answer(lead, explanation, proposed_due_on=TODAY + dt.timedelta(days=400))
    with pytest.raises(DomainError, match="Cần đề xuất thời hạn"):
        _answer(lead, explanation, proposed_due_on=None)
    explanation.refresh_from_db()
    assert explanation.answered_at is None
    assert not task.events.filter(kind=EventKind.EXPLANATION_GIVEN).exists()


def test_only_the_lead_unit_answers(task: Task, assigner: Any, actors: dict[str, Any]) -> None:
    explanation = explanations.task_request_explanation(actor=assigner, task=task, note="")
    with pytest.raises(PermissionDenied):
        _answer(actors["coord"], explanation)
    with pytest.raises(NotFound):
        _answer(actors["sibling"], explanation)


def test_an_accepted_date_becomes_the_due_date_with_an_event(
    task: Task, assigner: Any, lead: Any
) -> None:
    explanation = explanations.task_request_explanation(actor=assigner, task=task, note="")
    with pytest.raises(DomainError, match="chưa giải trình"):
        explanations.explanation_decide(actor=assigner, explanation=explanation, accept=True)
    _answer(lead, explanation, proposed_due_on=dt.date(2026, 5, 20))
    with pytest.raises(PermissionDenied):
        explanations.explanation_decide(actor=lead, explanation=explanation, accept=True)
    decided = explanations.explanation_decide(
        actor=assigner, explanation=explanation, accept=True, note="Đồng ý"
    )
    assert decided.decision == Decision.ACCEPTED
    task.refresh_from_db()
    assert task.due_on == dt.date(2026, 5, 20)
    event = task.events.get(kind=EventKind.REDATED)
    assert event.data["from"] == "2026-04-30"
    assert event.data["to"] == "2026-05-20"
    with pytest.raises(DomainError, match="đã được xem xét"):
        explanations.explanation_decide(
            actor=assigner, explanation=explanation, accept=False, note="x"
        )


def test_a_refusal_needs_a_reason_and_keeps_the_date(task: Task, assigner: Any, lead: Any) -> None:
    explanation = explanations.task_request_explanation(actor=assigner, task=task, note="")
    _answer(lead, explanation)
    with pytest.raises(DomainError, match="Cần ghi lý do"):
        explanations.explanation_decide(actor=assigner, explanation=explanation, accept=False)
    decided = explanations.explanation_decide(
        actor=assigner, explanation=explanation, accept=False, note="Lý do chưa thuyết phục"
    )
    assert decided.decision == Decision.REFUSED
    task.refresh_from_db()
    assert task.due_on == dt.date(2026, 4, 30)
    assert not task.events.filter(kind=EventKind.REDATED).exists()


# -- the pages ----------------------------------------------------------------------------


def _client(user: Any) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def test_the_explanation_round_trip_through_the_pages(
    task: Task, assigner: Any, lead: Any, actors: dict[str, Any]
) -> None:
    detail = reverse("directive_tasks:detail", args=[task.public_id])
    boss, officer = _client(assigner), _client(lead)
    assert 'id="action-explain-request"' in boss.get(detail).content.decode()
    assert 'id="task-explanation"' not in officer.get(detail).content.decode()
    url = reverse("directive_tasks:explanation_request", args=[task.public_id])
    # Only the assigner's side may ask.
    assert officer.post(url, {"note": "x"}).status_code == 403
    assert boss.post(url, {"note": "Đề nghị giải trình"}).status_code == 302

    page = officer.get(detail).content.decode()
    assert "Đề nghị giải trình" in page
    assert 'id="action-explain"' in page
    answer = reverse("directive_tasks:explanation_answer", args=[task.public_id])
    refused = officer.post(answer, {"cause": "", "remedy": "Họp", "proposed_due_on": "01/01/2020"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Cần ghi nguyên nhân chậm." in body
    assert "phải sau hôm nay" in body
    assert "Họp" in body  # what was typed stays
    done = officer.post(
        answer, {"cause": "Chờ số liệu", "remedy": "Họp", "proposed_due_on": "15/05/2026"}
    )
    assert done.status_code == 302

    page = boss.get(detail).content.decode()
    assert "Chờ số liệu" in page
    assert "15/05/2026" in page
    decide = reverse("directive_tasks:explanation_decide", args=[task.public_id])
    assert officer.post(decide, {"decision": "accept"}).status_code == 403
    assert boss.post(decide, {"decision": "accept", "note": ""}).status_code == 302
    task.refresh_from_db()
    assert task.due_on == dt.date(2026, 5, 15)
    assert 'id="action-explain-decide"' not in boss.get(detail).content.decode()
    # A unit with no part in the task sees nothing of it.
    assert _client(actors["sibling"]).get(answer).status_code == 404
