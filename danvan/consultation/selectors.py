"""Reads of consultations, scoped to what the actor may see, and the public reads of the
portal.

Officers read with Perm.DEMOCRACY_VIEW on the consultation's unit; one out of sight
answers like a missing one. The portal sees only what has been opened to citizens, and
only the published comments — never a contact, never a name the commenter kept hidden.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import NotFound
from danvan.units.models import Unit

from .models import Comment, Consultation

State = Consultation.State
Status = Comment.Status
PUBLIC_STATES = (State.OPEN, State.CLOSED, State.REPORTED)


def with_counts(rows: QuerySet[Consultation]) -> QuerySet[Consultation]:
    return rows.select_related("unit").annotate(
        comments_total=Count("comments"),
        comments_pending=Count("comments", filter=Q(comments__status=Status.PENDING)),
        comments_unanswered=Count(
            "comments", filter=Q(comments__status=Status.PUBLISHED, comments__answer="")
        ),
    )


def consultations_visible(user: Any) -> QuerySet[Consultation]:
    return Consultation.objects.filter(policies.scope_q(user, Perm.DEMOCRACY_VIEW, "unit__"))


def consultations_under(
    *, user: Any, unit: Unit | None, state: str | None = None
) -> QuerySet[Consultation]:
    """The consultations of *unit*'s subtree (None: the nation, national grants only),
    newest first, with their comment counts."""
    policies.require(user, Perm.DEMOCRACY_VIEW, unit)
    rows = Consultation.objects.filter(policies.subtree_q(unit, "unit__") if unit else Q())
    if state:
        rows = rows.filter(state=state)
    return with_counts(rows).order_by("-created_at", "-id")


def consultation_get(*, user: Any, public_id: uuid.UUID) -> Consultation:
    found = with_counts(Consultation.objects.filter(public_id=public_id)).first()
    if found is None or not policies.has_perm(user, Perm.DEMOCRACY_VIEW, found.unit):
        raise NotFound(_("Không tìm thấy đợt lấy ý kiến."), code="consultation_not_found")
    return found


def comment_get(*, user: Any, pk: int) -> Comment:
    found = Comment.objects.select_related("consultation__unit").filter(pk=pk).first()
    if found is None or not policies.has_perm(user, Perm.DEMOCRACY_VIEW, found.consultation.unit):
        raise NotFound(_("Không tìm thấy ý kiến."), code="comment_not_found")
    return found


def comments_of(consultation: Consultation) -> QuerySet[Comment]:
    """Every comment of *consultation*, oldest first (officers' view)."""
    return (
        Comment.objects.filter(consultation=consultation)
        .select_related("group_of")
        .annotate(grouped_count=Count("grouped"))
        .order_by("created_at", "id")
    )


def group_targets(consultation: Consultation) -> QuerySet[Comment]:
    """The published comments others may be grouped into."""
    return Comment.objects.filter(consultation=consultation, status=Status.PUBLISHED).order_by(
        "created_at", "id"
    )


def can_see_contacts(user: Any, consultation: Consultation) -> bool:
    """Commenters' contacts are for the officers who manage the consultation only."""
    return policies.has_perm(user, Perm.DEMOCRACY_MANAGE, consultation.unit)


# --- the portal --------------------------------------------------------------------------


def public_consultations(*, unit: Unit | None = None) -> QuerySet[Consultation]:
    rows = Consultation.objects.filter(state__in=PUBLIC_STATES)
    if unit is not None:
        rows = rows.filter(policies.subtree_q(unit, "unit__"))
    return rows.select_related("unit__parent")


def public_consultation_get(public_id: uuid.UUID) -> Consultation | None:
    return public_consultations().filter(public_id=public_id).first()


def public_comments(consultation: Consultation) -> QuerySet[Comment]:
    """The published comments, with how many similar ones were grouped into each."""
    return (
        Comment.objects.filter(consultation=consultation, status=Status.PUBLISHED)
        .annotate(grouped_count=Count("grouped"))
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class ReceptionCounts:
    """How the opinions on a consultation were taken in, in figures (Law 10/2022/QH15,
    art. 26: the commune publishes how citizens' opinions were received and explained).

    *received*: every comment sent; *published*: shown on the portal; *grouped*: merged
    into a similar published one; *rejected*: not published (insults, off-topic);
    *pending*: not yet moderated; *answered*: published comments with an answer.
    """

    received: int
    published: int
    grouped: int
    rejected: int
    pending: int
    answered: int


def reception_counts(consultation: Consultation) -> ReceptionCounts:
    """One aggregate query over the consultation's comments."""
    found = Comment.objects.filter(consultation=consultation).aggregate(
        received=Count("id"),
        published=Count("id", filter=Q(status=Status.PUBLISHED)),
        grouped=Count("id", filter=Q(status=Status.GROUPED)),
        rejected=Count("id", filter=Q(status=Status.REJECTED)),
        pending=Count("id", filter=Q(status=Status.PENDING)),
        answered=Count("id", filter=Q(status=Status.PUBLISHED) & ~Q(answer="")),
    )
    return ReceptionCounts(**found)
