"""Every write of plans and tasks.

Each service checks the actor's permission (tasks.policies), runs its one-pass checks
(`*_checks`: every problem the user can fix, in one DomainError), writes in one
transaction, records the audit row and appends the task's event. A refused write
raises and writes nothing. The lifecycle state moves only through TRANSITIONS, under
the task's row lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.models import RoleGrant
from danvan.accounts.policies import ROLE_PERMS, Perm
from danvan.audit import services as audit
from danvan.core import docnumber
from danvan.core.errors import Checks, DomainError, NotFound, PermissionDenied
from danvan.core.uploads import check_upload
from danvan.legal.workdays import WorkCalendar
from danvan.units.models import Unit
from danvan.worklist.models import Notice
from danvan.worklist.services import notice_send

from . import policies as task_policies
from .errors import TaskError
from .models import EventKind, Plan, SourceKind, Task, TaskEvent, TaskState
from .sources import ProposedTask, SourceRef

State = TaskState

# The one table of which action is allowed from which state, and the state it leads to
# (drawn in docs/directives-tasks.md). Progress and delegation leave the state as it is.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "report": ((State.OPEN,), None),
    "delegate": ((State.OPEN,), None),
    "submit": ((State.OPEN,), State.SUBMITTED),
    "accept": ((State.SUBMITTED,), State.CLOSED),
    "return": ((State.SUBMITTED,), State.OPEN),
    # An inspection finding reopens a closed task (the deliverable fell short).
    "reopen": ((State.CLOSED,), State.OPEN),
    "cancel": ((State.OPEN, State.SUBMITTED), State.CANCELLED),
}

# What each refused action says (the state it needs is named by _refuse_state).
_ACTION_WORDS = {
    "report": _("báo cáo tiến độ"),
    "delegate": _("giao tiếp cho cấp dưới"),
    "submit": _("nộp sản phẩm"),
    "accept": _("nghiệm thu"),
    "return": _("trả lại"),
    "reopen": _("mở lại"),
    "cancel": _("hủy"),
}

# A due date given as "N working days from an event": at most about a year of work.
MAX_DUE_WORKING_DAYS = 250
# A task may be recorded after its deadline (the backlog of an older document), but a
# deadline more than this far back is a mistyped year, not a task to follow.
MAX_PAST_DUE_DAYS = 90
# And no deadline further ahead than a Party-committee term.
MAX_FUTURE_DUE_YEARS = 5


def today() -> dt.date:
    return timezone.localdate()


def _error(code: TaskError, message: str, field: str | None = None) -> DomainError:
    return DomainError(code.value, message, field=field)


def _d(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def _creator(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def allowed(action: str, task: Task) -> bool:
    return task.state in TRANSITIONS[action][0]


def _check_state(action: str, task: Task) -> None:
    if not allowed(action, task):
        needed = ", ".join(f"“{State(s).label}”" for s in TRANSITIONS[action][0])
        raise _error(
            TaskError.BAD_STATE,
            _(
                "Nhiệm vụ đang ở trạng thái “%(state)s”: không thể %(action)s. Chỉ %(action)s"
                " được khi nhiệm vụ ở trạng thái %(needed)s."
            )
            % {
                "state": task.get_state_display(),
                "action": _ACTION_WORDS[action],
                "needed": needed,
            },
        )


def _move(action: str, task: Task) -> None:
    _check_state(action, task)
    target = TRANSITIONS[action][1]
    if target is not None:
        task.state = target


def _locked(task: Task) -> Task:
    """The task's row, locked until the transaction ends, with what the checks read."""
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related("lead_unit", "assigner_unit", "plan")
        .get(pk=task.pk)
    )


def _event(
    task: Task,
    kind: str,
    actor: Any,
    *,
    note: str = "",
    percent: int | None = None,
    evidence: UploadedFile | None = None,
    data: dict[str, Any] | None = None,
) -> TaskEvent:
    event = TaskEvent(
        task=task,
        kind=kind,
        actor=_creator(actor),
        at=timezone.now(),
        note=note,
        percent=percent,
        data=data or {},
    )
    if evidence is not None:
        event.evidence.save(evidence.name or "minh-chung", evidence, save=False)
    event.save()
    return event


def _require_view(actor: Any, task: Task) -> None:
    if actor is not None and not task_policies.can_view(actor, task):
        raise NotFound()


def _require(actor: Any, allowed_: bool, unit: Unit) -> None:
    """actor None: the system itself (a loader, a command)."""
    if actor is None or allowed_:
        return
    if policies.is_ended(unit):
        raise policies.ended_refusal(unit)
    raise PermissionDenied(unit=unit)


# --- due dates ----------------------------------------------------------------------------


def resolve_due(
    *,
    due_on: dt.date | None,
    due_working_days: int | None,
    due_from_date: dt.date | None,
    calendar: WorkCalendar | None = None,
) -> dt.date | None:
    """The due date: the date given, or the N-th working day after the event's date on
    the working-day calendar (the event's day itself is not counted). None when neither
    is complete (the checks say why)."""
    if due_working_days is not None and due_from_date is not None:
        return (calendar or WorkCalendar()).add_working_days(due_from_date, due_working_days)
    return due_on


def _due_checks(checks: Checks, data: dict[str, Any]) -> dt.date | None:
    """Check the due date in *data* (one of the two ways); the resolved date or None."""
    due_on = data.get("due_on")
    days = data.get("due_working_days")
    event = (data.get("due_from_event") or "").strip()
    from_date = data.get("due_from_date")
    relative = days is not None or bool(event) or from_date is not None
    if due_on is not None and relative:
        checks.refuse(
            TaskError.BAD_DUE,
            _(
                "Chỉ ghi thời hạn theo một cách: một ngày cụ thể, hoặc số ngày làm việc kể từ"
                " một sự kiện. Hãy để trống cách còn lại."
            ),
            field="due_on",
        )
        return None
    if not relative:
        if due_on is None and "due_on" in data:
            checks.refuse(
                TaskError.BAD_DUE,
                _(
                    "Cần ghi thời hạn: một ngày (dd/mm/yyyy), hoặc số ngày làm việc kể từ một"
                    " sự kiện."
                ),
                field="due_on",
            )
        return due_on if isinstance(due_on, dt.date) else None
    ok = True
    if days is None:
        checks.refuse(TaskError.BAD_DUE, _("Cần ghi số ngày làm việc."), field="due_working_days")
        ok = False
    elif not 1 <= days <= MAX_DUE_WORKING_DAYS:
        checks.refuse(
            TaskError.BAD_DUE,
            _("Số ngày làm việc phải từ 1 đến %(n)s (bạn đã nhập %(v)s).")
            % {"n": MAX_DUE_WORKING_DAYS, "v": days},
            field="due_working_days",
        )
        ok = False
    if not event:
        checks.refuse(
            TaskError.BAD_DUE,
            _("Cần ghi sự kiện tính thời hạn, ví dụ: “ngày ký kế hoạch”, “ngày hội nghị”."),
            field="due_from_event",
        )
        ok = False
    if from_date is None:
        if "due_from_date" in data:
            checks.refuse(
                TaskError.BAD_DUE,
                _("Cần ghi ngày diễn ra sự kiện (dd/mm/yyyy)."),
                field="due_from_date",
            )
        ok = False
    if not ok:
        return None
    return resolve_due(due_on=None, due_working_days=days, due_from_date=from_date)


def _due_field(data: dict[str, Any]) -> str:
    return "due_working_days" if data.get("due_working_days") is not None else "due_on"


def task_checks(
    data: dict[str, Any],
    *,
    plan: Plan | None = None,
    parent: Task | None = None,
    assigner_unit: Unit | None = None,
) -> None:
    """The rules on a new task's fields, for the keys present in *data* (task_create's
    and task_delegate's keyword names); one DomainError lists every problem. The forms
    run it too. *parent*: a sub-task delegated from it."""
    checks = Checks()
    if "title" in data and not (data["title"] or "").strip():
        checks.refuse(TaskError.EMPTY, _("Cần ghi nội dung nhiệm vụ."), field="title")
    if "deliverable" in data and not (data["deliverable"] or "").strip():
        checks.refuse(
            TaskError.EMPTY,
            _("Cần ghi sản phẩm dự kiến, ví dụ: “báo cáo kết quả”, “kế hoạch triển khai”."),
            field="deliverable",
        )
    if "source_kind" in data and data["source_kind"] not in (None, "", *SourceKind.values):
        checks.refuse(TaskError.BAD_SOURCE, _("Nguồn giao không hợp lệ."), field="source_kind")
    due = _due_checks(checks, data)
    field = _due_field(data)
    if due is not None:
        now = today()
        if due < now - dt.timedelta(days=MAX_PAST_DUE_DAYS):
            checks.refuse(
                TaskError.BAD_DUE,
                _(
                    "Thời hạn %(due)s đã qua hơn %(n)s ngày; hãy kiểm tra lại (thường là nhầm"
                    " năm). Thời hạn phải từ %(min)s trở đi."
                )
                % {
                    "due": _d(due),
                    "n": MAX_PAST_DUE_DAYS,
                    "min": _d(now - dt.timedelta(days=MAX_PAST_DUE_DAYS)),
                },
                field=field,
            )
        elif due.year > now.year + MAX_FUTURE_DUE_YEARS:
            checks.refuse(
                TaskError.BAD_DUE,
                _("Thời hạn %(due)s quá xa: tối đa đến hết năm %(y)s.")
                % {"due": _d(due), "y": now.year + MAX_FUTURE_DUE_YEARS},
                field=field,
            )
        if plan is not None and due < plan.starts_on:
            checks.refuse(
                TaskError.BAD_DUE,
                _(
                    "Thời hạn %(due)s trước ngày bắt đầu của kế hoạch (%(start)s): thời hạn"
                    " phải từ ngày %(start)s trở đi."
                )
                % {"due": _d(due), "start": _d(plan.starts_on)},
                field=field,
            )
        if parent is not None and due > parent.due_on:
            checks.refuse(
                TaskError.BAD_DUE,
                _(
                    "Thời hạn %(due)s sau thời hạn của nhiệm vụ cấp trên (%(parent)s): nhiệm"
                    " vụ giao tiếp phải xong trước hoặc đúng ngày %(parent)s."
                )
                % {"due": _d(due), "parent": _d(parent.due_on)},
                field=field,
            )
    lead = data.get("lead_unit")
    if isinstance(lead, Unit):
        with checks.collect():
            _lead_unit_check(lead, parent=parent, assigner_unit=assigner_unit)
    coordinating = data.get("coordinating_units") or []
    if isinstance(lead, Unit) and any(u.pk == lead.pk for u in coordinating):
        checks.refuse(
            TaskError.BAD_UNIT,
            _("Đơn vị chủ trì “%(unit)s” không đồng thời là đơn vị phối hợp.")
            % {"unit": lead.name},
            field="coordinating_units",
        )
    ended = [u.name for u in coordinating if policies.is_ended(u)]
    if ended:
        checks.refuse(
            TaskError.BAD_UNIT,
            _("Đơn vị đã kết thúc hoạt động không nhận nhiệm vụ: %(units)s.")
            % {"units": ", ".join(ended)},
            field="coordinating_units",
        )
    checks.raise_if_any()


def _lead_unit_check(lead: Unit, *, parent: Task | None, assigner_unit: Unit | None) -> None:
    if policies.is_ended(lead):
        raise _error(
            TaskError.BAD_UNIT,
            _("“%(unit)s” đã kết thúc hoạt động: không giao nhiệm vụ cho đơn vị này.")
            % {"unit": lead.name},
            "lead_unit",
        )
    if parent is not None:
        # Delegation goes downwards: strictly inside the parent's lead unit's subtree.
        top = parent.lead_unit
        if lead.pk == top.pk or not lead.is_descendant_of(top):
            raise _error(
                TaskError.BAD_UNIT,
                _(
                    "Chỉ giao tiếp cho đơn vị cấp dưới của “%(top)s”; “%(unit)s” không thuộc"
                    " đơn vị này."
                )
                % {"top": top.name, "unit": lead.name},
                "lead_unit",
            )
    elif assigner_unit is not None and not lead.is_descendant_of(assigner_unit):
        raise _error(
            TaskError.BAD_UNIT,
            _(
                "“%(unit)s” không thuộc “%(assigner)s”: chỉ giao nhiệm vụ cho chính đơn vị"
                " giao hoặc đơn vị trực thuộc."
            )
            % {"unit": lead.name, "assigner": assigner_unit.name},
            "lead_unit",
        )


# --- plans -------------------------------------------------------------------------------


def plan_checks(data: dict[str, Any]) -> None:
    """The rules on a plan's fields (plan_create's keyword names), in one pass."""
    checks = Checks()
    if "title" in data and not (data["title"] or "").strip():
        checks.refuse(TaskError.EMPTY, _("Cần ghi tên kế hoạch."), field="title")
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if starts is not None and ends is not None and ends < starts:
        checks.refuse(
            TaskError.BAD_DATE,
            _("Ngày kết thúc phải từ ngày bắt đầu (%(d)s) trở đi.") % {"d": _d(starts)},
            field="ends_on",
        )
    document = data.get("document")
    if starts is not None and document is not None and starts < document.issued_on:
        checks.refuse(
            TaskError.BAD_DATE,
            _(
                "Kế hoạch thực hiện văn bản %(number)s ban hành ngày %(d)s: ngày bắt đầu phải"
                " từ ngày %(d)s trở đi."
            )
            % {"number": document.number, "d": _d(document.issued_on)},
            field="starts_on",
        )
    checks.raise_if_any()


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    unit: Unit,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    document: Any = None,
) -> Plan:
    """Record a plan of *unit* (from *document* of the register, or on its own)."""
    if actor is not None:  # None: the system itself (a loader, a command)
        policies.require(actor, Perm.DIRECTIVE_MANAGE, unit)
        if document is not None and not policies.has_perm(
            actor, Perm.DIRECTIVE_VIEW, document.unit
        ):
            raise NotFound()
    plan_checks({"title": title, "starts_on": starts_on, "ends_on": ends_on, "document": document})
    plan = Plan.objects.create(
        unit=unit,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        document=document,
        created_by=_creator(actor),
    )
    audit.record_create(actor=actor, instance=plan)
    return plan


# --- tasks: creation and delegation -------------------------------------------------------


def _officers_of(unit: Unit) -> list[Any]:
    """The people of *unit* who report on its tasks: grants on the unit itself (not on
    the units above, who would be told of every task of their subtree)."""
    roles = [r for r, perms in ROLE_PERMS.items() if Perm.TASK_REPORT in perms]
    grants = RoleGrant.objects.filter(unit=unit, role__in=roles).select_related("user")
    return [g.user for g in grants if g.user.is_active]


def _notify_assignment(task: Task, actor: Any) -> None:
    """Tell the lead unit's officers of the new task, once the transaction has committed
    (a refused or rolled-back creation tells nobody)."""

    def send() -> None:
        notice_send(
            users=_officers_of(task.lead_unit),
            kind=Notice.Kind.OTHER,
            title=_("Đơn vị được giao nhiệm vụ (hạn %(due)s): %(title)s")
            % {"due": _d(task.due_on), "title": task.title[:200]},
            url=task.get_absolute_url(),
            unit=task.lead_unit,
            skip=actor,
        )

    transaction.on_commit(send)


def _due_data(task: Task) -> dict[str, Any]:
    data: dict[str, Any] = {"due_on": task.due_on.isoformat()}
    if task.due_working_days is not None and task.due_from_date is not None:
        data.update(
            working_days=task.due_working_days,
            from_event=task.due_from_event,
            from_date=task.due_from_date.isoformat(),
        )
    return data


def _build(
    *,
    actor: Any,
    assigner_unit: Unit,
    lead_unit: Unit,
    coordinating_units: Sequence[Unit],
    title: str,
    description: str,
    deliverable: str,
    due: dt.date,
    due_working_days: int | None,
    due_from_event: str,
    due_from_date: dt.date | None,
    **extra: Any,
) -> Task:
    relative = due_working_days is not None
    task = Task.objects.create(
        assigner_unit=assigner_unit,
        lead_unit=lead_unit,
        title=title.strip(),
        description=(description or "").strip(),
        deliverable=deliverable.strip(),
        due_on=due,
        due_working_days=due_working_days if relative else None,
        due_from_event=(due_from_event or "").strip() if relative else "",
        due_from_date=due_from_date if relative else None,
        created_by=_creator(actor),
        **extra,
    )
    if coordinating_units:
        task.coordinating_units.set(list({u.pk: u for u in coordinating_units}.values()))
    audit.record_create(actor=actor, instance=task)
    return task


@transaction.atomic
def task_create(
    *,
    actor: Any,
    lead_unit: Unit,
    title: str,
    deliverable: str,
    plan: Plan | None = None,
    assigner_unit: Unit | None = None,
    coordinating_units: Iterable[Unit] = (),
    description: str = "",
    due_on: dt.date | None = None,
    due_working_days: int | None = None,
    due_from_event: str = "",
    due_from_date: dt.date | None = None,
    source_kind: str | None = None,
    source_document: Any = None,
    source: models.Model | None = None,
    source_paragraph: str = "",
    source_anchor: str = "",
) -> Task:
    """Assign a task of *plan* (its unit assigns) or of *assigner_unit* to *lead_unit*.

    The due date is *due_on*, or the *due_working_days*-th working day after
    *due_from_date* (the day of *due_from_event*). *source* is any record the task came
    from (a conference, an inspection's recommendation); *source_document* a document of
    the register, *source_paragraph* the exact text and *source_anchor* where it stands.
    """
    if plan is not None:
        assigner_unit = plan.unit
    if assigner_unit is None:
        raise ValueError("task_create needs a plan or an assigner_unit")
    if actor is not None:
        policies.require(actor, Perm.DIRECTIVE_MANAGE, assigner_unit)
        if source_document is not None and not policies.has_perm(
            actor, Perm.DIRECTIVE_VIEW, source_document.unit
        ):
            raise NotFound()
    coordinating = list(coordinating_units)
    data = {
        "title": title,
        "deliverable": deliverable,
        "lead_unit": lead_unit,
        "coordinating_units": coordinating,
        "due_on": due_on,
        "due_working_days": due_working_days,
        "due_from_event": due_from_event,
        "due_from_date": due_from_date,
        "source_kind": source_kind,
    }
    task_checks(data, plan=plan, assigner_unit=assigner_unit)
    due = resolve_due(due_on=due_on, due_working_days=due_working_days, due_from_date=due_from_date)
    assert due is not None  # task_checks refused a missing one
    if not source_kind:
        if source_document is not None:
            source_kind = SourceKind.DOCUMENT
        elif plan is not None:
            source_kind = SourceKind.PLAN
        else:
            source_kind = SourceKind.OTHER
    if source_document is None and plan is not None:
        source_document = plan.document
    task = _build(
        actor=actor,
        assigner_unit=assigner_unit,
        lead_unit=lead_unit,
        coordinating_units=coordinating,
        title=title,
        description=description,
        deliverable=deliverable,
        due=due,
        due_working_days=due_working_days,
        due_from_event=due_from_event,
        due_from_date=due_from_date,
        plan=plan,
        source_kind=source_kind,
        source_document=source_document,
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=source.pk if source is not None else None,
        source_paragraph=(source_paragraph or "").strip(),
        source_anchor=(source_anchor or "").strip(),
    )
    _event(task, EventKind.CREATED, actor, data=_due_data(task))
    _notify_assignment(task, actor)
    return task


@transaction.atomic
def task_delegate(
    *,
    actor: Any,
    parent: Task,
    lead_unit: Unit,
    title: str,
    deliverable: str,
    coordinating_units: Iterable[Unit] = (),
    description: str = "",
    due_on: dt.date | None = None,
    due_working_days: int | None = None,
    due_from_event: str = "",
    due_from_date: dt.date | None = None,
) -> Task:
    """Delegate part of *parent* downwards: a sub-task whose lead unit lies below the
    parent's lead unit, due no later than the parent. The parent's lead unit assigns it;
    it keeps the parent's plan and source, so the chain leads back to the paragraph."""
    _require_view(actor, parent)
    _require(actor, task_policies.can_delegate(actor, parent), parent.lead_unit)
    coordinating = list(coordinating_units)
    data = {
        "title": title,
        "deliverable": deliverable,
        "lead_unit": lead_unit,
        "coordinating_units": coordinating,
        "due_on": due_on,
        "due_working_days": due_working_days,
        "due_from_event": due_from_event,
        "due_from_date": due_from_date,
    }
    task_checks(data, parent=parent)
    parent = _locked(parent)
    _check_state("delegate", parent)
    due = resolve_due(due_on=due_on, due_working_days=due_working_days, due_from_date=due_from_date)
    assert due is not None
    child = _build(
        actor=actor,
        assigner_unit=parent.lead_unit,
        lead_unit=lead_unit,
        coordinating_units=coordinating,
        title=title,
        description=description,
        deliverable=deliverable,
        due=due,
        due_working_days=due_working_days,
        due_from_event=due_from_event,
        due_from_date=due_from_date,
        plan=parent.plan,
        parent=parent,
        root_id=parent.root_id or parent.pk,
        source_kind=parent.source_kind,
        source_document_id=parent.source_document_id,
        source_type_id=parent.source_type_id,
        source_id=parent.source_id,
        source_paragraph=parent.source_paragraph,
        source_anchor=parent.source_anchor,
    )
    _event(
        child, EventKind.CREATED, actor, data={**_due_data(child), "parent": str(parent.public_id)}
    )
    _event(
        parent,
        EventKind.DELEGATED,
        actor,
        note=child.title,
        data={"child": str(child.public_id), "lead_unit": lead_unit.code},
    )
    _notify_assignment(child, actor)
    return child


# --- progress, deliverable, acceptance ----------------------------------------------------


def progress_checks(data: dict[str, Any]) -> None:
    checks = Checks()
    percent = data.get("percent")
    if "percent" in data and percent is None:
        checks.refuse(TaskError.BAD_PERCENT, _("Cần ghi tiến độ (0–100%)."), field="percent")
    elif percent is not None and not 0 <= percent <= 100:
        checks.refuse(
            TaskError.BAD_PERCENT,
            _("Tiến độ phải từ 0 đến 100%% (bạn đã nhập %(v)s%%).") % {"v": percent},
            field="percent",
        )
    if "note" in data and not (data["note"] or "").strip():
        checks.refuse(TaskError.EMPTY, _("Cần ghi nội dung đã thực hiện, kết quả."), field="note")
    evidence = data.get("evidence")
    if evidence is not None:
        with checks.collect():
            check_upload(evidence, code=TaskError.BAD_FILE.value, field="evidence")
    checks.raise_if_any()


@transaction.atomic
def task_report_progress(
    *,
    actor: Any,
    task: Task,
    percent: int,
    note: str,
    evidence: UploadedFile | None = None,
) -> TaskEvent:
    """An assignee (lead or coordinating unit) reports progress: narrative, percent and
    an evidence file (checked by its content). Refused on a submitted or closed task."""
    _require_view(actor, task)
    _require(actor, task_policies.can_report(actor, task), task.lead_unit)
    progress_checks({"percent": percent, "note": note, "evidence": evidence})
    task = _locked(task)
    _check_state("report", task)
    before = audit.snapshot(task)
    task.progress_percent = percent
    task.save(update_fields=["progress_percent", "updated_at"])
    audit.record_update(actor=actor, instance=task, before=before)
    return _event(
        task, EventKind.PROGRESS, actor, note=note.strip(), percent=percent, evidence=evidence
    )


# States of a sub-task still under way: not yet accepted, not withdrawn.
UNDER_WAY = (State.OPEN, State.SUBMITTED)
# How many open sub-tasks a refusal names by title (the rest are counted).
_NAMED_SUBTASKS = 3


def open_subtasks(task: Task) -> list[Task]:
    """The sub-tasks delegated from *task* that are still under way (open, or submitted
    and waiting for acceptance), earliest due first."""
    return list(
        Task.objects.filter(parent_id=task.pk, state__in=UNDER_WAY)
        .select_related("lead_unit")
        .order_by("due_on", "pk")
    )


def open_subtasks_message(action: str, subtasks: Sequence[Task]) -> str:
    """Why *action* ("submit" or "accept") waits for *subtasks*, and what to do."""
    names = "; ".join(f"“{t.title[:80]}” ({t.lead_unit.name})" for t in subtasks[:_NAMED_SUBTASKS])
    if len(subtasks) > _NAMED_SUBTASKS:
        names += _(" và %(n)s nhiệm vụ khác") % {"n": len(subtasks) - _NAMED_SUBTASKS}
    return _(
        "Còn %(n)s nhiệm vụ con chưa hoàn thành: %(names)s. Hãy hoàn thành hoặc thu hồi các"
        " nhiệm vụ con trước khi %(action)s."
    ) % {"n": len(subtasks), "names": names, "action": _ACTION_WORDS[action]}


def _check_subtasks_done(action: str, task: Task) -> None:
    """A task delegated downwards closes only when its sub-tasks have: its deliverable is
    built from theirs (a parent's progress is derived from its children; issue 12). Read
    under the parent's row lock, which task_delegate takes too, so no sub-task is added
    between this check and the write."""
    subtasks = open_subtasks(task)
    if subtasks:
        raise _error(TaskError.OPEN_SUBTASKS, open_subtasks_message(action, subtasks))


def submit_checks(data: dict[str, Any]) -> str:
    """The deliverable's checks in one pass; the number as written, without the label
    officers paste with it ("Số: 15/QĐ-UBND": the parser takes it off, domain.md §6)."""
    checks = Checks()
    number = (data.get("result_number") or "").strip()
    upload = data.get("result_file")
    minutes = (data.get("result_minutes") or "").strip()
    parsed = ""
    if not (number or upload or minutes):
        checks.refuse(
            TaskError.NO_DELIVERABLE,
            _(
                "Chưa có sản phẩm: ghi số, ký hiệu văn bản kết quả, hoặc gửi tệp sản phẩm,"
                " hoặc ghi biên bản. Nhiệm vụ chỉ kết thúc khi có sản phẩm."
            ),
            field="result_number",
        )
    if number:
        try:
            parsed = docnumber.parse(number).raw
        except docnumber.DocumentNumberError as exc:
            checks.refuse(TaskError.BAD_NUMBER, str(exc), field="result_number")
    if upload is not None:
        with checks.collect():
            check_upload(upload, code=TaskError.BAD_FILE.value, field="result_file")
    checks.raise_if_any()
    return parsed


@transaction.atomic
def task_submit(
    *,
    actor: Any,
    task: Task,
    result_number: str = "",
    result_file: UploadedFile | None = None,
    result_minutes: str = "",
    note: str = "",
) -> Task:
    """The lead unit submits the deliverable: a document number (validated by the
    parser), a file (checked by content) or minutes. The task then waits for the
    assigner's acceptance."""
    _require_view(actor, task)
    _require(actor, task_policies.can_submit(actor, task), task.lead_unit)
    number = submit_checks(
        {
            "result_number": result_number,
            "result_file": result_file,
            "result_minutes": result_minutes,
        }
    )
    task = _locked(task)
    _check_state("submit", task)
    _check_subtasks_done("submit", task)
    before = audit.snapshot(task)
    _move("submit", task)
    task.submitted_on = today()
    task.result_number = number
    task.result_minutes = (result_minutes or "").strip()
    # A submission after a return replaces the earlier one; the events keep both.
    if result_file is not None:
        task.result_file.save(result_file.name or "san-pham", result_file, save=False)
    else:
        task.result_file = None
    task.save()
    audit.record_update(actor=actor, instance=task, before=before)
    _event(
        task,
        EventKind.SUBMITTED,
        actor,
        note=(note or "").strip(),
        data={
            "result_number": number,
            "result_file": task.result_file.name if task.result_file else "",
            "result_minutes": bool(task.result_minutes),
        },
    )
    return task


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise _error(TaskError.EMPTY, _("Cần ghi lý do."), field)
    return reason


@transaction.atomic
def task_accept(*, actor: Any, task: Task, note: str = "") -> Task:
    """The assigner accepts the deliverable: the task closes, done on the day it was
    submitted (the status compares that day with the due date)."""
    _require_view(actor, task)
    _require(actor, task_policies.can_manage(actor, task), task.assigner_unit)
    task = _locked(task)
    _check_state("accept", task)
    _check_subtasks_done("accept", task)
    before = audit.snapshot(task)
    _move("accept", task)
    task.completed_on = task.submitted_on or today()
    task.accepted_by = _creator(actor)
    task.accepted_at = timezone.now()
    task.progress_percent = 100
    task.save()
    audit.record_update(actor=actor, instance=task, before=before)
    _event(
        task,
        EventKind.ACCEPTED,
        actor,
        note=(note or "").strip(),
        data={"completed_on": task.completed_on.isoformat()},
    )
    return task


@transaction.atomic
def task_return(*, actor: Any, task: Task, reason: str) -> Task:
    """The assigner sends the deliverable back (not what was asked): open again."""
    _require_view(actor, task)
    _require(actor, task_policies.can_manage(actor, task), task.assigner_unit)
    reason = _reason(reason)
    task = _locked(task)
    before = audit.snapshot(task)
    _move("return", task)
    submitted = task.submitted_on
    task.submitted_on = None
    task.save()
    audit.record_update(actor=actor, instance=task, before=before)
    _event(
        task,
        EventKind.RETURNED,
        actor,
        note=reason,
        data={"submitted_on": submitted.isoformat() if submitted else None},
    )
    return task


@transaction.atomic
def task_reopen(
    *,
    actor: Any,
    task: Task,
    reason: str,
    finding_ref: str,
    finding: models.Model | None = None,
) -> Task:
    """An inspection finding reopens a closed task: it is open again, its completion
    day is cleared (it counts as not done until accepted again), and the event keeps
    what it was (the history is never rewritten). *finding_ref*: the finding's reference
    as written (a report's number, a section); *finding*: the record, when there is one."""
    _require_view(actor, task)
    _require(actor, task_policies.can_manage(actor, task), task.assigner_unit)
    checks = Checks()
    with checks.collect():
        reason = _reason(reason)
    with checks.collect():
        finding_ref = _reason(finding_ref, "finding_ref")
    checks.raise_if_any()
    task = _locked(task)
    before = audit.snapshot(task)
    _move("reopen", task)
    data: dict[str, Any] = {
        "finding_ref": finding_ref,
        "completed_on": task.completed_on.isoformat() if task.completed_on else None,
        "accepted_by": task.accepted_by_id,
    }
    if finding is not None:
        data["finding"] = [finding._meta.label_lower, finding.pk]
    task.completed_on = None
    task.submitted_on = None
    task.accepted_by = None
    task.accepted_at = None
    task.save()
    audit.record_update(actor=actor, instance=task, before=before)
    _event(task, EventKind.REOPENED, actor, note=reason, data=data)
    return task


@transaction.atomic
def task_cancel(*, actor: Any, task: Task, reason: str) -> Task:
    """The assigner cancels a task that is no longer needed; its sub-tasks still under
    way are cancelled with it. A cancelled task has no status in the counts."""
    _require_view(actor, task)
    _require(actor, task_policies.can_manage(actor, task), task.assigner_unit)
    reason = _reason(reason)
    task = _locked(task)
    _check_state("cancel", task)
    top = task.root_id or task.pk
    tree = list(
        Task.objects.select_for_update(of=("self",))
        .filter(models.Q(root_id=top) | models.Q(pk=top))
        .order_by("pk")
    )
    by_parent: dict[int | None, list[Task]] = {}
    for row in tree:
        by_parent.setdefault(row.parent_id, []).append(row)
    stack, cancelled = [task], []
    while stack:
        current = stack.pop()
        if current.state in TRANSITIONS["cancel"][0]:
            cancelled.append(current)
        stack.extend(by_parent.get(current.pk, []))
    for row in cancelled:
        before = audit.snapshot(row)
        row.state = State.CANCELLED
        row.save(update_fields=["state", "updated_at"])
        audit.record_update(actor=actor, instance=row, before=before)
        data = {} if row.pk == task.pk else {"with": str(task.public_id)}
        _event(row, EventKind.CANCELLED, actor, note=reason, data=data)
    task.refresh_from_db()
    return task


# --- tasks proposed from a source's text (issue 12, items 3 and 4) -------------------------


@transaction.atomic
def tasks_create_from_proposals(
    *, actor: Any, source: SourceRef, items: Sequence[ProposedTask]
) -> list[Task]:
    """Create the tasks the clerk kept on the proposals page, all or none.

    Every item is checked first with ``task_checks`` (as ``task_create`` would) and every
    problem of every item is reported together in one DomainError, its fields named
    "<item key>-<field>" so that each shows beside its own card; nothing is created if any
    item is refused. The tasks are assigned by the source's unit, record the source (its
    kind, the record, the sentence and where it stands) and are created in one transaction.
    """
    if actor is not None:
        policies.require(actor, Perm.DIRECTIVE_MANAGE, source.unit)
    plan = source.obj if isinstance(source.obj, Plan) else None
    checks = Checks()
    if not items:
        checks.refuse(
            TaskError.EMPTY,
            _("Không còn nhiệm vụ nào được giữ: hãy chọn “Giữ” ở ít nhất một đề xuất."),
        )
    for item in items:
        data = {
            "title": item.title,
            "deliverable": item.deliverable,
            "lead_unit": item.lead_unit,
            "coordinating_units": list(item.coordinating_units),
            "due_on": item.due_on,
            "due_working_days": item.due_working_days,
            "due_from_event": item.due_from_event,
            "due_from_date": item.due_from_date,
            "source_kind": source.kind,
        }
        try:
            task_checks(data, plan=plan, assigner_unit=source.unit)
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            for problem in exc.problems:
                field = f"{item.key}-{problem.field}" if problem.field else item.key
                checks.refuse(problem.code, problem.message, field=field)
    checks.raise_if_any()
    document = source.obj if source.kind == SourceKind.DOCUMENT else None
    return [
        task_create(
            actor=actor,
            lead_unit=item.lead_unit,
            title=item.title,
            deliverable=item.deliverable,
            plan=plan,
            assigner_unit=None if plan is not None else source.unit,
            coordinating_units=item.coordinating_units,
            due_on=item.due_on,
            due_working_days=item.due_working_days,
            due_from_event=item.due_from_event,
            due_from_date=item.due_from_date,
            source_kind=source.kind,
            source_document=document,
            # Free text (kind "other") has no record behind it: its obj is the unit.
            source=source.obj if source.kind != SourceKind.OTHER else None,
            source_paragraph=item.source_paragraph,
            source_anchor=item.source_anchor,
        )
        for item in items
    ]
