"""Writes of explanations (giải trình, domain.md §9): the assigner asks the lead unit to
explain late work, the lead unit answers (cause, remedy, proposed new date), the assigner
accepts the new date (the task's due date changes, with an event) or refuses it.

The daily ladder (ladder.py) asks too, as the system (requested_by None); these are the
doors for people. Each runs in one transaction and writes the audit row and the task's
event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.audit import services as audit
from danvan.core.errors import Checks, DomainError
from danvan.worklist.models import Notice
from danvan.worklist.services import notice_send

from . import policies as task_policies
from .errors import TaskError
from .models import Decision, EventKind, Explanation, LadderStep, Task, TaskState
from .services import _d, _event, _locked, _officers_of, _require, _require_view, today

# The order of the ladder's steps: a person's request never moves a task down.
STEP_ORDER = list(LadderStep.values)
# A proposed new date further ahead than this is not a plan to catch up but a new task.
MAX_PROPOSED_DAYS = 366


def _error(message: str, field: str | None = None) -> DomainError:
    return DomainError(TaskError.BAD_STATE.value, message, field=field)


def _notify(users: list[Any], title: str, task: Task, actor: Any) -> None:
    def send() -> None:
        notice_send(
            users=users,
            kind=Notice.Kind.OTHER,
            title=title,
            url=task.get_absolute_url(),
            unit=task.lead_unit,
            skip=actor,
        )

    transaction.on_commit(send)


def open_request(task: Task) -> Explanation | None:
    return task.explanations.filter(answered_at__isnull=True).first()


@transaction.atomic
def task_request_explanation(*, actor: Any, task: Task, note: str = "") -> Explanation:
    """The assigner asks the lead unit to explain why the task is late."""
    _require_view(actor, task)
    _require(actor, task_policies.can_manage(actor, task), task.assigner_unit)
    if actor is not None and not policies.has_perm(actor, Perm.DIRECTIVE_MANAGE, task.lead_unit):
        raise DomainError(
            TaskError.BAD_UNIT.value,
            _(
                "Đơn vị chủ trì “%(unit)s” không thuộc phạm vi quản lý của anh/chị: chỉ yêu"
                " cầu giải trình được đối với đơn vị thuộc phạm vi của mình. Đề nghị cấp"
                " quản lý đơn vị này yêu cầu."
            )
            % {"unit": task.lead_unit.name},
        )
    task = _locked(task)
    if task.state != TaskState.OPEN:
        raise _error(
            _(
                "Nhiệm vụ đang ở trạng thái “%(state)s”: chỉ yêu cầu giải trình nhiệm vụ"
                " đang thực hiện."
            )
            % {"state": task.get_state_display()}
        )
    waiting = open_request(task)
    if waiting is not None:
        raise _error(
            _(
                "Đã có yêu cầu giải trình ngày %(day)s chưa được trả lời: chờ đơn vị chủ trì"
                " giải trình trước khi yêu cầu lần nữa."
            )
            % {"day": _d(timezone.localtime(waiting.requested_at).date())}
        )
    note = (note or "").strip()
    explanation = Explanation.objects.create(
        task=task, requested_by=actor, requested_at=timezone.now(), request_note=note
    )
    audit.record_create(actor=actor, instance=explanation)
    # The request is a step of the ladder, whoever made it; never a step down.
    if STEP_ORDER.index(task.ladder_step) < STEP_ORDER.index(LadderStep.EXPLANATION_REQUESTED):
        before = audit.snapshot(task)
        task.ladder_step = LadderStep.EXPLANATION_REQUESTED
        task.ladder_at = today()
        task.save(update_fields=["ladder_step", "ladder_at", "updated_at"])
        audit.record_update(actor=actor, instance=task, before=before)
    _event(task, EventKind.EXPLANATION_REQUESTED, actor, note=note, data={"id": explanation.pk})
    _notify(
        _officers_of(task.lead_unit),
        _("Yêu cầu giải trình nhiệm vụ (hạn %(due)s): %(title)s")
        % {"due": _d(task.due_on), "title": task.title[:200]},
        task,
        actor,
    )
    return explanation


def answer_checks(data: dict[str, Any], *, now: dt.date | None = None) -> None:
    """The rules on an answer, for the form and the service alike; one error lists all."""
    now = now or today()
    checks = Checks()
    if not (data.get("cause") or "").strip():
        checks.refuse(TaskError.EMPTY.value, _("Cần ghi nguyên nhân chậm."), field="cause")
    if not (data.get("remedy") or "").strip():
        checks.refuse(TaskError.EMPTY.value, _("Cần ghi giải pháp khắc phục."), field="remedy")
    proposed = data.get("proposed_due_on")
    latest = now + dt.timedelta(days=MAX_PROPOSED_DAYS)
    if proposed is None:
        checks.refuse(
            TaskError.BAD_DUE.value,
            _("Cần đề xuất thời hạn hoàn thành mới (ngày/tháng/năm)."),
            field="proposed_due_on",
        )
    elif proposed <= now or proposed > latest:
        checks.refuse(
            TaskError.BAD_DUE.value,
            _("Thời hạn mới %(day)s không hợp lệ: phải sau hôm nay (%(now)s) và không quá %(max)s.")
            % {"day": _d(proposed), "now": _d(now), "max": _d(latest)},
            field="proposed_due_on",
        )
    checks.raise_if_any()


def _locked_explanation(explanation: Explanation) -> Explanation:
    return (
        Explanation.objects.select_for_update(of=("self",))
        .select_related("task", "task__lead_unit", "task__assigner_unit")
        .get(pk=explanation.pk)
    )


@transaction.atomic
def explanation_answer(
    *,
    actor: Any,
    explanation: Explanation,
    cause: str,
    remedy: str,
    proposed_due_on: dt.date | None,
) -> Explanation:
    """The lead unit explains: the cause, the remedy and the new date it proposes."""
    task = explanation.task
    _require_view(actor, task)
    _require(actor, task_policies.can_submit(actor, task), task.lead_unit)
    answer_checks({"cause": cause, "remedy": remedy, "proposed_due_on": proposed_due_on})
    explanation = _locked_explanation(explanation)
    if explanation.answered_at is not None:
        raise _error(_("Yêu cầu giải trình này đã được trả lời."))
    before = audit.snapshot(explanation)
    explanation.cause = cause.strip()
    explanation.remedy = remedy.strip()
    explanation.proposed_due_on = proposed_due_on
    explanation.answered_at = timezone.now()
    explanation.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    explanation.save()
    audit.record_update(actor=actor, instance=explanation, before=before)
    assert proposed_due_on is not None  # answer_checks
    _event(
        explanation.task,
        EventKind.EXPLANATION_GIVEN,
        actor,
        note=explanation.cause,
        data={
            "id": explanation.pk,
            "remedy": explanation.remedy,
            "proposed_due_on": proposed_due_on.isoformat(),
        },
    )
    _notify(
        _officers_of(task.assigner_unit),
        _("Đơn vị chủ trì đã giải trình, đề xuất thời hạn %(day)s: %(title)s")
        % {"day": _d(proposed_due_on), "title": task.title[:200]},
        task,
        actor,
    )
    return explanation


@transaction.atomic
def explanation_decide(
    *, actor: Any, explanation: Explanation, accept: bool, note: str = ""
) -> Explanation:
    """The assigner accepts the proposed date (the task's due date becomes it) or refuses
    it (with a reason). The ladder step stays: the task is on record as having needed an
    explanation, and missing the new date escalates it in time (ladder.py)."""
    task = explanation.task
    _require_view(actor, task)
    _require(actor, task_policies.can_manage(actor, task), task.assigner_unit)
    note = (note or "").strip()
    if not accept and not note:
        raise DomainError(
            TaskError.EMPTY.value,
            _("Cần ghi lý do không chấp nhận giải trình."),
            field="note",
        )
    explanation = _locked_explanation(explanation)
    if explanation.answered_at is None:
        raise _error(_("Đơn vị chủ trì chưa giải trình: chưa thể xem xét."))
    if explanation.decision != Decision.PENDING:
        raise _error(
            _("Giải trình này đã được xem xét (%(d)s).") % {"d": explanation.get_decision_display()}
        )
    before = audit.snapshot(explanation)
    explanation.decision = Decision.ACCEPTED if accept else Decision.REFUSED
    explanation.decided_at = timezone.now()
    explanation.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    explanation.decision_note = note
    explanation.save()
    audit.record_update(actor=actor, instance=explanation, before=before)
    if accept and explanation.proposed_due_on is not None:
        task_redate(
            actor=actor,
            task=task,
            due_on=explanation.proposed_due_on,
            note=note,
            explanation=explanation,
        )
    return explanation


@transaction.atomic
def task_redate(
    *, actor: Any, task: Task, due_on: dt.date, note: str, explanation: Explanation
) -> Task:
    """Change a task's due date to the one accepted from an explanation, with an event
    keeping the old one (the status then compares with the new date)."""
    task = _locked(task)
    if task.state != TaskState.OPEN:
        raise _error(
            _("Nhiệm vụ đang ở trạng thái “%(state)s”: không đổi thời hạn được.")
            % {"state": task.get_state_display()}
        )
    before = audit.snapshot(task)
    old = task.due_on
    task.due_on = due_on
    # The date is now a fixed one: "N working days from an event" no longer holds.
    task.due_working_days = None
    task.due_from_event = ""
    task.due_from_date = None
    task.save()
    audit.record_update(actor=actor, instance=task, before=before)
    _event(
        task,
        EventKind.REDATED,
        actor,
        note=note,
        data={"from": old.isoformat(), "to": due_on.isoformat(), "explanation": explanation.pk},
    )
    return task
