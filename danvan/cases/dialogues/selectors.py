"""Reads of dialogue conferences with citizens, their questions and commitments, scoped
to what the actor may see.

Reading needs Perm.CASE_VIEW on the dialogue's unit; a record of a unit out of sight
answers like a missing one. The legal time limits are DutyRule data (danvan.legal): the
warnings here (late announcements and publications) name the rule version they apply,
with its citation and its to-verify flag. The portal reads only public_dialogues, which
never says who asked a question (domain.md §7).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any, Protocol

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm, subtree_q
from danvan.core.errors import NotFound
from danvan.legal.duties import DutyBook
from danvan.legal.models import Duty, DutyRule
from danvan.units.models import Unit

from ..models import Commitment, Dialogue, DialogueQuestion


def today() -> dt.date:
    return timezone.localdate()


def _visible(user: Any, unit: Unit) -> bool:
    return policies.has_perm(user, Perm.CASE_VIEW, unit)


# --- dialogues ---------------------------------------------------------------------------


def dialogues_under(
    *, user: Any, unit: Unit | None, state: str | None = None
) -> QuerySet[Dialogue]:
    """The dialogues of *unit*'s subtree (None: the nation, national grants only), newest
    first."""
    policies.require(user, Perm.CASE_VIEW, unit)
    qs = Dialogue.objects.filter(policies.subtree_q(unit, "unit__") if unit else Q())
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("unit").order_by("-held_on", "-id")


def dialogue_get(*, user: Any, public_id: uuid.UUID | str) -> Dialogue:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound(_("Không tìm thấy hội nghị đối thoại."), code="dialogue_not_found") from None
    dialogue = Dialogue.objects.select_related("unit").filter(public_id=key).first()
    if dialogue is None or not _visible(user, dialogue.unit):
        raise NotFound(_("Không tìm thấy hội nghị đối thoại."), code="dialogue_not_found")
    return dialogue


def dialogue_questions(dialogue: Dialogue) -> QuerySet[DialogueQuestion]:
    return DialogueQuestion.objects.filter(dialogue=dialogue).order_by("id")


def dialogue_commitments(dialogue: Dialogue) -> QuerySet[Commitment]:
    return _with_overdue(Commitment.objects.filter(dialogue=dialogue)).order_by("due_date", "id")


class DialogueDates(Protocol):
    """What the time limits read of a dialogue: a model instance, or a plain row of these
    columns (the list of what needs doing judges hundreds of dialogues and builds no model
    instance for them)."""

    @property
    def state(self) -> str: ...
    @property
    def held_on(self) -> dt.date: ...
    @property
    def announced_on(self) -> dt.date | None: ...
    @property
    def published_on(self) -> dt.date | None: ...


@dataclass(frozen=True)
class DialogueLimits:
    """A dialogue's time limits and how it stands against them (Local Government Law
    2025, art. 43: announced at least 7 days before, results published within 10 days;
    the figures are the DutyRule versions in force on the dialogue's day)."""

    announce_rule: DutyRule | None
    publish_rule: DutyRule | None
    announce_by: dt.date | None  # the last day to announce in time
    publish_by: dt.date | None  # the last day to publish the results in time
    announce_late: bool  # announced fewer days ahead than the law asks
    announce_overdue: bool  # still not announced, and too late to do it in time
    publish_late: bool  # published after the time limit
    publish_overdue: bool  # held, not published, and the time limit has passed

    @property
    def has_warning(self) -> bool:
        return (
            self.announce_late
            or self.announce_overdue
            or self.publish_late
            or (self.publish_overdue)
        )


@dataclass(frozen=True)
class DialogueRow(DialogueLimits):
    """A dialogue with the warnings of the law's time limits."""

    dialogue: Dialogue


def dialogue_limits(dialogue: DialogueDates, book: DutyBook, now: dt.date) -> DialogueLimits:
    """How *dialogue* stands on *now* against the versions of the rules in *book*."""
    state = Dialogue.State
    announce = book.on(Duty.DIALOGUE_ANNOUNCE, dialogue.held_on)
    publish = book.on(Duty.DIALOGUE_PUBLISH, dialogue.held_on)
    announce_by = dialogue.held_on - dt.timedelta(days=announce.amount) if announce else None
    publish_by = dialogue.held_on + dt.timedelta(days=publish.amount) if publish else None
    announced_on, published_on = dialogue.announced_on, dialogue.published_on
    return DialogueLimits(
        announce_rule=announce,
        publish_rule=publish,
        announce_by=announce_by,
        publish_by=publish_by,
        announce_late=bool(announce_by and announced_on and announced_on > announce_by),
        announce_overdue=bool(
            announce_by and dialogue.state == state.PLANNED and now > announce_by
        ),
        publish_late=bool(publish_by and published_on and published_on > publish_by),
        publish_overdue=bool(publish_by and dialogue.state == state.HELD and now > publish_by),
    )


_LIMIT_FIELDS = tuple(f.name for f in fields(DialogueLimits))


def _row(dialogue: Dialogue, book: DutyBook, now: dt.date) -> DialogueRow:
    limits = dialogue_limits(dialogue, book, now)
    return DialogueRow(dialogue=dialogue, **{f: getattr(limits, f) for f in _LIMIT_FIELDS})


def dialogue_rows(
    dialogues: Iterable[Dialogue], *, book: DutyBook | None = None, now: dt.date | None = None
) -> list[DialogueRow]:
    """The dialogues with their warnings as seen on *now* (today by default), in one
    query for the rules whatever their number (none when the caller already holds the
    *book* of the two duties)."""
    book = book or DutyBook([Duty.DIALOGUE_ANNOUNCE, Duty.DIALOGUE_PUBLISH])
    return [_row(d, book, now or today()) for d in dialogues]


def dialogue_row(dialogue: Dialogue) -> DialogueRow:
    return dialogue_rows([dialogue])[0]


# --- commitments -------------------------------------------------------------------------


def _with_overdue(qs: QuerySet[Commitment]) -> QuerySet[Commitment]:
    overdue = Q(state=Commitment.State.OPEN) & Q(due_date__lt=today())
    return qs.annotate(overdue=ExpressionWrapper(overdue, output_field=BooleanField()))


def commitments_under(*, user: Any, unit: Unit, open_only: bool = True) -> QuerySet[Commitment]:
    """Commitments of the dialogues of *unit*'s subtree, earliest due first, each with an
    `overdue` flag (open and past its due date), like a task list."""
    policies.require(user, Perm.CASE_VIEW, unit)
    qs = Commitment.objects.filter(policies.subtree_q(unit, "dialogue__unit__"))
    if open_only:
        qs = qs.filter(state=Commitment.State.OPEN)
    return _with_overdue(qs).select_related("dialogue", "dialogue__unit").order_by("due_date", "id")


def commitment_get(*, user: Any, pk: int) -> Commitment:
    item = (
        _with_overdue(Commitment.objects.filter(pk=pk))
        .select_related("dialogue", "dialogue__unit")
        .first()
    )
    if item is None or not _visible(user, item.dialogue.unit):
        raise NotFound(_("Không tìm thấy cam kết."), code="commitment_not_found")
    return item


def question_get(*, dialogue: Dialogue, pk: int) -> DialogueQuestion:
    """A question of *dialogue* (already checked visible by dialogue_get)."""
    item = DialogueQuestion.objects.filter(dialogue=dialogue, pk=pk).first()
    if item is None:
        raise NotFound(_("Không tìm thấy ý kiến."), code="question_not_found")
    item.dialogue = dialogue
    return item


# --- the portal ---------------------------------------------------------------------------


def public_dialogues(*, unit: Unit | None = None) -> QuerySet[Dialogue]:
    """Dialogues announced to citizens, with the results of those already published.

    Questions are shown without who asked them (DialogueQuestion.asked_by stays inside).
    """
    qs = Dialogue.objects.exclude(state=Dialogue.State.PLANNED)
    if unit is not None:
        qs = qs.filter(subtree_q(unit, "unit__"))
    return qs.select_related("unit").prefetch_related(
        Prefetch(
            "questions",
            queryset=DialogueQuestion.objects.order_by("id").only(
                "id", "dialogue_id", "question", "answer", "answered_by"
            ),
        ),
        Prefetch("commitments", queryset=Commitment.objects.order_by("due_date", "id")),
    )
