"""The digests after the daily ladder run (issue 12 item 6), after cases/alerts.py.

- An assignee (an officer who reports on the tasks of a lead unit, by a grant on that
  unit itself) gets ONE digest listing every pending task of the units they answer for:
  overdue, due soon (within the reminder's working days), or waiting for an explanation.
- A leader (a LEADER grant on a unit) gets ONE digest of the late work of the subtrees
  of their grants, grouped by lead unit.
- Nobody gets an empty one.

Only titles, units and dates: the digests go by e-mail, outside the site's permission
checks, so they carry nothing more than the worklist already shows the same person.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from danvan.accounts.models import Role, RoleGrant
from danvan.accounts.policies import ROLE_PERMS, Perm, subtree_q
from danvan.legal.workdays import WorkCalendar

from .ladder import Boundaries, Rules
from .models import Explanation, LadderStep, Task, TaskState

ASSIGNEE = "a"
LEADER = "l"


@dataclass(frozen=True)
class Line:
    title: str
    unit: str
    due_on: dt.date
    state: str  # what is pending, in words
    url: str
    late: bool

    def render(self) -> str:
        head = f"- {self.title} — {self.unit} — {_('hạn')} {self.due_on:%d/%m/%Y} — {self.state}"
        return f"{head}\n  {self.url}"


@dataclass(frozen=True)
class Digest:
    kind: str  # ASSIGNEE or LEADER
    user_id: int
    to: str  # empty: no e-mail address, the in-app notice only
    lines: list[Line] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}{self.user_id}"

    @property
    def late(self) -> int:
        return sum(line.late for line in self.lines)

    def render(self) -> tuple[str, str]:
        if self.kind == ASSIGNEE:
            subject = _("[danvan] %(n)s nhiệm vụ cần xử lý (%(late)s quá hạn)") % {
                "n": len(self.lines),
                "late": self.late,
            }
            head = [_("Các nhiệm vụ đơn vị của anh/chị chủ trì đang cần xử lý:"), ""]
            return subject, "\n".join(head + [line.render() for line in self.lines])
        subject = _("[danvan] %(n)s nhiệm vụ quá hạn trong các đơn vị thuộc quyền") % {
            "n": len(self.lines)
        }
        body = [_("Nhiệm vụ quá hạn, theo đơn vị chủ trì:")]
        by_unit: dict[str, list[Line]] = defaultdict(list)
        for line in self.lines:
            by_unit[line.unit].append(line)
        for unit in sorted(by_unit):
            body += ["", f"{unit} ({len(by_unit[unit])}):"]
            body += [line.render() for line in by_unit[unit]]
        return subject, "\n".join(body)


def _open_request() -> Exists:
    return Exists(Explanation.objects.filter(task=OuterRef("pk"), answered_at__isnull=True))


def _line(task: Task, today: dt.date, soon: dt.date, calendar: WorkCalendar) -> Line:
    """One task of a digest, with what is pending in words. *soon*: the last due date
    the reminder covers (ladder.Boundaries.remind_until)."""
    late = task.due_on < today
    if late:
        state = _("quá hạn %(n)s ngày làm việc") % {
            "n": calendar.working_days_between(task.due_on, today)
        }
    elif task.due_on <= soon:
        state = _("sắp đến hạn")
    else:
        state = _("trong hạn")
    if task.waiting:  # type: ignore[attr-defined]
        state = _("%(state)s, chờ giải trình") % {"state": state}
    if task.ladder_step == LadderStep.ESCALATED:
        state = _("%(state)s, đã báo cáo cấp trên") % {"state": state}
    return Line(task.title, task.lead_unit.name, task.due_on, state, task.get_absolute_url(), late)


def _pending(today: dt.date, bounds: Boundaries) -> QuerySet[Task]:
    return (
        Task.objects.filter(state=TaskState.OPEN)
        .annotate(waiting=_open_request())
        .filter(Q(due_on__lte=bounds.remind_until) | Q(waiting=True))
        .select_related("lead_unit")
        .order_by("due_on", "id")
    )


def assignee_digests(*, today: dt.date, calendar: WorkCalendar | None = None) -> list[Digest]:
    """One digest per officer of a lead unit with something pending."""
    calendar = calendar or WorkCalendar()
    bounds = Boundaries.compute(today=today, rules=Rules.on(today), calendar=calendar)
    by_unit: dict[int, list[Line]] = defaultdict(list)
    for task in _pending(today, bounds):
        by_unit[task.lead_unit_id].append(_line(task, today, bounds.remind_until, calendar))
    if not by_unit:
        return []
    roles = [r for r, perms in ROLE_PERMS.items() if Perm.TASK_REPORT in perms]
    grants = (
        RoleGrant.objects.filter(unit_id__in=list(by_unit), role__in=roles, user__is_active=True)
        .select_related("user")
        .order_by("user_id", "unit_id")
    )
    lines: dict[int, list[Line]] = defaultdict(list)
    to: dict[int, str] = {}
    units: dict[int, set[int]] = defaultdict(set)
    for grant in grants:
        assert grant.unit_id is not None
        if grant.unit_id in units[grant.user_id]:
            continue  # two roles on one unit: its tasks once
        units[grant.user_id].add(grant.unit_id)
        to[grant.user_id] = grant.user.email
        lines[grant.user_id] += by_unit[grant.unit_id]
    return [
        Digest(ASSIGNEE, user_id, to[user_id], sorted(rows, key=lambda r: (r.due_on, r.title)))
        for user_id, rows in lines.items()
        if rows
    ]


def leader_digests(*, today: dt.date, calendar: WorkCalendar | None = None) -> list[Digest]:
    """One digest per leader whose subtrees have late (overdue open) tasks."""
    calendar = calendar or WorkCalendar()
    grants = (
        RoleGrant.objects.filter(role=Role.LEADER, unit__isnull=False, user__is_active=True)
        .select_related("unit", "user")
        .order_by("user_id", "id")
    )
    scope: dict[int, Q] = {}
    to: dict[int, str] = {}
    for grant in grants:
        assert grant.unit is not None
        scope[grant.user_id] = scope.get(grant.user_id, Q(pk__in=[])) | subtree_q(
            grant.unit, "lead_unit__"
        )
        to[grant.user_id] = grant.user.email
    digests = []
    for user_id, q in scope.items():
        late = (
            Task.objects.filter(q, state=TaskState.OPEN, due_on__lt=today)
            .annotate(waiting=_open_request())
            .select_related("lead_unit")
            .order_by("due_on", "id")
        )
        lines = [_line(task, today, today, calendar) for task in late]
        if lines:  # no empty digests
            digests.append(Digest(LEADER, user_id, to[user_id], lines))
    return digests
