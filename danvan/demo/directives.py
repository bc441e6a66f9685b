"""The directives part of the demo: the register's documents, the province's plans with a
year and a half of tasks, the half-year review conference whose conclusion yields five
tasks (proposed from its text, as a clerk would confirm them), and an inspection with
open recommendations (issue 12's demo data).

Each step is its area's own idempotent seeder; this module orders them, finds the
province and its officer, and turns the conference's conclusion into tasks through the
proposals and the tasks' services, as the confirm page does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from danvan.accounts.models import User
from danvan.directives import demo as documents_demo
from danvan.directives.conferences import demo as conferences_demo
from danvan.directives.conferences.models import Conference
from danvan.directives.conferences.selectors import source_ref
from danvan.directives.inspections import demo as inspections_demo
from danvan.directives.proposals.extract import propose
from danvan.directives.proposals.resolve import db_resolver
from danvan.directives.tasks import demo as tasks_demo
from danvan.directives.tasks import services as task_services
from danvan.directives.tasks.models import Task
from danvan.directives.tasks.sources import ProposedTask
from danvan.units.demo import PROVINCE_CODE
from danvan.units.models import Unit, UnitKind

# A deliverable the conclusion does not name: what provinces ask for by default.
DEFAULT_DELIVERABLE = "Báo cáo kết quả thực hiện"


@dataclass
class DirectivesDemoResult:
    documents: int = 0
    inspections: int = 0
    conference_tasks: int = 0
    history: tasks_demo.TaskHistoryResult = field(default_factory=tasks_demo.TaskHistoryResult)

    @property
    def total_created(self) -> int:
        return self.history.total_created + self.conference_tasks


def demo_seed_directives() -> DirectivesDemoResult:
    result = DirectivesDemoResult()
    province = Unit.objects.filter(code=PROVINCE_CODE, kind=UnitKind.PROVINCE).first()
    if province is None:
        return result
    actor = User.objects.filter(username="tinh.canbo").first()
    today = timezone.localdate()
    result.documents = len(documents_demo.seed_documents(province, actor=actor))
    result.history = tasks_demo.demo_seed_task_history(province=province, actor=actor, today=today)
    plan = inspections_demo.seed_inspections(province, actor=actor, today=today)
    result.inspections = plan.inspections.count()
    conference = conferences_demo.seed_conferences(province, actor=actor, today=today)
    if actor is not None:
        result.conference_tasks = len(conference_tasks(conference, actor=actor, today=today))
    return result


def conference_tasks(conference: Conference, *, actor: Any, today: dt.date) -> list[Task]:
    """The conclusion's tasks, proposed from its text and confirmed as they stand (nothing
    if the conference has tasks already); the last one done on time today."""
    kind = ContentType.objects.get_for_model(Conference)
    if Task.objects.filter(source_type=kind, source_id=conference.pk).exists():
        return []
    source = source_ref(actor, str(conference.public_id))
    units = {u.pk: u for u in Unit.objects.filter(path__startswith=conference.unit.path)}
    items = []
    proposals = propose(source.text, today=today, resolver=db_resolver(conference.unit, on=today))
    for index, proposal in enumerate(proposals):
        leads = [units[r.unit_id] for r in proposal.leads if r.unit_id in units]
        if len(leads) != 1 or proposal.due is None or proposal.due.date is None:
            continue  # a clerk would choose; the demo's paragraphs each name one unit
        items.append(
            ProposedTask(
                key=f"p{index}",
                lead_unit=leads[0],
                title=proposal.action,
                deliverable=proposal.deliverable or DEFAULT_DELIVERABLE,
                coordinating_units=tuple(
                    units[r.unit_id] for r in proposal.coordinating if r.unit_id in units
                ),
                due_on=proposal.due.date,
                source_paragraph=proposal.source,
                source_anchor=f"ký tự {proposal.start}–{proposal.end}",
            )
        )
    tasks = task_services.tasks_create_from_proposals(actor=actor, source=source, items=items)
    if tasks:
        done = task_services.task_submit(
            actor=None, task=tasks[-1], result_minutes="Danh sách mô hình đã gửi đúng hạn."
        )
        task_services.task_accept(actor=actor, task=done)
    return tasks
