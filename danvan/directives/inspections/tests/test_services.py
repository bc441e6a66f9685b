"""The inspection services: every bad input refused in one pass with nothing written,
each recommendation assigned as a task of the inspected unit, a finding reopening a
closed task."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.directives.inspections import selectors, services
from danvan.directives.inspections.models import (
    Finding,
    FindingKind,
    Inspection,
    InspectionPlan,
    InspectionState,
    InspectionTarget,
    Recommendation,
    TeamMember,
    TeamRole,
)
from danvan.directives.tasks import services as task_services
from danvan.directives.tasks.models import EventKind, SourceKind, Task, TaskEvent, TaskState
from danvan.units.models import Official, Unit

from .conftest import YEAR, travel

pytestmark = pytest.mark.django_db


def fields(exc: pytest.ExceptionInfo[DomainError]) -> set[str | None]:
    return {p.field for p in exc.value.problems}


def messages(exc: pytest.ExceptionInfo[DomainError]) -> str:
    return " | ".join(p.message for p in exc.value.problems)


# -- plans --------------------------------------------------------------------------------


def test_plan_keeps_number_without_label_and_audits(plan: InspectionPlan) -> None:
    assert plan.decision_number == "05-KH/BCĐ"
    assert AuditEvent.objects.filter(
        object_pk=str(plan.pk), model_label="directive_inspections.inspectionplan"
    ).exists()


def test_plan_bad_input_refused_in_one_pass(actors: dict[str, Any], commune: Unit) -> None:
    with pytest.raises(DomainError) as exc:
        services.plan_create(
            actor=actors["inspecting"],
            unit=commune,
            year=1999,
            title="  ",
            kind="audit",
            decision_number="KH 05 BCĐ",
            approved_on=dt.date(2020, 1, 1),
        )
    assert fields(exc) == {"year", "title", "kind", "decision_number", "approved_on"}
    assert "2000" in messages(exc)
    with pytest.raises(DomainError) as exc:
        services.plan_create(
            actor=actors["inspecting"],
            unit=commune,
            year=2026,
            title="Kế hoạch",
            approved_on=dt.date(2020, 1, 1),
        )
    assert fields(exc) == {"approved_on"}
    assert not InspectionPlan.objects.exists()


def test_plan_only_by_the_inspecting_side(actors: dict[str, Any], commune: Unit) -> None:
    for who in ("inspected", "outsider"):
        with pytest.raises((PermissionDenied, NotFound)):
            services.plan_create(actor=actors[who], unit=commune, year=YEAR, title="Kế hoạch")
    assert not InspectionPlan.objects.exists()


def test_plan_year_cannot_leave_its_inspections(
    actors: dict[str, Any], plan: InspectionPlan, inspection: Inspection
) -> None:
    with pytest.raises(DomainError) as exc:
        services.plan_update(
            actor=actors["inspecting"], plan=plan, year=YEAR - 1, title=plan.title, kind=plan.kind
        )
    assert inspection.title in messages(exc)
    plan.refresh_from_db()
    assert plan.year == YEAR


# -- inspections --------------------------------------------------------------------------


def test_inspection_targets_inside_the_plan_subtree(
    actors: dict[str, Any], plan: InspectionPlan, villages: list[Unit], sibling_commune: Unit
) -> None:
    with pytest.raises(DomainError) as exc:
        services.inspection_create(
            actor=actors["inspecting"],
            plan=plan,
            title="Kiểm tra",
            starts_on=dt.date(YEAR, 5, 4),
            ends_on=dt.date(YEAR, 5, 8),
            targets=[villages[0], sibling_commune],
        )
    assert sibling_commune.name in messages(exc)
    assert plan.unit.name in messages(exc)
    assert not Inspection.objects.exists()
    assert not InspectionTarget.objects.exists()


def test_inspection_dates_in_the_plan_year(
    actors: dict[str, Any], plan: InspectionPlan, villages: list[Unit]
) -> None:
    with pytest.raises(DomainError) as exc:
        services.inspection_create(
            actor=actors["inspecting"],
            plan=plan,
            title="",
            starts_on=dt.date(YEAR, 12, 28),
            ends_on=dt.date(YEAR + 1, 1, 5),
            targets=[services.TargetSpec(villages[0], dt.date(YEAR, 11, 1))],
        )
    assert fields(exc) == {"title", "ends_on", "targets"}
    assert f"31/12/{YEAR}" in messages(exc)
    with pytest.raises(DomainError) as exc:
        services.inspection_create(
            actor=actors["inspecting"],
            plan=plan,
            title="Kiểm tra",
            starts_on=dt.date(YEAR, 5, 8),
            ends_on=dt.date(YEAR, 5, 4),
            targets=[],
        )
    assert fields(exc) == {"ends_on", "targets"}
    assert not Inspection.objects.exists()


def test_target_add_refuses_duplicates_and_outside_units(
    actors: dict[str, Any], inspection: Inspection, villages: list[Unit], sibling_commune: Unit
) -> None:
    actor = actors["inspecting"]
    with pytest.raises(DomainError, match="đã có"):
        services.target_add(actor=actor, inspection=inspection, unit=villages[0])
    with pytest.raises(DomainError, match="không thuộc"):
        services.target_add(actor=actor, inspection=inspection, unit=sibling_commune)
    with pytest.raises(DomainError) as exc:
        services.target_add(
            actor=actor, inspection=inspection, unit=villages[2], scheduled_on=dt.date(YEAR, 6, 1)
        )
    assert fields(exc) == {"scheduled_on"}
    services.target_add(actor=actor, inspection=inspection, unit=villages[2])
    assert inspection.targets.count() == 3


def test_team_rules(actors: dict[str, Any], inspection: Inspection, sibling_commune: Unit) -> None:
    actor = actors["inspecting"]
    with pytest.raises(DomainError) as exc:
        services.team_member_add(
            actor=actor, inspection=inspection, role=TeamRole.LEADER, full_name="Trần B"
        )
    assert fields(exc) == {"role", "position"}
    with pytest.raises(DomainError) as exc:
        services.team_member_add(actor=actor, inspection=inspection, role=TeamRole.MEMBER)
    assert fields(exc) == {"official"}
    outside = Official.objects.create(
        full_name="Lê C", position="Chủ tịch UBND xã", unit=sibling_commune
    )
    with pytest.raises(DomainError, match=sibling_commune.name):
        services.team_member_add(
            actor=actor, inspection=inspection, role=TeamRole.MEMBER, official=outside
        )
    assert TeamMember.objects.filter(inspection=inspection).count() == 1
    inside = Official.objects.create(full_name="Phạm D", position="Chủ tịch UBND xã",
                                     unit=inspection.plan.unit)  # fmt: skip
    member = services.team_member_add(
        actor=actor, inspection=inspection, role=TeamRole.SECRETARY, official=inside
    )
    assert member.name == "Phạm D"
    with pytest.raises(DomainError, match="đã có trong đoàn"):
        services.team_member_add(
            actor=actor, inspection=inspection, role=TeamRole.MEMBER, official=inside
        )


def test_start_needs_a_leader(
    actors: dict[str, Any], plan: InspectionPlan, villages: list[Unit]
) -> None:
    actor = actors["inspecting"]
    bare = services.inspection_create(
        actor=actor,
        plan=plan,
        title="Giám sát",
        starts_on=dt.date(YEAR, 6, 1),
        ends_on=dt.date(YEAR, 6, 5),
        targets=[villages[2]],
    )
    with pytest.raises(DomainError, match="trưởng đoàn"):
        services.inspection_start(actor=actor, inspection=bare)
    bare.refresh_from_db()
    assert bare.state == InspectionState.PLANNED


def test_findings_only_while_in_progress(actors: dict[str, Any], inspection: Inspection) -> None:
    target = inspection.targets.select_related("unit", "inspection__plan__unit").first()
    assert target is not None
    with pytest.raises(DomainError, match="Đang tiến hành"):
        services.finding_record(
            actor=actors["inspecting"], target=target, kind=FindingKind.GOOD, text="Tốt"
        )
    assert not Finding.objects.exists()


# -- recommendations become tasks ---------------------------------------------------------


def test_recommendation_becomes_a_task_of_the_inspected_unit(
    actors: dict[str, Any], targets: list[InspectionTarget], commune: Unit
) -> None:
    target = targets[0]
    finding = services.finding_record(
        actor=actors["inspecting"],
        target=target,
        kind=FindingKind.SHORTCOMING,
        text="Chưa niêm yết đủ 30 ngày.",
    )
    rec = services.recommendation_record(
        actor=actors["inspecting"],
        target=target,
        finding=finding,
        text="Niêm yết lại đủ 30 ngày liên tục.",
        due_on=dt.date(YEAR, 5, 29),
    )
    assert rec.task_id is not None
    task = Task.objects.get(pk=rec.task_id)
    assert task.lead_unit == target.unit
    assert task.assigner_unit == commune
    assert task.source_kind == SourceKind.INSPECTION
    assert task.source_type == ContentType.objects.get_for_model(Recommendation)
    assert task.source_id == rec.pk
    assert task.source == rec
    assert task.source_paragraph == "Niêm yết lại đủ 30 ngày liên tục."
    assert task.due_on == dt.date(YEAR, 5, 29)
    assert task.deliverable == services.DEFAULT_DELIVERABLE
    assert TaskEvent.objects.filter(task=task, kind=EventKind.CREATED).count() == 1


def test_recommendation_bad_input_writes_nothing(
    actors: dict[str, Any], targets: list[InspectionTarget]
) -> None:
    with pytest.raises(DomainError) as exc:
        services.recommendation_record(
            actor=actors["inspecting"], target=targets[0], text=" ", due_on=dt.date(YEAR, 3, 1)
        )
    assert fields(exc) == {"text", "due_on"}
    # Too far ahead: the tasks' own rule, reported on this form's field.
    with pytest.raises(DomainError) as exc:
        services.recommendation_record(
            actor=actors["inspecting"],
            target=targets[0],
            text="Khắc phục",
            due_on=dt.date(YEAR + 10, 4, 10),
        )
    assert fields(exc) == {"due_on"}
    other = services.finding_record(
        actor=actors["inspecting"], target=targets[1], kind=FindingKind.GOOD, text="Tốt"
    )
    with pytest.raises(DomainError) as exc:
        services.recommendation_record(
            actor=actors["inspecting"],
            target=targets[0],
            text="Khắc phục",
            due_on=dt.date(YEAR, 5, 10),
            finding=other,
        )
    assert fields(exc) == {"finding"}
    assert not Recommendation.objects.exists()
    assert not Task.objects.filter(source_kind=SourceKind.INSPECTION).exists()


def test_recommendation_only_by_the_inspecting_side(
    actors: dict[str, Any], targets: list[InspectionTarget]
) -> None:
    with pytest.raises((PermissionDenied, NotFound)):
        services.recommendation_record(
            actor=actors["inspected"],
            target=targets[0],
            text="Tự kiến nghị",
            due_on=dt.date(YEAR, 5, 10),
        )
    assert not Recommendation.objects.exists()


# -- findings reopen closed tasks ---------------------------------------------------------


def test_shortcoming_reopens_the_closed_task(
    actors: dict[str, Any], targets: list[InspectionTarget], closed_task: Task
) -> None:
    assert closed_task.state == TaskState.CLOSED
    finding = services.finding_record(
        actor=actors["inspecting"],
        target=targets[0],
        kind=FindingKind.SHORTCOMING,
        text="Biên bản niêm yết không có chữ ký của trưởng thôn.",
        task=closed_task,
    )
    closed_task.refresh_from_db()
    assert closed_task.state == TaskState.OPEN
    assert closed_task.completed_on is None
    assert finding.reopened_task
    event = TaskEvent.objects.get(task=closed_task, kind=EventKind.REOPENED)
    assert event.note == "Biên bản niêm yết không có chữ ký của trưởng thôn."
    assert event.data["finding"] == ["directive_inspections.finding", finding.pk]
    assert "Kiểm tra việc công khai thông tin quý II" in event.data["finding_ref"]


def test_good_practice_does_not_reopen(
    actors: dict[str, Any], targets: list[InspectionTarget], closed_task: Task
) -> None:
    finding = services.finding_record(
        actor=actors["inspecting"],
        target=targets[0],
        kind=FindingKind.GOOD,
        text="Niêm yết đầy đủ, đúng hạn.",
        task=closed_task,
    )
    closed_task.refresh_from_db()
    assert closed_task.state == TaskState.CLOSED
    assert not finding.reopened_task


def test_finding_task_must_be_the_target_units(
    actors: dict[str, Any], targets: list[InspectionTarget], closed_task: Task
) -> None:
    with pytest.raises(DomainError) as exc:
        services.finding_record(
            actor=actors["inspecting"],
            target=targets[1],
            kind=FindingKind.VIOLATION,
            text="Vi phạm",
            task=closed_task,
        )
    assert fields(exc) == {"task"}
    assert targets[1].unit.name in messages(exc)
    assert not Finding.objects.exists()
    closed_task.refresh_from_db()
    assert closed_task.state == TaskState.CLOSED


def test_reopen_refused_when_the_task_was_given_above(
    actors: dict[str, Any],
    targets: list[InspectionTarget],
    thai_nguyen: Unit,
) -> None:
    """A task the province gave: the commune's team may not reopen it; it is told why."""
    task = task_services.task_create(
        actor=actors["parent"],
        assigner_unit=thai_nguyen,
        lead_unit=targets[0].unit,
        title="Báo cáo",
        deliverable="Báo cáo",
        due_on=dt.date(YEAR, 4, 30),
    )
    task = task_services.task_submit(actor=actors["inspected"], task=task, result_minutes="Xong")
    task = task_services.task_accept(actor=actors["parent"], task=task)
    with pytest.raises(DomainError) as exc:
        services.finding_record(
            actor=actors["inspecting"],
            target=targets[0],
            kind=FindingKind.SHORTCOMING,
            text="Thiếu số liệu",
            task=task,
        )
    assert thai_nguyen.name in messages(exc)
    assert not Finding.objects.exists()
    task.refresh_from_db()
    assert task.state == TaskState.CLOSED


# -- conclusion, answers ------------------------------------------------------------------


def test_conclusion_refuses_a_file_that_is_not_what_its_name_says(
    actors: dict[str, Any], started: Inspection
) -> None:
    fake = SimpleUploadedFile("ket-luan.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(DomainError) as exc:
        services.inspection_conclude(
            actor=actors["inspecting"],
            inspection=started,
            conclusion="",
            concluded_on=dt.date(YEAR, 4, 20),
            report_file=fake,
        )
    assert fields(exc) == {"conclusion", "concluded_on", "report_file"}
    started.refresh_from_db()
    assert started.state == InspectionState.IN_PROGRESS
    assert not started.report_file
    with pytest.raises(DomainError) as exc:
        services.inspection_conclude(
            actor=actors["inspecting"], inspection=started, conclusion="Kết luận"
        )  # today (25/3) is before the inspection began
    assert fields(exc) == {"concluded_on"}
    pdf = SimpleUploadedFile("ket-luan.pdf", b"%PDF-1.4 ket luan", "application/pdf")
    with travel(dt.date(YEAR, 4, 21)):
        done = services.inspection_conclude(
            actor=actors["inspecting"],
            inspection=started,
            conclusion="Các thôn thực hiện cơ bản tốt.",
            concluded_on=dt.date(YEAR, 4, 20),
            report_file=pdf,
        )
    assert done.state == InspectionState.REPORTED
    assert done.report_file
    # Recommendations may still come with the conclusion; findings no more.
    target = done.targets.select_related("unit", "inspection__plan__unit").first()
    assert target is not None
    services.recommendation_record(
        actor=actors["inspecting"], target=target, text="Khắc phục", due_on=dt.date(YEAR, 6, 1)
    )
    with pytest.raises(DomainError):
        services.finding_record(
            actor=actors["inspecting"], target=target, kind=FindingKind.GOOD, text="Tốt"
        )


def test_the_inspected_unit_answers_its_own(
    actors: dict[str, Any], targets: list[InspectionTarget]
) -> None:
    rec = services.recommendation_record(
        actor=actors["inspecting"],
        target=targets[0],
        text="Niêm yết lại",
        due_on=dt.date(YEAR, 5, 29),
    )
    with pytest.raises(NotFound):
        services.recommendation_answer(
            actor=actors["sibling"], recommendation=rec, answer="Không phải của chúng tôi"
        )
    with pytest.raises(DomainError) as exc:
        services.recommendation_answer(actor=actors["inspected"], recommendation=rec, answer="")
    assert fields(exc) == {"answer"}
    rec.refresh_from_db()
    assert rec.answered_on is None
    done = services.recommendation_answer(
        actor=actors["inspected"], recommendation=rec, answer="Đã niêm yết lại từ 01/4."
    )
    assert done.answer == "Đã niêm yết lại từ 01/4."
    assert done.answered_on is not None


def test_unit_list_shows_only_its_own(
    actors: dict[str, Any], targets: list[InspectionTarget], villages: list[Unit]
) -> None:
    for target in targets:
        services.recommendation_record(
            actor=actors["inspecting"],
            target=target,
            text=f"Kiến nghị cho {target.unit.name}",
            due_on=dt.date(YEAR, 5, 29),
        )
    mine = selectors.recommendations_for_unit(user=actors["inspected"], unit=villages[0])
    assert [r.target.unit for r in mine] == [villages[0]]
    with pytest.raises((NotFound, PermissionDenied)):
        selectors.recommendations_for_unit(user=actors["sibling"], unit=villages[0])
