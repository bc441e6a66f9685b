"""Every write of a dialogue conference with citizens (Local Government Law 2025, art. 43):
plan it, announce it, hold it, record the questions and commitments, publish the results.

A dialogue moves planned → announced → held → published; TRANSITIONS below is the one
table of what may be done in which state. The legal time limits (announced at least
7 days before, results published at most 10 days after) are DutyRule data; a late
announcement or publication is still recorded, and the selectors flag it with the
citation, because the record must say what really happened.
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
from danvan.core.errors import DomainError
from danvan.core.pagecache import place_changed
from danvan.core.validators import future_date_message
from danvan.units.models import Unit

from ..errors import CaseError
from ..models import Commitment, Dialogue, DialogueQuestion

State = Dialogue.State

# The one table of what may be done to a dialogue in which state.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "announce": (State.PLANNED,),
    "hold": (State.ANNOUNCED,),
    "publish": (State.HELD,),
    # Questions sent in ahead are recorded once the dialogue is announced.
    "question_add": (State.ANNOUNCED, State.HELD),
    # An answer may come in writing after the dialogue, even after publication.
    "question_answer": (State.ANNOUNCED, State.HELD, State.PUBLISHED),
    "commitment_add": (State.HELD, State.PUBLISHED),
}


def _error(code: CaseError, message: str, field: str | None = None) -> DomainError:
    return DomainError(code.value, message, field=field)


def _require(actor: Any, perm: Perm, unit: Unit) -> None:
    # actor None: the system itself (a loader, a command), as in the other services.
    if actor is not None:
        policies.require(actor, perm, unit)


def today() -> dt.date:
    return timezone.localdate()


def allowed(action: str, dialogue: Dialogue) -> bool:
    return dialogue.state in TRANSITIONS[action]


def _check_allowed(action: str, dialogue: Dialogue) -> None:
    if not allowed(action, dialogue):
        raise _error(
            CaseError.BAD_DIALOGUE,
            _("Không thực hiện được thao tác này khi hội nghị đang ở trạng thái “%(state)s”.")
            % {"state": dialogue.get_state_display()},
        )


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise _error(CaseError.EMPTY, message, field)
    return value


def _not_future(value: dt.date, field: str) -> None:
    if value > today():
        raise _error(CaseError.BAD_DATE, future_date_message(value, today()), field)


def _not_before_held(value: dt.date, dialogue: Dialogue, field: str) -> None:
    if value < dialogue.held_on:
        raise _error(
            CaseError.BAD_DATE,
            _("Ngày không được trước ngày đối thoại (%(d)s).")
            % {"d": f"{dialogue.held_on:%d/%m/%Y}"},
            field,
        )


def _locked(dialogue: Dialogue) -> Dialogue:
    return Dialogue.objects.select_for_update().select_related("unit").get(pk=dialogue.pk)


def _save(dialogue: Dialogue, *, actor: Any, before: audit.Snapshot) -> Dialogue:
    dialogue.save()
    audit.record_update(actor=actor, instance=dialogue, before=before)
    return dialogue


# --- the dialogue ------------------------------------------------------------------------


@transaction.atomic
def dialogue_create(
    *, actor: Any, unit: Unit, title: str, held_on: dt.date, place: str, chair: str
) -> Dialogue:
    """Plan a dialogue of *unit* on *held_on*."""
    _require(actor, Perm.DIALOGUE_MANAGE, unit)
    if unit.is_historical:
        raise _error(
            CaseError.BAD_DIALOGUE,
            _("Đơn vị %(name)s đã ngừng hoạt động.") % {"name": unit.name},
            "unit",
        )
    dialogue = Dialogue.objects.create(
        unit=unit,
        title=_text(title, "title", _("Cần ghi chủ đề hội nghị đối thoại.")),
        held_on=held_on,
        place=_text(place, "place", _("Cần ghi địa điểm tổ chức.")),
        chair=_text(chair, "chair", _("Cần ghi người chủ trì.")),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record_create(actor=actor, instance=dialogue)
    return dialogue


@transaction.atomic
def dialogue_announce(*, actor: Any, dialogue: Dialogue, announced_on: dt.date) -> Dialogue:
    """Record the day the dialogue was announced to citizens.

    Fewer days ahead than the law asks is recorded as it happened and flagged by the
    selectors (dialogue_rows), not refused.
    """
    _require(actor, Perm.DIALOGUE_MANAGE, dialogue.unit)
    dialogue = _locked(dialogue)
    _check_allowed("announce", dialogue)
    _not_future(announced_on, "announced_on")
    if announced_on > dialogue.held_on:
        raise _error(
            CaseError.BAD_DATE,
            _("Ngày thông báo không được sau ngày đối thoại (%(d)s).")
            % {"d": f"{dialogue.held_on:%d/%m/%Y}"},
            "announced_on",
        )
    before = audit.snapshot(dialogue)
    dialogue.announced_on = announced_on
    dialogue.state = State.ANNOUNCED
    dialogue = _save(dialogue, actor=actor, before=before)
    place_changed(dialogue.unit)
    return dialogue


@transaction.atomic
def dialogue_hold(
    *, actor: Any, dialogue: Dialogue, participants: str, participants_count: int
) -> Dialogue:
    """Record that the announced dialogue took place, and who took part."""
    _require(actor, Perm.DIALOGUE_MANAGE, dialogue.unit)
    dialogue = _locked(dialogue)
    _check_allowed("hold", dialogue)
    if dialogue.held_on > today():
        raise _error(
            CaseError.BAD_DATE,
            _("Hội nghị dự kiến ngày %(d)s: chỉ ghi nhận đã tổ chức từ ngày đó trở đi.")
            % {"d": f"{dialogue.held_on:%d/%m/%Y}"},
        )
    if participants_count < 1:
        raise _error(
            CaseError.EMPTY, _("Cần ghi số người tham dự (ít nhất 1)."), "participants_count"
        )
    before = audit.snapshot(dialogue)
    dialogue.participants = (participants or "").strip()
    dialogue.participants_count = participants_count
    dialogue.state = State.HELD
    dialogue = _save(dialogue, actor=actor, before=before)
    place_changed(dialogue.unit)
    return dialogue


@transaction.atomic
def dialogue_publish(
    *, actor: Any, dialogue: Dialogue, results: str, published_on: dt.date
) -> Dialogue:
    """Publish the results of a held dialogue (late publication is flagged, not refused)."""
    _require(actor, Perm.DIALOGUE_MANAGE, dialogue.unit)
    dialogue = _locked(dialogue)
    _check_allowed("publish", dialogue)
    results = _text(results, "results", _("Cần ghi kết quả đối thoại để công khai."))
    _not_future(published_on, "published_on")
    _not_before_held(published_on, dialogue, "published_on")
    before = audit.snapshot(dialogue)
    dialogue.results = results
    dialogue.published_on = published_on
    dialogue.state = State.PUBLISHED
    return _save(dialogue, actor=actor, before=before)


# --- questions and commitments -----------------------------------------------------------


@transaction.atomic
def question_add(
    *,
    actor: Any,
    dialogue: Dialogue,
    question: str,
    asked_by: str = "",
    answer: str = "",
    answered_by: str = "",
) -> DialogueQuestion:
    """Record a citizen's question or opinion (who asked may stay blank)."""
    _require(actor, Perm.DIALOGUE_MANAGE, dialogue.unit)
    dialogue = _locked(dialogue)
    _check_allowed("question_add", dialogue)
    item = DialogueQuestion.objects.create(
        dialogue=dialogue,
        question=_text(question, "question", _("Cần ghi nội dung ý kiến, câu hỏi.")),
        asked_by=(asked_by or "").strip(),
        answer=(answer or "").strip(),
        answered_by=(answered_by or "").strip(),
    )
    audit.record_create(actor=actor, instance=item)
    return item


@transaction.atomic
def question_answer(
    *, actor: Any, question: DialogueQuestion, answer: str, answered_by: str = ""
) -> DialogueQuestion:
    """Record (or correct) the answer given to a question."""
    _require(actor, Perm.DIALOGUE_MANAGE, question.dialogue.unit)
    dialogue = _locked(question.dialogue)
    _check_allowed("question_answer", dialogue)
    item = DialogueQuestion.objects.select_for_update().get(pk=question.pk)
    before = audit.snapshot(item)
    item.answer = _text(answer, "answer", _("Cần ghi nội dung trả lời."))
    item.answered_by = (answered_by or "").strip()
    item.save()
    item.dialogue = dialogue
    audit.record_update(actor=actor, instance=item, before=before)
    return item


@transaction.atomic
def commitment_add(
    *,
    actor: Any,
    dialogue: Dialogue,
    text: str,
    responsible: str,
    due_date: dt.date,
    question: DialogueQuestion | None = None,
) -> Commitment:
    """Record a commitment made at the dialogue, to be tracked until done."""
    _require(actor, Perm.DIALOGUE_MANAGE, dialogue.unit)
    dialogue = _locked(dialogue)
    _check_allowed("commitment_add", dialogue)
    text = _text(text, "text", _("Cần ghi nội dung cam kết."))
    responsible = _text(
        responsible, "responsible", _("Cần ghi người, đơn vị chịu trách nhiệm thực hiện.")
    )
    _not_before_held(due_date, dialogue, "due_date")
    if question is not None and question.dialogue_id != dialogue.pk:
        raise _error(
            CaseError.BAD_DIALOGUE, _("Ý kiến này thuộc hội nghị đối thoại khác."), "question"
        )
    item = Commitment.objects.create(
        dialogue=dialogue,
        question=question,
        text=text,
        responsible=responsible,
        due_date=due_date,
    )
    audit.record_create(actor=actor, instance=item)
    return item


@transaction.atomic
def commitment_done(
    *, actor: Any, commitment: Commitment, done_on: dt.date, result: str
) -> Commitment:
    """Close a commitment with what was done."""
    dialogue = commitment.dialogue
    _require(actor, Perm.DIALOGUE_MANAGE, dialogue.unit)
    item = (
        Commitment.objects.select_for_update()
        .select_related("dialogue__unit")
        .get(pk=commitment.pk)
    )
    if item.state != Commitment.State.OPEN:
        raise _error(
            CaseError.BAD_DIALOGUE,
            _("Cam kết đã hoàn thành ngày %(d)s.")
            % {"d": f"{item.done_on:%d/%m/%Y}" if item.done_on else "—"},
        )
    result = _text(result, "result", _("Cần ghi kết quả thực hiện cam kết."))
    _not_future(done_on, "done_on")
    _not_before_held(done_on, item.dialogue, "done_on")
    before = audit.snapshot(item)
    item.state = Commitment.State.DONE
    item.done_on = done_on
    item.result = result
    item.save()
    audit.record_update(actor=actor, instance=item, before=before)
    return item
