"""Every write of inspection plans, inspections, findings and recommendations.

Each service checks the actor's permission (policies), runs its one-pass checks
(`*_checks`: every problem the user can fix, in one DomainError), writes in one
transaction and records the audit row. A refused write raises and writes nothing. The
inspection's state moves only through TRANSITIONS, under the inspection's row lock.
*actor* None is the system itself (the demo, a loader): no permission is asked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.audit import services as audit
from danvan.core import docnumber
from danvan.core.errors import Checks, DomainError, NotFound, PermissionDenied
from danvan.core.uploads import check_upload
from danvan.directives.tasks import policies as task_policies
from danvan.directives.tasks import services as task_services
from danvan.directives.tasks.models import SourceKind, Task, TaskState
from danvan.units.models import Official, Unit

from . import policies as inspection_policies
from .errors import InspectionError
from .models import (
    Finding,
    FindingKind,
    Inspection,
    InspectionKind,
    InspectionPlan,
    InspectionState,
    InspectionTarget,
    Recommendation,
    TeamMember,
    TeamRole,
)

State = InspectionState

# The one table of which action is allowed from which state, and the state it leads to.
# The team and the units visited are settled before or during the inspection; findings
# are recorded while it runs; recommendations while it runs and with the conclusion.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "team": ((State.PLANNED, State.IN_PROGRESS), None),
    "target": ((State.PLANNED, State.IN_PROGRESS), None),
    "start": ((State.PLANNED,), State.IN_PROGRESS),
    "finding": ((State.IN_PROGRESS,), None),
    "recommend": ((State.IN_PROGRESS, State.REPORTED), None),
    "conclude": ((State.IN_PROGRESS,), State.REPORTED),
}

_ACTION_WORDS = {
    "team": gettext_lazy("thay đổi thành phần đoàn"),
    "target": gettext_lazy("thêm đơn vị được kiểm tra"),
    "start": gettext_lazy("bắt đầu"),
    "finding": gettext_lazy("ghi phát hiện"),
    "recommend": gettext_lazy("ghi kiến nghị"),
    "conclude": gettext_lazy("ghi kết luận"),
}

# The first year a plan may be for (older records are not kept here).
MIN_YEAR = 2000
# A plan is approved towards the end of the year before the one it is for.
MAX_YEARS_AHEAD = 1
# What a recommendation's task delivers when the recommendation does not say.
DEFAULT_DELIVERABLE = "Báo cáo kết quả khắc phục theo kiến nghị"


def today() -> dt.date:
    return timezone.localdate()


def _d(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def _creator(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _manage(actor: Any, plan: InspectionPlan) -> None:
    """The inspecting side's permission; out of sight answers like missing."""
    if actor is None:
        return
    policies.require(actor, Perm.DIRECTIVE_MANAGE, plan.unit)


def allowed(action: str, inspection: Inspection) -> bool:
    return inspection.state in TRANSITIONS[action][0]


def _check_state(action: str, inspection: Inspection) -> None:
    if not allowed(action, inspection):
        needed = ", ".join(f"“{State(s).label}”" for s in TRANSITIONS[action][0])
        raise DomainError(
            InspectionError.BAD_STATE.value,
            _(
                "Cuộc kiểm tra, giám sát đang ở trạng thái “%(state)s”: không thể %(action)s."
                " Chỉ %(action)s được khi ở trạng thái %(needed)s."
            )
            % {
                "state": inspection.get_state_display(),
                "action": str(_ACTION_WORDS[action]),
                "needed": needed,
            },
        )


def _locked(inspection: Inspection) -> Inspection:
    return (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("plan__unit")
        .get(pk=inspection.pk)
    )


def _year_range(year: int) -> str:
    return _("từ 01/01/%(y)s đến 31/12/%(y)s") % {"y": year}


def _in_year(checks: Checks, day: dt.date | None, plan: InspectionPlan, field: str) -> None:
    if day is not None and day.year != plan.year:
        checks.refuse(
            InspectionError.BAD_DATE.value,
            _("Ngày %(d)s không thuộc năm %(y)s của kế hoạch: chỉ ghi ngày %(range)s.")
            % {"d": _d(day), "y": plan.year, "range": _year_range(plan.year)},
            field=field,
        )


def _empty(checks: Checks, data: dict[str, Any], key: str, message: str) -> None:
    if key in data and not (data[key] or "").strip():
        checks.refuse(InspectionError.EMPTY.value, message, field=key)


# --- plans -------------------------------------------------------------------------------


def plan_checks(data: dict[str, Any], *, plan: InspectionPlan | None = None) -> str:
    """The rules on a plan's fields (plan_create's keyword names), in one pass; returns
    the decision number as written, its label ("Số:") taken off. *plan*: the plan being
    changed (its inspections must stay inside the year)."""
    checks = Checks()
    _empty(checks, data, "title", _("Cần ghi tên kế hoạch."))
    if "kind" in data and data["kind"] not in InspectionKind.values:
        checks.refuse(
            InspectionError.BAD_KIND.value,
            _("Hình thức phải là kiểm tra, giám sát, hoặc cả hai."),
            field="kind",
        )
    year = data.get("year")
    top = today().year + MAX_YEARS_AHEAD
    if "year" in data and year is None:
        checks.refuse(InspectionError.BAD_YEAR.value, _("Cần ghi năm của kế hoạch."), field="year")
    elif year is not None and not MIN_YEAR <= year <= top:
        checks.refuse(
            InspectionError.BAD_YEAR.value,
            _("Năm của kế hoạch phải từ %(min)s đến %(max)s (bạn đã nhập %(v)s).")
            % {"min": MIN_YEAR, "max": top, "v": year},
            field="year",
        )
    number = (data.get("decision_number") or "").strip()
    parsed = ""
    if number:
        try:
            parsed = docnumber.parse(number).raw
        except docnumber.DocumentNumberError as exc:
            checks.refuse(InspectionError.BAD_NUMBER.value, str(exc), field="decision_number")
    approved = data.get("approved_on")
    if approved is not None and year is not None and approved.year not in (year - 1, year):
        checks.refuse(
            InspectionError.BAD_DATE.value,
            _(
                "Kế hoạch năm %(y)s ban hành trong năm %(p)s hoặc năm %(y)s; ngày %(d)s không"
                " thuộc hai năm đó."
            )
            % {"y": year, "p": year - 1, "d": _d(approved)},
            field="approved_on",
        )
    if plan is not None and year is not None and year != plan.year:
        outside = [
            i.title
            for i in plan.inspections.all()
            if i.starts_on.year != year or i.ends_on.year != year
        ]
        if outside:
            checks.refuse(
                InspectionError.BAD_YEAR.value,
                _(
                    "Không đổi được năm sang %(y)s: lịch của các cuộc kiểm tra, giám sát sau"
                    " không thuộc năm đó: %(list)s."
                )
                % {"y": year, "list": "; ".join(outside[:5])},
                field="year",
            )
    checks.raise_if_any()
    return parsed


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    title: str,
    kind: str = InspectionKind.BOTH,
    decision_number: str = "",
    approved_on: dt.date | None = None,
    note: str = "",
) -> InspectionPlan:
    """Record *unit*'s inspection and supervision plan for *year*."""
    if actor is not None:
        policies.require(actor, Perm.DIRECTIVE_MANAGE, unit)
    data = {
        "title": title,
        "kind": kind,
        "year": year,
        "decision_number": decision_number,
        "approved_on": approved_on,
    }
    number = plan_checks(data)
    plan = InspectionPlan.objects.create(
        unit=unit,
        year=year,
        kind=kind,
        title=title.strip(),
        decision_number=number,
        approved_on=approved_on,
        note=(note or "").strip(),
        created_by=_creator(actor),
    )
    audit.record_create(actor=actor, instance=plan)
    return plan


@transaction.atomic
def plan_update(
    *,
    actor: Any,
    plan: InspectionPlan,
    year: int,
    title: str,
    kind: str,
    decision_number: str = "",
    approved_on: dt.date | None = None,
    note: str = "",
) -> InspectionPlan:
    """Change a plan's fields; its year only while every inspection stays inside it."""
    _manage(actor, plan)
    plan = InspectionPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    data = {
        "title": title,
        "kind": kind,
        "year": year,
        "decision_number": decision_number,
        "approved_on": approved_on,
    }
    number = plan_checks(data, plan=plan)
    before = audit.snapshot(plan)
    plan.year = year
    plan.title = title.strip()
    plan.kind = kind
    plan.decision_number = number
    plan.approved_on = approved_on
    plan.note = (note or "").strip()
    plan.save()
    audit.record_update(actor=actor, instance=plan, before=before)
    return plan


# --- inspections and the units they visit ------------------------------------------------


@dataclass(frozen=True)
class TargetSpec:
    """A unit to visit and, when known, its day."""

    unit: Unit
    scheduled_on: dt.date | None = None


def _target_unit_check(checks: Checks, unit: Unit, plan: InspectionPlan, field: str) -> None:
    if not unit.is_descendant_of(plan.unit):
        checks.refuse(
            InspectionError.BAD_UNIT.value,
            _(
                "“%(unit)s” không thuộc “%(top)s”: chỉ kiểm tra, giám sát “%(top)s” và các đơn"
                " vị trực thuộc."
            )
            % {"unit": unit.name, "top": plan.unit.name},
            field=field,
        )
    elif policies.is_ended(unit):
        checks.refuse(
            InspectionError.BAD_UNIT.value,
            _("“%(unit)s” đã kết thúc hoạt động: không kiểm tra, giám sát đơn vị này.")
            % {"unit": unit.name},
            field=field,
        )


def _scheduled_check(
    checks: Checks,
    day: dt.date | None,
    starts: dt.date | None,
    ends: dt.date | None,
    unit: Unit,
    field: str,
) -> None:
    if day is None or starts is None or ends is None:
        return
    if not starts <= day <= ends:
        checks.refuse(
            InspectionError.BAD_DATE.value,
            _(
                "Ngày làm việc với “%(unit)s” (%(d)s) phải trong thời gian của cuộc kiểm tra,"
                " giám sát: từ %(s)s đến %(e)s."
            )
            % {"unit": unit.name, "d": _d(day), "s": _d(starts), "e": _d(ends)},
            field=field,
        )


def _specs(targets: Sequence[Unit | TargetSpec]) -> list[TargetSpec]:
    return [t if isinstance(t, TargetSpec) else TargetSpec(t) for t in targets]


def inspection_checks(data: dict[str, Any], *, plan: InspectionPlan) -> None:
    """The rules on a new inspection (inspection_create's keyword names), in one pass."""
    checks = Checks()
    _empty(checks, data, "title", _("Cần ghi tên cuộc kiểm tra, giám sát."))
    starts, ends = data.get("starts_on"), data.get("ends_on")
    for key, day in (("starts_on", starts), ("ends_on", ends)):
        if key in data and day is None:
            checks.refuse(
                InspectionError.BAD_DATE.value,
                _("Cần ghi ngày (dd/mm/yyyy), %(range)s.") % {"range": _year_range(plan.year)},
                field=key,
            )
        _in_year(checks, day, plan, key)
    if starts is not None and ends is not None and ends < starts:
        checks.refuse(
            InspectionError.BAD_DATE.value,
            _("Ngày kết thúc phải từ ngày bắt đầu (%(d)s) trở đi.") % {"d": _d(starts)},
            field="ends_on",
        )
    if "targets" in data:
        specs = _specs(data["targets"] or [])
        if not specs:
            checks.refuse(
                InspectionError.BAD_TARGET.value,
                _("Cần chọn ít nhất một đơn vị được kiểm tra, giám sát."),
                field="targets",
            )
        seen: set[int] = set()
        for spec in specs:
            if spec.unit.pk in seen:
                checks.refuse(
                    InspectionError.BAD_TARGET.value,
                    _("“%(unit)s” được chọn hai lần.") % {"unit": spec.unit.name},
                    field="targets",
                )
            seen.add(spec.unit.pk)
            _target_unit_check(checks, spec.unit, plan, "targets")
            _scheduled_check(checks, spec.scheduled_on, starts, ends, spec.unit, "targets")
    checks.raise_if_any()


@transaction.atomic
def inspection_create(
    *,
    actor: Any,
    plan: InspectionPlan,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    targets: Sequence[Unit | TargetSpec],
    subject: str = "",
) -> Inspection:
    """An inspection of *plan*, visiting *targets* (units inside the plan unit's subtree),
    scheduled within the plan's year."""
    _manage(actor, plan)
    specs = _specs(targets)
    inspection_checks(
        {"title": title, "starts_on": starts_on, "ends_on": ends_on, "targets": specs}, plan=plan
    )
    inspection = Inspection.objects.create(
        plan=plan,
        title=title.strip(),
        subject=(subject or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=_creator(actor),
    )
    audit.record_create(actor=actor, instance=inspection)
    for spec in specs:
        target = InspectionTarget.objects.create(
            inspection=inspection, unit=spec.unit, scheduled_on=spec.scheduled_on
        )
        audit.record_create(actor=actor, instance=target)
    return inspection


def target_checks(data: dict[str, Any], *, inspection: Inspection) -> None:
    """The rules on one more unit to visit (target_add's keyword names)."""
    checks = Checks()
    unit = data.get("unit")
    if isinstance(unit, Unit):
        _target_unit_check(checks, unit, inspection.plan, "unit")
        if inspection.targets.filter(unit=unit).exists():
            checks.refuse(
                InspectionError.BAD_TARGET.value,
                _("“%(unit)s” đã có trong danh sách đơn vị được kiểm tra, giám sát.")
                % {"unit": unit.name},
                field="unit",
            )
        _scheduled_check(
            checks,
            data.get("scheduled_on"),
            inspection.starts_on,
            inspection.ends_on,
            unit,
            "scheduled_on",
        )
    checks.raise_if_any()


@transaction.atomic
def target_add(
    *,
    actor: Any,
    inspection: Inspection,
    unit: Unit,
    scheduled_on: dt.date | None = None,
) -> InspectionTarget:
    _manage(actor, inspection.plan)
    target_checks({"unit": unit, "scheduled_on": scheduled_on}, inspection=inspection)
    inspection = _locked(inspection)
    _check_state("target", inspection)
    target = InspectionTarget.objects.create(
        inspection=inspection, unit=unit, scheduled_on=scheduled_on
    )
    audit.record_create(actor=actor, instance=target)
    return target


# --- the team ----------------------------------------------------------------------------


def team_checks(data: dict[str, Any], *, inspection: Inspection) -> None:
    """The rules on a team member (team_member_add's keyword names), in one pass."""
    checks = Checks()
    role = data.get("role")
    if "role" in data and role not in TeamRole.values:
        checks.refuse(
            InspectionError.BAD_MEMBER.value,
            _("Vai trò phải là trưởng đoàn, thành viên hoặc thư ký."),
            field="role",
        )
    official: Official | None = data.get("official")
    name = (data.get("full_name") or "").strip()
    position = (data.get("position") or "").strip()
    if official is not None and name:
        checks.refuse(
            InspectionError.BAD_MEMBER.value,
            _("Chọn cán bộ trong danh bạ hoặc ghi họ tên người ngoài danh bạ, không ghi cả hai."),
            field="full_name",
        )
    elif official is None and not name:
        checks.refuse(
            InspectionError.BAD_MEMBER.value,
            _("Chọn cán bộ trong danh bạ, hoặc ghi họ tên và chức vụ."),
            field="official",
        )
    elif official is None and not position:
        checks.refuse(
            InspectionError.BAD_MEMBER.value,
            _("Cần ghi chức vụ của %(name)s.") % {"name": name},
            field="position",
        )
    team = list(inspection.team.select_related("official"))
    if role == TeamRole.LEADER:
        leader = next((m for m in team if m.role == TeamRole.LEADER), None)
        if leader is not None:
            checks.refuse(
                InspectionError.BAD_MEMBER.value,
                _("Đoàn đã có trưởng đoàn (%(name)s): mỗi đoàn chỉ có một trưởng đoàn.")
                % {"name": leader.name},
                field="role",
            )
    if official is not None:
        if any(m.official_id == official.pk for m in team):
            checks.refuse(
                InspectionError.BAD_MEMBER.value,
                _("%(name)s đã có trong đoàn.") % {"name": official.full_name},
                field="official",
            )
        if not official.unit.is_descendant_of(inspection.plan.unit):
            checks.refuse(
                InspectionError.BAD_MEMBER.value,
                _(
                    "%(name)s công tác tại “%(unit)s”, không thuộc “%(top)s”: ghi họ tên và"
                    " chức vụ nếu là người ngoài danh bạ."
                )
                % {
                    "name": official.full_name,
                    "unit": official.unit.name,
                    "top": inspection.plan.unit.name,
                },
                field="official",
            )
    checks.raise_if_any()


@transaction.atomic
def team_member_add(
    *,
    actor: Any,
    inspection: Inspection,
    role: str,
    official: Official | None = None,
    full_name: str = "",
    position: str = "",
) -> TeamMember:
    """Add a member to the team: an official of the directory or a name and position."""
    _manage(actor, inspection.plan)
    inspection = _locked(inspection)
    _check_state("team", inspection)
    team_checks(
        {"role": role, "official": official, "full_name": full_name, "position": position},
        inspection=inspection,
    )
    member = TeamMember.objects.create(
        inspection=inspection,
        official=official,
        full_name="" if official is not None else full_name.strip(),
        position="" if official is not None else position.strip(),
        role=role,
    )
    audit.record_create(actor=actor, instance=member)
    return member


# --- the inspection's course -------------------------------------------------------------


@transaction.atomic
def inspection_start(*, actor: Any, inspection: Inspection) -> Inspection:
    """The team starts work: it needs a leader and at least one unit to visit."""
    _manage(actor, inspection.plan)
    inspection = _locked(inspection)
    _check_state("start", inspection)
    checks = Checks()
    if not inspection.team.filter(role=TeamRole.LEADER).exists():
        checks.refuse(
            InspectionError.BAD_MEMBER.value,
            _("Đoàn chưa có trưởng đoàn: thêm trưởng đoàn trước khi bắt đầu."),
        )
    if not inspection.targets.exists():
        checks.refuse(
            InspectionError.BAD_TARGET.value,
            _("Chưa có đơn vị được kiểm tra, giám sát."),
        )
    checks.raise_if_any()
    before = audit.snapshot(inspection)
    inspection.state = State.IN_PROGRESS
    inspection.save(update_fields=["state", "updated_at"])
    audit.record_update(actor=actor, instance=inspection, before=before)
    return inspection


def _reopens(kind: str, task: Task | None) -> bool:
    """A shortcoming or a violation found in a closed task's work reopens it; a good
    practice only refers to it."""
    return task is not None and task.state == TaskState.CLOSED and kind != FindingKind.GOOD


def finding_checks(data: dict[str, Any], *, target: InspectionTarget, actor: Any = None) -> None:
    """The rules on a finding (finding_record's keyword names), in one pass."""
    checks = Checks()
    _empty(checks, data, "text", _("Cần ghi nội dung phát hiện."))
    kind = data.get("kind")
    if "kind" in data and kind not in FindingKind.values:
        checks.refuse(
            InspectionError.BAD_KIND.value,
            _("Loại phát hiện phải là ưu điểm, hạn chế hoặc vi phạm."),
            field="kind",
        )
    task: Task | None = data.get("task")
    if task is not None:
        if not task.lead_unit.is_descendant_of(target.unit):
            checks.refuse(
                InspectionError.BAD_TASK.value,
                _(
                    "Nhiệm vụ “%(task)s” do “%(lead)s” chủ trì, không phải “%(unit)s”: chỉ gắn"
                    " nhiệm vụ của đơn vị được kiểm tra."
                )
                % {"task": task.title[:80], "lead": task.lead_unit.name, "unit": target.unit.name},
                field="task",
            )
        elif (
            _reopens(str(kind), task)
            and actor is not None
            and not task_policies.can_manage(actor, task)
        ):
            checks.refuse(
                InspectionError.BAD_TASK.value,
                _(
                    "Nhiệm vụ “%(task)s” đã nghiệm thu; phát hiện này sẽ mở lại nhiệm vụ, nhưng"
                    " chỉ “%(assigner)s” (đơn vị giao) mới mở lại được. Hãy đề nghị đơn vị đó,"
                    " hoặc ghi phát hiện không gắn nhiệm vụ."
                )
                % {"task": task.title[:80], "assigner": task.assigner_unit.name},
                field="task",
            )
    checks.raise_if_any()


def finding_ref(target: InspectionTarget) -> str:
    """How a task's history names the inspection whose finding reopened it."""
    inspection = target.inspection
    number = inspection.plan.decision_number
    plan = f" ({number})" if number else ""
    return f"{inspection.title}{plan} — {target.unit.name}"


@transaction.atomic
def finding_record(
    *,
    actor: Any,
    target: InspectionTarget,
    kind: str,
    text: str,
    task: Task | None = None,
) -> Finding:
    """Record what the team found at *target*. A shortcoming or violation concerning a
    closed task reopens the task (tasks.services.task_reopen), the finding as reason."""
    inspection = target.inspection
    _manage(actor, inspection.plan)
    if task is not None and actor is not None and not task_policies.can_view(actor, task):
        raise NotFound()
    finding_checks({"kind": kind, "text": text, "task": task}, target=target, actor=actor)
    locked = _locked(inspection)
    _check_state("finding", locked)
    finding = Finding.objects.create(
        target=target, kind=kind, text=text.strip(), task=task, created_by=_creator(actor)
    )
    if task is not None and _reopens(kind, task):
        task_services.task_reopen(
            actor=actor,
            task=task,
            reason=finding.text,
            finding_ref=finding_ref(target),
            finding=finding,
        )
        finding.reopened_task = True
        finding.save(update_fields=["reopened_task", "updated_at"])
    audit.record_create(actor=actor, instance=finding)
    return finding


def _task_field(field: str | None) -> str | None:
    """The recommendation form's name of a task field the tasks' checks refused."""
    return {"title": "text", "lead_unit": None}.get(field or "", field)


def recommendation_checks(data: dict[str, Any], *, target: InspectionTarget) -> None:
    """The rules on a recommendation (recommendation_record's keyword names), with the
    rules on the task it becomes (tasks.services.task_checks), in one pass."""
    checks = Checks()
    _empty(checks, data, "text", _("Cần ghi nội dung kiến nghị."))
    due = data.get("due_on")
    inspection = target.inspection
    if "due_on" in data and due is None:
        checks.refuse(
            InspectionError.BAD_DATE.value,
            _("Cần ghi thời hạn thực hiện kiến nghị (dd/mm/yyyy)."),
            field="due_on",
        )
    elif due is not None and due < inspection.starts_on:
        checks.refuse(
            InspectionError.BAD_DATE.value,
            _(
                "Thời hạn %(d)s trước ngày bắt đầu kiểm tra, giám sát (%(s)s): thời hạn phải từ"
                " ngày %(s)s trở đi."
            )
            % {"d": _d(due), "s": _d(inspection.starts_on)},
            field="due_on",
        )
    finding: Finding | None = data.get("finding")
    if finding is not None and finding.target_id != target.pk:
        checks.refuse(
            InspectionError.BAD_TARGET.value,
            _("Phát hiện được chọn không thuộc “%(unit)s”.") % {"unit": target.unit.name},
            field="finding",
        )
    if not checks:
        # The task's own rules (due date not long past, unit still active …), named by
        # this form's fields.
        try:
            task_services.task_checks(
                {
                    "title": data.get("text", ""),
                    "deliverable": data.get("deliverable") or DEFAULT_DELIVERABLE,
                    "due_on": due,
                    "lead_unit": target.unit,
                },
                assigner_unit=inspection.plan.unit,
            )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            for problem in exc.problems:
                checks.refuse(problem.code, problem.message, field=_task_field(problem.field))
    checks.raise_if_any()


@transaction.atomic
def recommendation_record(
    *,
    actor: Any,
    target: InspectionTarget,
    text: str,
    due_on: dt.date,
    finding: Finding | None = None,
    deliverable: str = "",
) -> Recommendation:
    """Record a recommendation to *target*'s unit; the same call assigns it as a task of
    that unit, given by the plan's unit, its source this recommendation."""
    inspection = target.inspection
    plan = inspection.plan
    _manage(actor, plan)
    recommendation_checks(
        {"text": text, "due_on": due_on, "finding": finding, "deliverable": deliverable},
        target=target,
    )
    locked = _locked(inspection)
    _check_state("recommend", locked)
    rec = Recommendation.objects.create(
        target=target,
        finding=finding,
        text=text.strip(),
        due_on=due_on,
        created_by=_creator(actor),
    )
    rec.task = task_services.task_create(
        actor=actor,
        lead_unit=target.unit,
        assigner_unit=plan.unit,
        title=rec.text[:500],
        deliverable=(deliverable or "").strip() or DEFAULT_DELIVERABLE,
        due_on=due_on,
        source_kind=SourceKind.INSPECTION,
        source=rec,
        source_paragraph=rec.text,
        source_anchor=inspection.title[:100],
    )
    rec.save(update_fields=["task", "updated_at"])
    audit.record_create(actor=actor, instance=rec)
    return rec


def conclusion_checks(data: dict[str, Any], *, inspection: Inspection) -> dt.date | None:
    """The rules on the conclusion (inspection_conclude's keyword names); returns the day."""
    checks = Checks()
    _empty(checks, data, "conclusion", _("Cần ghi kết luận."))
    day = data.get("concluded_on") or today()
    year = inspection.plan.year
    if day < inspection.starts_on or day.year > year + 1:
        checks.refuse(
            InspectionError.BAD_DATE.value,
            _(
                "Ngày kết luận %(d)s phải từ ngày bắt đầu kiểm tra, giám sát (%(s)s) đến hết"
                " năm %(y)s."
            )
            % {"d": _d(day), "s": _d(inspection.starts_on), "y": year + 1},
            field="concluded_on",
        )
    elif day > today():
        # A conclusion is recorded once it is signed, not ahead of it.
        checks.refuse(
            InspectionError.BAD_DATE.value,
            _("Ngày kết luận %(d)s chưa đến: ghi ngày đã ký kết luận, đến hôm nay (%(t)s).")
            % {"d": _d(day), "t": _d(today())},
            field="concluded_on",
        )
    upload = data.get("report_file")
    if upload is not None:
        with checks.collect():
            check_upload(upload, code=InspectionError.BAD_FILE.value, field="report_file")
    checks.raise_if_any()
    return day


@transaction.atomic
def inspection_conclude(
    *,
    actor: Any,
    inspection: Inspection,
    conclusion: str,
    concluded_on: dt.date | None = None,
    report_file: UploadedFile | None = None,
) -> Inspection:
    """Record the conclusion (and its report, checked by content): the inspection is
    reported. Recommendations may still be added with it."""
    _manage(actor, inspection.plan)
    day = conclusion_checks(
        {"conclusion": conclusion, "concluded_on": concluded_on, "report_file": report_file},
        inspection=inspection,
    )
    inspection = _locked(inspection)
    _check_state("conclude", inspection)
    before = audit.snapshot(inspection)
    inspection.state = State.REPORTED
    inspection.conclusion = conclusion.strip()
    inspection.concluded_on = day
    if report_file is not None:
        inspection.report_file.save(report_file.name or "ket-luan", report_file, save=False)
    inspection.save()
    audit.record_update(actor=actor, instance=inspection, before=before)
    return inspection


# --- the inspected unit's answer ---------------------------------------------------------


@transaction.atomic
def recommendation_answer(
    *, actor: Any, recommendation: Recommendation, answer: str
) -> Recommendation:
    """The inspected unit answers a recommendation (what it did or will do). Its progress
    and closure are the task's, on the task pages. A later answer replaces the earlier
    one; the audit trail keeps both."""
    if actor is not None:
        if not inspection_policies.sees_target(actor, recommendation.target):
            raise NotFound()
        if not inspection_policies.can_answer(actor, recommendation):
            unit = recommendation.target.unit
            if policies.is_ended(unit):
                raise policies.ended_refusal(unit)
            raise PermissionDenied(unit=unit)
    checks = Checks()
    _empty(checks, {"answer": answer}, "answer", _("Cần ghi nội dung trả lời."))
    checks.raise_if_any()
    rec = Recommendation.objects.select_for_update(of=("self",)).get(pk=recommendation.pk)
    before = audit.snapshot(rec)
    rec.answer = answer.strip()
    rec.answered_on = today()
    rec.answered_by = _creator(actor)
    rec.save(update_fields=["answer", "answered_on", "answered_by", "updated_at"])
    audit.record_update(actor=actor, instance=rec, before=before)
    return rec
