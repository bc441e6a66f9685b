"""The demo's task history: last year and this year, outcomes as the board counts them."""

from __future__ import annotations

import pytest

from danvan.directives.tasks import status
from danvan.directives.tasks.demo import COMMUNES, YEARLY, demo_seed_task_history
from danvan.directives.tasks.models import Task, TaskEvent
from danvan.units.models import Unit, UnitKind

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_history_counts_as_the_board_does_and_runs_once(thai_nguyen: Unit, commune: Unit) -> None:
    communes = min(
        COMMUNES,
        Unit.objects.filter(
            path__startswith=thai_nguyen.path, kind=UnitKind.COMMUNE, valid_to__isnull=True
        ).count(),
    )
    result = demo_seed_task_history(province=thai_nguyen, today=TODAY)

    assert result.plans == 2
    assert result.tasks == 2 * communes * len(YEARLY) == Task.objects.count()
    soon = status.soon_until(TODAY)
    counted = {
        name: Task.objects.filter(status.status_q(name, today=TODAY, soon_until=soon)).count()
        for name in status.TaskStatus.values
    }
    assert counted[status.TaskStatus.DONE_ON_TIME] == result.done_on_time
    assert counted[status.TaskStatus.DONE_LATE] == result.done_late
    assert counted[status.TaskStatus.OVERDUE] == result.open_overdue
    # Last year's tasks are all past their deadline: none is "not due".
    last_year = Task.objects.filter(due_on__year=TODAY.year - 1)
    assert not last_year.filter(completed_on__isnull=True, due_on__gte=TODAY).exists()
    # Every task was assigned, every closed one accepted: the history is complete.
    assert TaskEvent.objects.filter(kind="created").count() == result.tasks
    assert (
        TaskEvent.objects.filter(kind="accepted").count()
        == Task.objects.filter(completed_on__isnull=False).count()
    )

    again = demo_seed_task_history(province=thai_nguyen, today=TODAY)
    assert again.total_created == 0
    assert Task.objects.count() == result.tasks
