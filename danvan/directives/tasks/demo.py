"""A year and a half of tasks for the demo: the board needs last year to compare with.

The province's steering committee gives its communes the same kinds of tasks every
year (a dialogue, the disclosure review, the half-year and annual reports, registering
"Dân vận khéo" initiatives, renewing the people's inspection board). The demo writes
last year's and this year's plans with those tasks, spread over the months, with the
outcomes a province sees: most done on time, some done late, a few still open past
their deadline, this year's later ones not yet due. Dates are relative to *today*, so
the demo stays meaningful whenever it is seeded.

The history is written in bulk (tasks, their coordinating units and their "assigned"
and "accepted" events, as the services would have written them at the time): a year of
tasks through the services one by one would stamp every event with today's time.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from danvan.units.models import Unit, UnitKind

from .models import EventKind, Plan, SourceKind, Task, TaskEvent, TaskState

# What a province asks of its communes every year: (title, deliverable, month due, day).
YEARLY = (
    (
        "Tổ chức hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân",
        "Báo cáo kết quả đối thoại",
        4,
        30,
    ),
    (
        "Báo cáo sơ kết 6 tháng thực hiện dân chủ ở cơ sở",
        "Báo cáo sơ kết 6 tháng",
        6,
        15,
    ),
    (
        "Rà soát việc công khai thông tin theo Luật Thực hiện dân chủ ở cơ sở",
        "Báo cáo rà soát công khai thông tin",
        8,
        31,
    ),
    (
        "Đăng ký, xây dựng mô hình “Dân vận khéo” trên các lĩnh vực",
        "Danh sách mô hình đăng ký",
        9,
        30,
    ),
    (
        "Kiện toàn Ban Thanh tra nhân dân, Ban Giám sát đầu tư của cộng đồng",
        "Quyết định kiện toàn",
        10,
        31,
    ),
    (
        "Báo cáo tổng kết năm thực hiện dân chủ ở cơ sở",
        "Báo cáo tổng kết năm",
        12,
        10,
    ),
)
COMMUNES = 24  # the province's first communes, in the tree's order
TITLE_MARK = "Kế hoạch thực hiện dân chủ ở cơ sở năm"


@dataclass
class TaskHistoryResult:
    plans: int = 0
    tasks: int = 0
    done_on_time: int = 0
    done_late: int = 0
    open_overdue: int = 0

    @property
    def total_created(self) -> int:
        return self.plans + self.tasks


def _outcome(rng: random.Random, due: dt.date, today: dt.date, last_year: bool) -> dt.date | None:
    """The day a task was done (None: still open), as provinces' reports show them:
    most on time, some late, a few left open past the deadline."""
    roll = rng.random()
    on_time, late = (0.80, 0.14) if last_year else (0.70, 0.16)
    if due >= today:
        # Not due yet: a third already done, early.
        return due - dt.timedelta(days=rng.randint(3, 20)) if roll < 0.33 else None
    if roll < on_time:
        return due - dt.timedelta(days=rng.randint(0, 12))
    if roll < on_time + late:
        day = due + dt.timedelta(days=rng.randint(3, 40))
        return day if day < today else None
    return None


@transaction.atomic
def demo_seed_task_history(
    *, province: Unit, actor: Any = None, today: dt.date | None = None
) -> TaskHistoryResult:
    """Last year's and this year's plans of *province* with their tasks (nothing if the
    plans are already there)."""
    result = TaskHistoryResult()
    today = today or timezone.localdate()
    if Plan.objects.filter(unit=province, title__startswith=TITLE_MARK).exists():
        return result
    communes = list(
        Unit.objects.filter(
            path__startswith=province.path, kind=UnitKind.COMMUNE, valid_to__isnull=True
        ).order_by("path")[:COMMUNES]
    )
    front = (
        Unit.objects.filter(path__startswith=province.path, name__icontains="Mặt trận")
        .order_by("depth", "path")
        .first()
    )
    rng = random.Random(20161208)  # noqa: S311 — demo data, not security
    tasks: list[Task] = []
    for year in (today.year - 1, today.year):
        plan = Plan.objects.create(
            unit=province,
            title=f"{TITLE_MARK} {year}",
            starts_on=dt.date(year, 1, 1),
            ends_on=dt.date(year, 12, 31),
            created_by=actor,
        )
        result.plans += 1
        for commune in communes:
            for title, deliverable, month, day in YEARLY:
                due = dt.date(year, month, day)
                done = _outcome(rng, due, today, year < today.year)
                task = Task(
                    plan=plan,
                    assigner_unit=province,
                    lead_unit=commune,
                    title=title,
                    deliverable=deliverable,
                    due_on=due,
                    source_kind=SourceKind.PLAN,
                    state=TaskState.CLOSED if done else TaskState.OPEN,
                    submitted_on=done,
                    completed_on=done,
                    result_minutes=deliverable if done else "",
                    progress_percent=100 if done else rng.choice((0, 20, 50, 70)),
                    created_by=actor,
                )
                if done:
                    task.accepted_at = timezone.make_aware(dt.datetime.combine(done, dt.time(9, 0)))
                    task.accepted_by = actor
                    if done <= due:
                        result.done_on_time += 1
                    else:
                        result.done_late += 1
                elif due < today:
                    result.open_overdue += 1
                tasks.append(task)
    Task.objects.bulk_create(tasks, batch_size=500)
    result.tasks = len(tasks)
    if front is not None:
        through = Task.coordinating_units.through
        through.objects.bulk_create(
            [through(task_id=t.pk, unit_id=front.pk) for t in tasks[::3]], batch_size=500
        )
    events: list[TaskEvent] = []
    for task in tasks:
        assigned = task.plan.starts_on + dt.timedelta(days=14) if task.plan else task.due_on
        events.append(
            TaskEvent(
                task=task,
                kind=EventKind.CREATED,
                actor=actor,
                at=timezone.make_aware(dt.datetime.combine(assigned, dt.time(8, 0))),
                data={"due_on": task.due_on.isoformat()},
            )
        )
        if task.accepted_at is not None:
            events.append(
                TaskEvent(
                    task=task,
                    kind=EventKind.ACCEPTED,
                    actor=actor,
                    at=task.accepted_at,
                    note=task.deliverable,
                )
            )
    TaskEvent.objects.bulk_create(events, batch_size=500)
    return result
