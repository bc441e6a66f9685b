"""A parent task is submitted and accepted only once its sub-tasks are done or withdrawn
(issue 12: a task delegated downwards closes with its children's work)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import User
from danvan.accounts.testing import login_verified
from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError
from danvan.directives.tasks import services
from danvan.directives.tasks.errors import TaskError
from danvan.directives.tasks.models import Task, TaskEvent, TaskState
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def kids(actors: dict[str, Any], commune_task: Task, villages: list[Unit]) -> list[Task]:
    return [
        services.task_delegate(
            actor=actors["parent"],
            parent=commune_task,
            lead_unit=village,
            title=f"Họp dân {village.name}",
            deliverable="Biên bản họp",
            due_on=dt.date(2026, 5, 20),
        )
        for village in villages[:2]
    ]


def _snapshot(task: Task) -> tuple[Any, ...]:
    task.refresh_from_db()
    return (
        task.state,
        task.submitted_on,
        task.completed_on,
        TaskEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def _refused(call: Any, task: Task) -> DomainError:
    before = _snapshot(task)
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == TaskError.OPEN_SUBTASKS.value
    assert _snapshot(task) == before
    return caught.value


def _close(actors: dict[str, Any], child: Task) -> None:
    # The first village's officer is "lead", the second's "coord" (conftest).
    officer = actors["lead"] if child.lead_unit.name == "Thôn 1" else actors["coord"]
    services.task_submit(actor=officer, task=child, result_minutes="Biên bản họp thôn")
    services.task_accept(actor=actors["parent"], task=child)


def test_submit_refused_while_subtasks_are_open(
    actors: dict[str, Any], commune_task: Task, kids: list[Task]
) -> None:
    error = _refused(
        lambda: services.task_submit(
            actor=actors["parent"], task=commune_task, result_minutes="Biên bản tổng hợp"
        ),
        commune_task,
    )
    assert error.message.startswith("Còn 2 nhiệm vụ con chưa hoàn thành: ")
    assert "Họp dân Thôn 1" in error.message
    assert "Họp dân Thôn 2" in error.message
    assert error.message.endswith(
        "Hãy hoàn thành hoặc thu hồi các nhiệm vụ con trước khi nộp sản phẩm."
    )
    # A sub-task submitted but not yet accepted is still open.
    services.task_submit(actor=actors["lead"], task=kids[0], result_minutes="Biên bản")
    error = _refused(
        lambda: services.task_submit(
            actor=actors["parent"], task=commune_task, result_minutes="Biên bản tổng hợp"
        ),
        commune_task,
    )
    assert error.message.startswith("Còn 2 nhiệm vụ con chưa hoàn thành: ")


def test_submit_once_the_subtasks_are_done_or_withdrawn(
    actors: dict[str, Any], commune_task: Task, kids: list[Task]
) -> None:
    _close(actors, kids[0])
    error = _refused(
        lambda: services.task_submit(
            actor=actors["parent"], task=commune_task, result_minutes="Biên bản tổng hợp"
        ),
        commune_task,
    )
    assert error.message.startswith("Còn 1 nhiệm vụ con chưa hoàn thành: ")
    services.task_cancel(actor=actors["parent"], task=kids[1], reason="Thôn đã sáp nhập")
    task = services.task_submit(
        actor=actors["parent"], task=commune_task, result_minutes="Biên bản tổng hợp"
    )
    assert task.state == TaskState.SUBMITTED


def test_accept_refused_while_a_subtask_is_open(
    actors: dict[str, Any], commune_task: Task, kids: list[Task], assigner: User
) -> None:
    for child in kids:
        _close(actors, child)
    services.task_submit(actor=actors["parent"], task=commune_task, result_minutes="Biên bản")
    # An inspection finds a village's work fell short: its sub-task is open again.
    services.task_reopen(
        actor=actors["parent"], task=kids[0], reason="Chưa đạt", finding_ref="Kết luận số 5"
    )
    error = _refused(lambda: services.task_accept(actor=assigner, task=commune_task), commune_task)
    assert error.message.startswith("Còn 1 nhiệm vụ con chưa hoàn thành: “Họp dân Thôn 1”")
    assert error.message.endswith(
        "Hãy hoàn thành hoặc thu hồi các nhiệm vụ con trước khi nghiệm thu."
    )
    _close(actors, kids[0])
    assert services.task_accept(actor=assigner, task=commune_task).state == TaskState.CLOSED


def _client(user: Any) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def test_task_page_says_why_submit_is_not_offered(
    actors: dict[str, Any], commune_task: Task, kids: list[Task]
) -> None:
    client = _client(actors["parent"])
    page = client.get(reverse("directive_tasks:detail", args=[commune_task.public_id]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="action-submit"' not in body
    assert 'id="subtasks-open"' in body
    assert "Còn 2 nhiệm vụ con chưa hoàn thành" in body

    url = reverse("directive_tasks:submit", args=[commune_task.public_id])
    form_page = client.get(url).content.decode()
    assert 'id="subtasks-open"' in form_page
    assert '<form method="post" novalidate' not in form_page
    # Posted anyway: the form comes back with the message, nothing changed.
    posted = client.post(url, {"result_minutes": "Biên bản tổng hợp"})
    assert posted.status_code == 400
    assert "Còn 2 nhiệm vụ con chưa hoàn thành" in posted.content.decode()
    assert "Biên bản tổng hợp" in posted.content.decode()
    commune_task.refresh_from_db()
    assert commune_task.state == TaskState.OPEN

    for child in kids:
        _close(actors, child)
    after = client.get(reverse("directive_tasks:detail", args=[commune_task.public_id]))
    assert 'id="action-submit"' in after.content.decode()
    assert 'id="subtasks-open"' not in after.content.decode()


def test_task_page_says_why_accept_is_not_offered(
    actors: dict[str, Any], commune_task: Task, kids: list[Task], assigner: User
) -> None:
    for child in kids:
        _close(actors, child)
    services.task_submit(actor=actors["parent"], task=commune_task, result_minutes="Biên bản")
    services.task_reopen(
        actor=actors["parent"], task=kids[1], reason="Chưa đạt", finding_ref="Kết luận số 5"
    )
    client = _client(assigner)
    body = client.get(reverse("directive_tasks:detail", args=[commune_task.public_id]))
    text = body.content.decode()
    assert 'id="action-accept"' not in text
    assert "Còn 1 nhiệm vụ con chưa hoàn thành" in text
    assert "trước khi nghiệm thu" in text
    posted = client.post(reverse("directive_tasks:accept", args=[commune_task.public_id]), {})
    assert posted.status_code == 400
    assert "Còn 1 nhiệm vụ con chưa hoàn thành" in posted.content.decode()
    commune_task.refresh_from_db()
    assert commune_task.state == TaskState.SUBMITTED
