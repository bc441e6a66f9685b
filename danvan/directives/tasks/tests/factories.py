"""Factories of the task tests (factory_boy): rows written directly, for the status grid
and the lists; the services' own tests go through the services."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from danvan.directives.tasks.models import Task, TaskState


class TaskFactory(DjangoModelFactory[Task]):
    class Meta:
        model = Task

    title = factory.Sequence(lambda n: f"Nhiệm vụ số {n}")
    deliverable = "Báo cáo kết quả"
    due_on = dt.date(2026, 4, 30)
    state = TaskState.OPEN
    # assigner_unit and lead_unit are given by each test.
