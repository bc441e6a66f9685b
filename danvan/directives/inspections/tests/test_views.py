"""The inspection pages through HTTP: who sees what, forms refused with HTTP 400 keeping
what was typed, constant queries on the lists and the inspection page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.accounts.testing import login_verified
from danvan.directives.inspections import services
from danvan.directives.inspections.models import (
    FindingKind,
    Inspection,
    InspectionPlan,
    InspectionTarget,
    Recommendation,
)
from danvan.directives.tasks.models import SourceKind, Task
from danvan.units.models import Unit

from .conftest import YEAR, travel

pytestmark = pytest.mark.django_db


def client_of(user: Any) -> Client:
    client = Client()
    if user.is_authenticated:
        login_verified(client, user)
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


def _record(actors: dict[str, Any], targets: list[InspectionTarget]) -> list[Recommendation]:
    recs = []
    for target in targets:
        services.finding_record(
            actor=actors["inspecting"],
            target=target,
            kind=FindingKind.SHORTCOMING,
            text=f"Hạn chế ở {target.unit.name}",
        )
        recs.append(
            services.recommendation_record(
                actor=actors["inspecting"],
                target=target,
                text=f"Khắc phục ở {target.unit.name}",
                due_on=dt.date(YEAR, 5, 29),
            )
        )
    return recs


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("inspecting", 200),
        ("inspected", 200),
        ("sibling", 200),
        ("outsider", 404),
        ("parent", 200),
        ("national", 200),
        ("anonymous", 302),
    ],
)
def test_inspection_page_access(
    actors: dict[str, Any], targets: list[InspectionTarget], who: str, status: int
) -> None:
    inspection = targets[0].inspection
    url = reverse("inspections:detail", args=[inspection.public_id])
    assert client_of(actors[who]).get(url).status_code == status


def test_the_inspected_unit_sees_only_its_part(
    actors: dict[str, Any], targets: list[InspectionTarget], villages: list[Unit]
) -> None:
    _record(actors, targets)
    url = reverse("inspections:detail", args=[targets[0].inspection.public_id])
    page = text(client_of(actors["inspected"]).get(url))
    assert f"Hạn chế ở {villages[0].name}" in page
    assert f"Khắc phục ở {villages[0].name}" in page
    assert villages[1].name not in page
    assert 'id="inspection-actions"' not in page
    assert "Nguyễn Văn An" not in page  # the team is not shown to the inspected
    assert 'class="answer-link"' in page
    whole = text(client_of(actors["inspecting"]).get(url))
    assert f"Hạn chế ở {villages[1].name}" in whole
    assert 'id="action-finding"' in whole
    assert "Nguyễn Văn An" in whole


def test_plan_is_404_for_the_inspected(actors: dict[str, Any], plan: InspectionPlan) -> None:
    url = reverse("inspections:plan_detail", args=[plan.public_id])
    assert client_of(actors["inspected"]).get(url).status_code == 404
    assert client_of(actors["inspecting"]).get(url).status_code == 200
    step = reverse("inspections:create", args=[plan.public_id])
    assert client_of(actors["inspected"]).get(step).status_code == 404


def test_steps_forbidden_to_the_inspected(
    actors: dict[str, Any], targets: list[InspectionTarget]
) -> None:
    url = reverse("inspections:finding_add", args=[targets[0].inspection.public_id])
    assert client_of(actors["inspected"]).get(url).status_code == 403
    assert client_of(actors["outsider"]).get(url).status_code == 404


def test_plan_create_keeps_what_was_typed(actors: dict[str, Any], commune: Unit) -> None:
    url = f"{reverse('inspections:plan_create')}?unit={commune.code}"
    client = client_of(actors["inspecting"])
    response = client.post(
        url,
        {
            "year": "2026",
            "kind": "both",
            "title": "Kế hoạch kiểm tra năm 2026",
            "decision_number": "05 KH BCĐ",
            "approved_on": "10/01/2020",
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "Kế hoạch kiểm tra năm 2026" in page
    assert "10/01/2020" in page
    assert "2025 hoặc năm 2026" in page
    assert not InspectionPlan.objects.exists()
    response = client.post(
        url,
        {
            "year": "2026",
            "kind": "both",
            "title": "Kế hoạch kiểm tra năm 2026",
            "decision_number": "Số 05-KH/BCĐ",
            "approved_on": "10/01/2026",
        },
    )
    assert response.status_code == 302
    assert InspectionPlan.objects.get().decision_number == "05-KH/BCĐ"


def test_inspection_form_refuses_out_of_year_and_outside_units(
    actors: dict[str, Any], plan: InspectionPlan, villages: list[Unit], sibling_commune: Unit
) -> None:
    url = reverse("inspections:create", args=[plan.public_id])
    response = client_of(actors["parent"]).post(
        url,
        {
            "title": "Kiểm tra quý III",
            "starts_on": "01/07/2026",
            "ends_on": "05/01/2027",
            "targets": f"{villages[0].code}; {sibling_commune.code}",
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "Kiểm tra quý III" in page
    assert "05/01/2027" in page
    assert "không thuộc năm 2026" in page
    assert sibling_commune.name in page
    assert not Inspection.objects.exists()


def test_recommendation_form_creates_the_task(
    actors: dict[str, Any], targets: list[InspectionTarget]
) -> None:
    inspection = targets[0].inspection
    url = reverse("inspections:recommendation_add", args=[inspection.public_id])
    client = client_of(actors["inspecting"])
    response = client.post(
        url, {"target": str(targets[0].pk), "text": "Khắc phục ngay", "due_on": "31/02/2026"}
    )
    assert response.status_code == 400
    assert "Khắc phục ngay" in text(response)
    response = client.post(
        url, {"target": str(targets[0].pk), "text": "Khắc phục ngay", "due_on": "29/05/2026"}
    )
    assert response.status_code == 302
    rec = Recommendation.objects.get()
    assert rec.task is not None
    assert Task.objects.get(pk=rec.task.pk).source_kind == SourceKind.INSPECTION


def test_answer_page(actors: dict[str, Any], targets: list[InspectionTarget]) -> None:
    recs = _record(actors, targets)
    url = reverse("inspections:answer", args=[recs[0].public_id])
    assert client_of(actors["sibling"]).get(url).status_code == 404
    client = client_of(actors["inspected"])
    response = client.post(url, {"answer": "  "})
    assert response.status_code == 400
    response = client.post(url, {"answer": "Đã khắc phục."})
    assert response.status_code == 302
    recs[0].refresh_from_db()
    assert recs[0].answer == "Đã khắc phục."


def test_unit_recommendations_page_shows_only_its_own(
    actors: dict[str, Any], targets: list[InspectionTarget], villages: list[Unit]
) -> None:
    _record(actors, targets)
    url = f"{reverse('inspections:recommendations')}?unit={villages[0].code}"
    page = text(client_of(actors["inspected"]).get(url))
    assert "Kiến nghị sau kiểm tra, giám sát đối với đơn vị" in page
    assert f"Khắc phục ở {villages[0].name}" in page
    assert f"Khắc phục ở {villages[1].name}" not in page
    response = client_of(actors["sibling"]).get(url)
    assert response.status_code in (400, 404)
    assert f"Khắc phục ở {villages[0].name}" not in text(response)


# -- constant queries ---------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _more_inspections(
    actors: dict[str, Any], plan: InspectionPlan, villages: list[Unit], n: int
) -> None:
    for i in range(n):
        inspection = services.inspection_create(
            actor=actors["inspecting"],
            plan=plan,
            title=f"Giám sát đợt {i}",
            starts_on=dt.date(YEAR, 9, 1 + i),
            ends_on=dt.date(YEAR, 9, 20),
            targets=villages,
        )
        services.team_member_add(
            actor=actors["inspecting"], inspection=inspection, role="leader",
            full_name=f"Trưởng đoàn {i}", position="Phó Bí thư",
        )  # fmt: skip
        services.inspection_start(actor=actors["inspecting"], inspection=inspection)
        for target in inspection.targets.select_related("unit", "inspection__plan__unit"):
            services.finding_record(
                actor=actors["inspecting"], target=target, kind="good", text="Tốt"
            )
            services.recommendation_record(
                actor=actors["inspecting"], target=target, text="Phát huy",
                due_on=dt.date(YEAR, 10, 30),
            )  # fmt: skip


def test_constant_queries(
    actors: dict[str, Any], plan: InspectionPlan, villages: list[Unit], commune: Unit
) -> None:
    client = client_of(actors["inspecting"])
    _more_inspections(actors, plan, villages, 1)
    first = Inspection.objects.order_by("id").first()
    assert first is not None
    urls = [
        f"{reverse('inspections:plans')}?unit={commune.code}",
        reverse("inspections:plan_detail", args=[plan.public_id]),
        f"{reverse('inspections:recommendations')}?unit={commune.code}",
        reverse("inspections:detail", args=[first.public_id]),
    ]
    before = [_queries(client, url) for url in urls]
    _more_inspections(actors, plan, villages, 3)
    for i in range(3):
        services.plan_create(
            actor=actors["inspecting"], unit=villages[i], year=YEAR, title=f"Kế hoạch thôn {i}"
        )
    services.target_add(
        actor=actors["inspecting"], inspection=first, unit=commune
    )  # one more target on the page
    after = [_queries(client, url) for url in urls]
    assert after == before


def test_every_step_page_renders(
    actors: dict[str, Any], inspection: Inspection, closed_task: Task
) -> None:
    client = client_of(actors["inspecting"])
    key = inspection.public_id
    for name in ("team_add", "target_add"):
        assert client.get(reverse(f"inspections:{name}", args=[key])).status_code == 200
    assert (
        client.get(reverse("inspections:plan_update", args=[inspection.plan.public_id])).status_code
        == 200
    )
    # Findings wait for the start: the page says so instead of a form.
    page = text(client.get(reverse("inspections:finding_add", args=[key])))
    assert 'id="not-allowed"' in page
    response = client.post(reverse("inspections:start", args=[key]))
    assert response.status_code == 302
    for name in ("finding_add", "recommendation_add", "conclude"):
        page = text(client.get(reverse(f"inspections:{name}", args=[key])))
        assert 'id="not-allowed"' not in page
    # The closed task of the first village is offered to a finding.
    assert closed_task.title in text(client.get(reverse("inspections:finding_add", args=[key])))


def test_conclusion_form_refuses_a_renamed_file(
    actors: dict[str, Any], started: Inspection
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_of(actors["inspecting"])
    url = reverse("inspections:conclude", args=[started.public_id])
    fake = SimpleUploadedFile("bao-cao.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = client.post(
        url, {"conclusion": "Các thôn làm tốt.", "concluded_on": "20/04/2026", "report_file": fake}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Các thôn làm tốt." in page
    assert "Tệp không đúng loại" in page
    started.refresh_from_db()
    assert started.state == "in_progress"
    pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 bao cao", "application/pdf")
    with travel(dt.date(YEAR, 4, 21)):
        client = client_of(actors["inspecting"])  # signed in again on that day
        response = client.post(
            url,
            {"conclusion": "Các thôn làm tốt.", "concluded_on": "20/04/2026", "report_file": pdf},
        )
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.state == "reported"
    download = client.get(reverse("inspections:report_file", args=[started.public_id]))
    assert download.status_code == 200
    assert (
        client_of(actors["inspected"])
        .get(reverse("inspections:report_file", args=[started.public_id]))
        .status_code
        == 404
    )
