"""The services: what they write, and every bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.accounts.models import User
from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.directives.tasks import selectors, services
from danvan.directives.tasks.errors import TaskError
from danvan.directives.tasks.models import EventKind, SourceKind, Task, TaskEvent, TaskState
from danvan.directives.tasks.services import TRANSITIONS
from danvan.directives.tasks.status import TaskStatus, soon_until, status_of
from danvan.legal.workdays import WorkCalendar
from danvan.units.models import Unit
from danvan.worklist.models import Notice

from .conftest import TODAY, travel

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%minh chung\n"


def pdf(name: str = "bao-cao.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def fake_pdf() -> SimpleUploadedFile:
    # A script renamed to .pdf: its content says otherwise.
    script = b"#!/bin/sh\nrm -rf /\n"
    return SimpleUploadedFile("bao-cao.pdf", script, content_type="application/pdf")


def snapshot() -> tuple[int, int, int]:
    return Task.objects.count(), TaskEvent.objects.count(), AuditEvent.objects.count()


def refused(call: Any, code: TaskError, *, field: str | None = None) -> DomainError:
    """Run *call*, expect a refusal with *code* (on *field*), and nothing written."""
    before = snapshot()
    with pytest.raises(DomainError) as caught:
        call()
    error = caught.value
    assert code.value in {p.code for p in error.problems}, error.problems
    if field is not None:
        assert field in {p.field for p in error.problems}, error.problems
    assert snapshot() == before
    return error


def vietnamese(message: str) -> bool:
    return any(ch in message for ch in "ăâđêôơưạảấầẩậắằẳặẹẻẽếềểệịọỏốồổộớờởợụủứừửựỳỷỹ")


# -- creation -----------------------------------------------------------------------------


def test_create_writes_task_event_audit_and_notice(
    assigner: User,
    lead: User,
    thai_nguyen: Unit,
    lead_unit: Unit,
    coord_unit: Unit,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        task = services.task_create(
            actor=assigner,
            assigner_unit=thai_nguyen,
            lead_unit=lead_unit,
            coordinating_units=[coord_unit],
            title="Rà soát hương ước",
            deliverable="Báo cáo rà soát",
            due_on=dt.date(2026, 4, 30),
        )
    assert task.state == TaskState.OPEN
    assert list(task.coordinating_units.all()) == [coord_unit]
    assert task.source_kind == SourceKind.OTHER
    assert [e.kind for e in task.events.all()] == [EventKind.CREATED]
    assert AuditEvent.objects.filter(object_pk=str(task.pk), model_label="directive_tasks.task")
    notice = Notice.objects.get(user=lead)
    assert task.get_absolute_url() == notice.url
    assert not Notice.objects.filter(user=assigner).exists()  # not told of their own act


def test_relative_due_is_computed_on_the_working_day_calendar(
    assigner: User, thai_nguyen: Unit, lead_unit: Unit
) -> None:
    task = services.task_create(
        actor=assigner,
        assigner_unit=thai_nguyen,
        lead_unit=lead_unit,
        title="Báo cáo sơ kết",
        deliverable="Báo cáo",
        due_working_days=10,
        due_from_event="ngày ký kế hoạch",
        due_from_date=dt.date(2026, 4, 24),
    )
    # Fri 24/4 + 10 working days, over the days off: Mon 27/4 (Hùng Kings' day, Sun 26/4,
    # moved), Thu 30/4 and Fri 1/5.
    assert task.due_on == WorkCalendar().add_working_days(dt.date(2026, 4, 24), 10)
    assert task.due_on == dt.date(2026, 5, 13)
    assert (task.due_working_days, task.due_from_event) == (10, "ngày ký kế hoạch")
    assert task.events.get().data["working_days"] == 10


def test_plan_task_inherits_the_plan(assigner: User, thai_nguyen: Unit, lead_unit: Unit) -> None:
    plan = services.plan_create(
        actor=assigner, unit=thai_nguyen, title="Kế hoạch năm 2026", starts_on=dt.date(2026, 4, 1)
    )
    task = services.task_create(
        actor=assigner,
        plan=plan,
        lead_unit=lead_unit,
        title="Tuyên truyền",
        deliverable="Báo cáo",
        due_on=dt.date(2026, 5, 15),
    )
    assert task.assigner_unit == thai_nguyen
    assert task.source_kind == SourceKind.PLAN


def test_due_before_plan_start_refused(assigner: User, thai_nguyen: Unit, lead_unit: Unit) -> None:
    plan = services.plan_create(
        actor=assigner, unit=thai_nguyen, title="Kế hoạch quý II", starts_on=dt.date(2026, 4, 1)
    )
    error = refused(
        lambda: services.task_create(
            actor=assigner,
            plan=plan,
            lead_unit=lead_unit,
            title="Tuyên truyền",
            deliverable="Báo cáo",
            due_on=dt.date(2026, 3, 31),
        ),
        TaskError.BAD_DUE,
        field="due_on",
    )
    assert "01/04/2026" in error.message
    assert vietnamese(error.message)


def test_create_reports_every_problem_at_once(
    assigner: User, thai_nguyen: Unit, sibling_commune: Unit, coord_unit: Unit
) -> None:
    # sibling_commune is under the province: a lead unit outside the assigner is shown
    # with a commune of another province below; here: empty title, no deliverable, a
    # deadline given both ways, and a lead unit also named as coordinating.
    error = refused(
        lambda: services.task_create(
            actor=assigner,
            assigner_unit=thai_nguyen,
            lead_unit=coord_unit,
            coordinating_units=[coord_unit],
            title=" ",
            deliverable="",
            due_on=dt.date(2026, 4, 30),
            due_working_days=5,
            due_from_event="ngày hội nghị",
            due_from_date=dt.date(2026, 4, 1),
        ),
        TaskError.EMPTY,
    )
    fields = {p.field for p in error.problems}
    assert {"title", "deliverable", "due_on", "coordinating_units"} <= fields
    assert all(vietnamese(p.message) for p in error.problems)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"due_on": dt.date(2025, 3, 1)}, "due_on"),  # a year back: a mistyped year
        ({"due_on": dt.date(2040, 1, 1)}, "due_on"),
        ({"due_on": None}, "due_on"),
        (
            {"due_working_days": 0, "due_from_event": "x", "due_from_date": TODAY},
            "due_working_days",
        ),
        ({"due_working_days": 5, "due_from_date": TODAY}, "due_from_event"),
        ({"due_working_days": 5, "due_from_event": "ngày hội nghị"}, "due_from_date"),
    ],
)
def test_bad_due_refused(
    assigner: User, thai_nguyen: Unit, lead_unit: Unit, kwargs: dict[str, Any], field: str
) -> None:
    refused(
        lambda: services.task_create(
            actor=assigner,
            assigner_unit=thai_nguyen,
            lead_unit=lead_unit,
            title="Nhiệm vụ",
            deliverable="Báo cáo",
            **kwargs,
        ),
        TaskError.BAD_DUE,
        field=field,
    )


def test_lead_unit_outside_the_assigner_refused(
    actors: dict[str, Any], commune: Unit, lead_unit: Unit, sibling_commune: Unit
) -> None:
    # The commune's officer assigns; a commune next door is not under it.
    refused(
        lambda: services.task_create(
            actor=actors["parent"],
            assigner_unit=commune,
            lead_unit=sibling_commune,
            title="Nhiệm vụ",
            deliverable="Báo cáo",
            due_on=dt.date(2026, 4, 30),
        ),
        TaskError.BAD_UNIT,
        field="lead_unit",
    )


def test_create_needs_manage_on_the_assigner(
    actors: dict[str, Any], thai_nguyen: Unit, lead_unit: Unit
) -> None:
    with pytest.raises(PermissionDenied):
        services.task_create(
            actor=actors["parent"],  # an officer of the commune, not of the province
            assigner_unit=thai_nguyen,
            lead_unit=lead_unit,
            title="Nhiệm vụ",
            deliverable="Báo cáo",
            due_on=dt.date(2026, 4, 30),
        )


# -- delegation ---------------------------------------------------------------------------


@pytest.fixture
def commune_task_paragraph() -> str:
    """commune_task (conftest) with a source paragraph: a delegated task inherits it."""
    return "Đoạn 3: các xã báo cáo trước 29/5."


def test_delegate_downwards(actors: dict[str, Any], commune_task: Task, lead_unit: Unit) -> None:
    child = services.task_delegate(
        actor=actors["parent"],
        parent=commune_task,
        lead_unit=lead_unit,
        title="Thôn tổ chức họp dân",
        deliverable="Biên bản họp",
        due_on=dt.date(2026, 5, 20),
    )
    assert child.parent == commune_task
    assert child.root_id == commune_task.pk
    assert child.assigner_unit == commune_task.lead_unit
    assert child.source_paragraph == commune_task.source_paragraph
    assert commune_task.events.filter(kind=EventKind.DELEGATED).count() == 1


def test_delegation_outside_the_subtree_refused(
    actors: dict[str, Any], commune_task: Task, sibling_commune: Unit, commune: Unit
) -> None:
    for unit in (sibling_commune, commune):  # a neighbour, and the lead unit itself
        error = refused(
            lambda unit=unit: services.task_delegate(
                actor=actors["parent"],
                parent=commune_task,
                lead_unit=unit,
                title="Giao tiếp",
                deliverable="Báo cáo",
                due_on=dt.date(2026, 5, 20),
            ),
            TaskError.BAD_UNIT,
            field="lead_unit",
        )
        assert vietnamese(error.message)


def test_delegation_due_after_parent_refused(
    actors: dict[str, Any], commune_task: Task, lead_unit: Unit
) -> None:
    refused(
        lambda: services.task_delegate(
            actor=actors["parent"],
            parent=commune_task,
            lead_unit=lead_unit,
            title="Giao tiếp",
            deliverable="Báo cáo",
            due_on=dt.date(2026, 6, 1),
        ),
        TaskError.BAD_DUE,
        field="due_on",
    )


def test_delegation_needs_manage_on_the_lead_unit(
    actors: dict[str, Any], commune_task: Task, lead_unit: Unit
) -> None:
    def delegate(actor: Any) -> None:
        services.task_delegate(
            actor=actor,
            parent=commune_task,
            lead_unit=lead_unit,
            title="Giao tiếp",
            deliverable="Báo cáo",
            due_on=dt.date(2026, 5, 20),
        )

    with pytest.raises(NotFound):  # a village officer does not see the commune's task
        delegate(actors["lead"])
    with pytest.raises(PermissionDenied):  # the reviewer sees it, and only reads
        delegate(actors["reviewer"])


def test_parent_progress_is_derived(
    actors: dict[str, Any], commune_task: Task, villages: list[Unit]
) -> None:
    kids = [
        services.task_delegate(
            actor=actors["parent"],
            parent=commune_task,
            lead_unit=v,
            title=f"Giao {v.name}",
            deliverable="Báo cáo",
            due_on=dt.date(2026, 5, 20),
        )
        for v in villages
    ]
    services.task_report_progress(actor=actors["lead"], task=kids[0], percent=40, note="Đã họp")
    services.task_submit(actor=actors["coord"], task=kids[1], result_minutes="Biên bản họp thôn")
    services.task_accept(actor=actors["parent"], task=kids[1])
    services.task_cancel(actor=actors["parent"], task=kids[2], reason="Thôn đã sáp nhập")
    progress = selectors.derived_progress([commune_task, *kids])
    assert progress[kids[0].pk] == 40
    assert progress[kids[1].pk] == 100
    assert progress[commune_task.pk] == 70  # mean of 40 and 100; the cancelled one left out


# -- progress -----------------------------------------------------------------------------


def test_report_progress_with_evidence(task: Task, actors: dict[str, Any]) -> None:
    event = services.task_report_progress(
        actor=actors["coord"], task=task, percent=30, note="Đã chuẩn bị tài liệu", evidence=pdf()
    )
    assert event.kind == EventKind.PROGRESS
    assert event.percent == 30
    assert event.evidence
    task.refresh_from_db()
    assert task.progress_percent == 30


@pytest.mark.parametrize("percent", [101, -1])
def test_progress_out_of_range_refused(task: Task, lead: User, percent: int) -> None:
    error = refused(
        lambda: services.task_report_progress(actor=lead, task=task, percent=percent, note="x"),
        TaskError.BAD_PERCENT,
        field="percent",
    )
    assert "0 đến 100" in error.message


def test_progress_with_a_file_that_lies_refused(task: Task, lead: User) -> None:
    error = refused(
        lambda: services.task_report_progress(
            actor=lead, task=task, percent=20, note="Đã làm", evidence=fake_pdf()
        ),
        TaskError.BAD_FILE,
        field="evidence",
    )
    assert vietnamese(error.message)


def test_progress_on_submitted_or_closed_task_refused(
    task: Task, lead: User, assigner: User
) -> None:
    services.task_submit(actor=lead, task=task, result_number="15/BC-UBND")
    refused(
        lambda: services.task_report_progress(actor=lead, task=task, percent=50, note="x"),
        TaskError.BAD_STATE,
    )
    services.task_accept(actor=assigner, task=task)
    error = refused(
        lambda: services.task_report_progress(actor=lead, task=task, percent=50, note="x"),
        TaskError.BAD_STATE,
    )
    assert "Đã nghiệm thu" in error.message


def test_sibling_cannot_report_and_sees_nothing(task: Task, actors: dict[str, Any]) -> None:
    with pytest.raises(NotFound):
        services.task_report_progress(actor=actors["sibling"], task=task, percent=5, note="x")


# -- deliverable, acceptance, reopening -----------------------------------------------------


def test_submit_without_deliverable_refused(task: Task, lead: User) -> None:
    error = refused(
        lambda: services.task_submit(actor=lead, task=task, note="Xong"),
        TaskError.NO_DELIVERABLE,
    )
    assert "sản phẩm" in error.message
    task.refresh_from_db()
    assert task.state == TaskState.OPEN


def test_submit_with_a_bad_number_gives_the_parsers_message(task: Task, lead: User) -> None:
    error = refused(
        lambda: services.task_submit(actor=lead, task=task, result_number="bao cao so 5"),
        TaskError.BAD_NUMBER,
        field="result_number",
    )
    assert "không phải số, ký hiệu văn bản hợp lệ" in error.message


def test_submit_with_a_file_that_lies_refused(task: Task, lead: User) -> None:
    refused(
        lambda: services.task_submit(actor=lead, task=task, result_file=fake_pdf()),
        TaskError.BAD_FILE,
        field="result_file",
    )


def test_submit_keeps_the_number_without_its_label(task: Task, lead: User) -> None:
    services.task_submit(actor=lead, task=task, result_number="Số: 15/BC-UBND")
    task.refresh_from_db()
    assert task.result_number == "15/BC-UBND"
    assert task.state == TaskState.SUBMITTED
    assert task.submitted_on == TODAY


def test_accept_closes_on_the_submission_day(task: Task, lead: User, assigner: User) -> None:
    services.task_submit(actor=lead, task=task, result_file=pdf())
    with travel(dt.date(2026, 5, 6)):  # accepted after the due date of 30/4
        services.task_accept(actor=assigner, task=task, note="Đạt yêu cầu")
    task.refresh_from_db()
    assert task.state == TaskState.CLOSED
    assert task.completed_on == TODAY
    assert task.accepted_by == assigner
    day = dt.date(2026, 5, 6)
    assert status_of(task, day, soon_until(day)) == TaskStatus.DONE_ON_TIME


def test_only_the_assigner_accepts(task: Task, lead: User) -> None:
    services.task_submit(actor=lead, task=task, result_minutes="Biên bản")
    with pytest.raises(PermissionDenied):
        services.task_accept(actor=lead, task=task)


def test_return_opens_again(task: Task, lead: User, assigner: User) -> None:
    services.task_submit(actor=lead, task=task, result_minutes="Biên bản")
    refused(lambda: services.task_return(actor=assigner, task=task, reason=" "), TaskError.EMPTY)
    services.task_return(actor=assigner, task=task, reason="Thiếu số liệu")
    task.refresh_from_db()
    assert task.state == TaskState.OPEN
    assert task.submitted_on is None


def test_a_new_submission_replaces_the_returned_one(task: Task, lead: User, assigner: User) -> None:
    services.task_submit(actor=lead, task=task, result_file=pdf())
    services.task_return(actor=assigner, task=task, reason="Chưa đủ")
    services.task_submit(actor=lead, task=task, result_minutes="Biên bản bổ sung")
    task.refresh_from_db()
    assert not task.result_file
    assert task.result_minutes == "Biên bản bổ sung"
    first = task.events.filter(kind=EventKind.SUBMITTED).order_by("pk").first()
    assert first is not None
    assert first.data["result_file"]  # the history keeps the first file


def test_an_inspection_finding_reopens_a_closed_task(
    task: Task, lead: User, assigner: User
) -> None:
    services.task_submit(actor=lead, task=task, result_number="15/BC-UBND")
    services.task_accept(actor=assigner, task=task)
    error = refused(
        lambda: services.task_reopen(actor=assigner, task=task, reason="", finding_ref=""),
        TaskError.EMPTY,
    )
    assert {p.field for p in error.problems} == {"reason", "finding_ref"}
    services.task_reopen(
        actor=assigner, task=task, reason="Chưa đối thoại ở 2 thôn", finding_ref="12-KL/UBKT"
    )
    task.refresh_from_db()
    assert task.state == TaskState.OPEN
    assert task.completed_on is None
    assert task.accepted_by is None
    event = task.events.get(kind=EventKind.REOPENED)
    assert event.data["finding_ref"] == "12-KL/UBKT"
    assert event.data["completed_on"] == TODAY.isoformat()
    kinds = list(task.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.CREATED,
        EventKind.SUBMITTED,
        EventKind.ACCEPTED,
        EventKind.REOPENED,
    ]


def test_cancel_takes_the_subtasks_with_it(
    actors: dict[str, Any], commune_task: Task, lead_unit: Unit, assigner: User
) -> None:
    child = services.task_delegate(
        actor=actors["parent"],
        parent=commune_task,
        lead_unit=lead_unit,
        title="Giao thôn",
        deliverable="Biên bản",
        due_on=dt.date(2026, 5, 20),
    )
    services.task_cancel(actor=assigner, task=commune_task, reason="Không còn cần thiết")
    child.refresh_from_db()
    assert child.state == TaskState.CANCELLED
    assert child.events.filter(kind=EventKind.CANCELLED).exists()


# -- the transitions table ----------------------------------------------------------------


def test_transitions_table() -> None:
    expected = {
        ("report", TaskState.OPEN),
        ("delegate", TaskState.OPEN),
        ("submit", TaskState.OPEN),
        ("accept", TaskState.SUBMITTED),
        ("return", TaskState.SUBMITTED),
        ("reopen", TaskState.CLOSED),
        ("cancel", TaskState.OPEN),
        ("cancel", TaskState.SUBMITTED),
    }
    table = {(action, s) for action, (sources, _t) in TRANSITIONS.items() for s in sources}
    assert table == expected
    for action, state in expected:
        assert services.allowed(action, Task(state=state))


@pytest.mark.parametrize(
    ("call", "state"),
    [
        (lambda t, a, who: services.task_accept(actor=a, task=t), TaskState.OPEN),
        (lambda t, a, who: services.task_return(actor=a, task=t, reason="x"), TaskState.OPEN),
        (lambda t, a, who: services.task_reopen(actor=a, task=t, reason="x", finding_ref="y"),
         TaskState.OPEN),
        (lambda t, a, who: services.task_submit(actor=who, task=t, result_minutes="x"),
         TaskState.SUBMITTED),
    ],
)  # fmt: skip
def test_actions_out_of_turn_refused(
    task: Task, lead: User, assigner: User, call: Any, state: str
) -> None:
    if state == TaskState.SUBMITTED:
        services.task_submit(actor=lead, task=task, result_minutes="Biên bản")
    refused(lambda: call(task, assigner, lead), TaskError.BAD_STATE)


# -- the history is append-only ----------------------------------------------------------


def test_events_are_append_only(task: Task) -> None:
    from danvan.directives.tasks.models import AppendOnlyError

    event = task.events.get()
    event.note = "sửa lịch sử"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        TaskEvent.objects.filter(task=task).update(note="x")
    with pytest.raises(AppendOnlyError):
        TaskEvent.objects.filter(task=task).delete()
    assert TaskEvent.objects.get(pk=event.pk).note == ""
