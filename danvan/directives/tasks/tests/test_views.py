"""The task pages through HTTP: who sees what, actions shown only to those who may use
them, forms refused with HTTP 400 keeping what was typed, constant queries on the list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.accounts.testing import login_verified
from danvan.directives.tasks import services
from danvan.directives.tasks.models import Task, TaskEvent, TaskState
from danvan.units.models import Unit

from .conftest import TODAY
from .factories import TaskFactory

pytestmark = pytest.mark.django_db


def client_of(user: Any) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


def detail(task: Task) -> str:
    return reverse("directive_tasks:detail", args=[task.public_id])


# -- seeing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("lead", 200),
        ("coord", 200),
        ("assigner", 200),
        ("parent", 200),
        ("reviewer", 200),
        ("sibling", 404),
        ("anonymous", 302),
    ],
)
def test_detail_access(task: Task, actors: dict[str, Any], actor: str, status: int) -> None:
    user = actors[actor]
    client = client_of(user) if user.is_authenticated else Client()
    assert client.get(detail(task)).status_code == status


def test_detail_shows_source_paragraph_and_timeline(task: Task, actors: dict[str, Any]) -> None:
    page = text(client_of(actors["lead"]).get(detail(task)))
    assert "Giao UBND các xã tổ chức đối thoại trước ngày 30/4/2026." in page
    assert "mục II.3" in page
    assert 'data-kind="created"' in page
    assert "30/04/2026" in page


def test_actions_shown_only_to_those_who_may(task: Task, actors: dict[str, Any]) -> None:
    lead_page = text(client_of(actors["lead"]).get(detail(task)))
    assert 'id="action-report"' in lead_page
    assert 'id="action-submit"' in lead_page
    assert 'id="action-accept"' not in lead_page
    assert 'id="action-cancel"' not in lead_page
    coord_page = text(client_of(actors["coord"]).get(detail(task)))
    assert 'id="action-report"' in coord_page
    assert 'id="action-submit"' not in coord_page
    reviewer_page = text(client_of(actors["reviewer"]).get(detail(task)))
    assert 'id="task-actions"' not in reviewer_page
    services.task_submit(actor=actors["lead"], task=task, result_minutes="Biên bản")
    assigner_page = text(client_of(actors["assigner"]).get(detail(task)))
    assert 'id="action-accept"' in assigner_page
    assert 'id="action-return"' in assigner_page
    assert 'id="action-report"' not in assigner_page  # submitted: no more progress
    # A reviewer who posts anyway is refused.
    response = client_of(actors["reviewer"]).post(
        reverse("directive_tasks:accept", args=[task.public_id])
    )
    assert response.status_code == 403


# -- forms --------------------------------------------------------------------------------


def test_progress_above_100_comes_back_with_the_message(task: Task, actors: dict[str, Any]) -> None:
    url = reverse("directive_tasks:report", args=[task.public_id])
    response = client_of(actors["lead"]).post(url, {"percent": "150", "note": "Đã họp 3 thôn"})
    assert response.status_code == 400
    page = text(response)
    assert "Đã họp 3 thôn" in page  # what was typed is kept
    assert 'id="error-summary"' in page
    assert TaskEvent.objects.filter(task=task).count() == 1


def test_progress_with_evidence(task: Task, actors: dict[str, Any]) -> None:
    url = reverse("directive_tasks:report", args=[task.public_id])
    upload = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n0000", content_type="image/png")
    response = client_of(actors["coord"]).post(
        url, {"percent": "60", "note": "Đã chuẩn bị", "evidence": upload}
    )
    assert response.status_code == 302
    event = task.events.get(kind="progress")
    assert event.evidence
    file_url = reverse("directive_tasks:evidence_file", args=[task.public_id, event.pk])
    assert client_of(actors["lead"]).get(file_url).status_code == 200
    assert client_of(actors["sibling"]).get(file_url).status_code == 404


def test_submit_without_deliverable_comes_back(task: Task, actors: dict[str, Any]) -> None:
    url = reverse("directive_tasks:submit", args=[task.public_id])
    response = client_of(actors["lead"]).post(url, {"note": "Xong rồi"})
    assert response.status_code == 400
    assert "Chưa có sản phẩm" in text(response)
    task.refresh_from_db()
    assert task.state == TaskState.OPEN


def test_submit_and_accept(task: Task, actors: dict[str, Any]) -> None:
    url = reverse("directive_tasks:submit", args=[task.public_id])
    response = client_of(actors["lead"]).post(url, {"result_number": "Số 20-BC/ĐU"})
    assert response.status_code == 302
    accept = reverse("directive_tasks:accept", args=[task.public_id])
    assert client_of(actors["assigner"]).post(accept, {"note": ""}).status_code == 302
    task.refresh_from_db()
    assert task.state == TaskState.CLOSED
    assert task.result_number == "20-BC/ĐU"


def test_create_task_with_the_unit_picker(
    actors: dict[str, Any], thai_nguyen: Unit, lead_unit: Unit
) -> None:
    url = f"{reverse('directive_tasks:create')}?unit={thai_nguyen.code}"
    client = client_of(actors["assigner"])
    assert client.get(url).status_code == 200
    data = {
        "title": "Tổng kết 5 năm",
        "lead_unit": lead_unit.code,
        "deliverable": "Báo cáo tổng kết",
        "due_on": "30/04/2026",
        "source_kind": "document",
        "source_paragraph": "Các xã tổng kết trước 30/4.",
    }
    response = client.post(url, data)
    assert response.status_code == 302, text(response)
    task = Task.objects.get(title="Tổng kết 5 năm")
    assert task.lead_unit == lead_unit
    assert task.assigner_unit == thai_nguyen
    assert task.due_on == dt.date(2026, 4, 30)


def test_create_refused_keeps_what_was_typed(
    actors: dict[str, Any], thai_nguyen: Unit, lead_unit: Unit
) -> None:
    url = f"{reverse('directive_tasks:create')}?unit={thai_nguyen.code}"
    response = client_of(actors["assigner"]).post(
        url,
        {
            "title": "Tổng kết 5 năm",
            "lead_unit": lead_unit.code,
            "deliverable": "",
            "due_on": "01/01/2020",
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "Tổng kết 5 năm" in page
    assert "01/01/2020" in page
    assert not Task.objects.exists()


def test_plan_create_and_detail(actors: dict[str, Any], thai_nguyen: Unit) -> None:
    url = f"{reverse('directive_tasks:plan_create')}?unit={thai_nguyen.code}"
    client = client_of(actors["assigner"])
    bad = client.post(url, {"title": "KH", "starts_on": "10/04/2026", "ends_on": "01/04/2026"})
    assert bad.status_code == 400
    response = client.post(url, {"title": "Kế hoạch năm", "starts_on": "01/04/2026"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Kế hoạch năm" in text(page)
    assert client_of(actors["sibling"]).get(response["Location"]).status_code == 404


# -- the list -----------------------------------------------------------------------------


def _list(client: Client, unit: Unit, name: str = "directive_tasks:list", **params: str) -> Any:
    query = "&".join(f"{k}={v}" for k, v in {"unit": unit.code, **params}.items())
    return client.get(f"{reverse(name)}?{query}")


def test_list_tabs_and_counts(
    task: Task, actors: dict[str, Any], lead_unit: Unit, coord_unit: Unit, thai_nguyen: Unit
) -> None:
    late = TODAY - dt.timedelta(days=1)
    TaskFactory.create(assigner_unit=thai_nguyen, lead_unit=lead_unit, due_on=late)
    lead = _list(client_of(actors["lead"]), lead_unit)
    assert lead.status_code == 200
    page = text(lead)
    assert page.count('class="task-row"') == 2
    assert 'data-status="overdue"' in page
    overdue = _list(client_of(actors["lead"]), lead_unit, status="overdue")
    assert text(overdue).count('class="task-row"') == 1
    coord = _list(client_of(actors["coord"]), coord_unit, "directive_tasks:list_coordinate")
    assert text(coord).count('class="task-row"') == 1
    assigned = _list(client_of(actors["assigner"]), thai_nguyen, "directive_tasks:list_assigned")
    assert text(assigned).count('class="task-row"') == 2
    # A unit out of sight answers like a missing one.
    assert _list(client_of(actors["sibling"]), lead_unit).status_code in (400, 404)


def test_list_runs_a_constant_number_of_queries(
    actors: dict[str, Any], thai_nguyen: Unit, lead_unit: Unit, coord_unit: Unit
) -> None:
    client = client_of(actors["assigner"])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = _list(client, thai_nguyen, "directive_tasks:list_assigned")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    def add(n: int) -> None:
        for _i in range(n):
            t = TaskFactory.create(assigner_unit=thai_nguyen, lead_unit=lead_unit)
            t.coordinating_units.add(coord_unit)

    add(2)
    count()  # warm the session
    few = count()
    add(20)
    assert count() == few
