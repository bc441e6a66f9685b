"""Reads of conferences, scoped to what the actor may see (policies.visible_q); a
conference out of sight answers like a missing one (404)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from danvan.accounts import policies as account_policies
from danvan.accounts.policies import Perm
from danvan.core.errors import NotFound
from danvan.directives.tasks import selectors as task_selectors
from danvan.directives.tasks.models import Task
from danvan.directives.tasks.sources import SourceRef
from danvan.units.models import Official, Unit

from . import policies
from .models import Conference, ConferenceKind, Delegate, Point, Speech


def _not_found() -> NotFound:
    return NotFound(_("Không tìm thấy hội nghị."), code="conference_not_found")


def conference_get(*, user: Any, public_id: uuid.UUID | str) -> Conference:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise _not_found() from None
    found = (
        Conference.objects.select_related("unit", "chair", "created_by")
        .filter(public_id=key)
        .first()
    )
    if found is None or not policies.can_view(user, found):
        raise _not_found()
    return found


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    year: int | None = None


def seen_from(unit: Unit) -> Q:
    """The conferences as seen from *unit*: those of its subtree and of its ancestors
    (the province's review is the communes' too)."""
    return account_policies.subtree_q(unit, "unit__") | Q(unit_id__in=list(unit.ancestor_ids))


def conferences_list(*, user: Any, unit: Unit | None, filters: Filters) -> QuerySet[Conference]:
    """The conferences *user* sees from *unit* (None: all they see, for national
    readers), filtered, newest first."""
    if unit is not None:
        account_policies.require(user, Perm.DIRECTIVE_VIEW, unit)
        rows = Conference.objects.filter(seen_from(unit)).filter(policies.visible_q(user))
    else:
        rows = Conference.objects.filter(policies.visible_q(user))
    if filters.kind in ConferenceKind.values:
        rows = rows.filter(kind=filters.kind)
    if filters.year:
        rows = rows.filter(held_on__year=filters.year)
    return rows.select_related("unit").order_by("-held_on", "-id")


def kind_counts(rows: QuerySet[Conference]) -> dict[str, int]:
    """How many of *rows* of each kind (one query: the summary above the list)."""
    counts = dict.fromkeys(ConferenceKind.values, 0)
    for row in rows.order_by().values("kind").annotate(n=Count("id")):
        counts[row["kind"]] = row["n"]
    return counts


def years_in(rows: QuerySet[Conference]) -> list[int]:
    return sorted({d.year for d in rows.order_by().values_list("held_on", flat=True)}, reverse=True)


def point_counts(conferences: list[Conference]) -> dict[int, tuple[int, int]]:
    """(connected, total) points per conference of a list page, in one query."""
    rows = (
        Point.objects.filter(conference__in=[c.pk for c in conferences])
        .order_by()
        .values("conference_id")
        .annotate(total=Count("id"), connected=Count("id", filter=Q(connected=True)))
    )
    return {r["conference_id"]: (r["connected"], r["total"]) for r in rows}


@dataclass(frozen=True)
class PointsSummary:
    total: int
    connected: int
    expected: int
    attended: int


def points_summary(conference: Conference) -> PointsSummary:
    """ "x/y điểm cầu kết nối, z người dự", in one query."""
    row = Point.objects.filter(conference=conference).aggregate(
        total=Count("id"),
        connected=Count("id", filter=Q(connected=True)),
        expected=Coalesce(Sum("expected"), 0),
        attended=Coalesce(Sum("attended"), 0),
    )
    return PointsSummary(row["total"], row["connected"], row["expected"], row["attended"])


def points_of(conference: Conference) -> QuerySet[Point]:
    return conference.points.select_related("unit").order_by("unit__path")


def delegates_of(conference: Conference) -> list[Delegate]:
    return list(conference.delegates.select_related("official__unit").order_by("id"))


def speeches_of(conference: Conference) -> list[Speech]:
    return list(conference.speeches.select_related("unit").order_by("order", "id"))


def delegate_get(*, user: Any, pk: int) -> Delegate:
    found = Delegate.objects.select_related("conference__unit").filter(pk=pk).first()
    if found is None or not policies.can_view(user, found.conference):
        raise NotFound(_("Không tìm thấy đại biểu."), code="delegate_not_found")
    return found


def speech_get(*, user: Any, pk: int) -> Speech:
    found = Speech.objects.select_related("conference__unit").filter(pk=pk).first()
    if found is None or not policies.can_view(user, found.conference):
        raise NotFound(_("Không tìm thấy phát biểu."), code="speech_not_found")
    return found


def officials_for(unit: Unit, *, text: str = "", limit: int | None = 200) -> QuerySet[Official]:
    """Officials of the directory in *unit*'s subtree (the chair and the delegates come
    from it), matching *text* in their name when given."""
    rows = Official.objects.filter(account_policies.subtree_q(unit, "unit__")).select_related(
        "unit"
    )
    if text:
        rows = rows.filter(full_name__icontains=text.strip())
    rows = rows.order_by("full_name", "pk")
    return rows if limit is None else rows[:limit]


def tasks_of(*, user: Any, conference: Conference) -> list[Task]:
    """The tasks whose source is *conference* that *user* sees, with their status."""
    day = task_selectors.Day.now()
    rows = Task.objects.filter(
        source_type=ContentType.objects.get_for_model(Conference), source_id=conference.pk
    ).filter(task_selectors.visible_q(user))
    return list(task_selectors.task_rows(rows, day))


def source_ref(actor: Any, public_id: str) -> SourceRef:
    """The conference as a source of tasks (``tasks.sources.register_source``): the text
    proposed from is its conclusion; NotFound when out of the actor's sight."""
    conference = conference_get(user=actor, public_id=public_id)
    return SourceRef(
        kind="conference",
        obj=conference,
        unit=conference.unit,
        label=f"{conference.title} ({conference.held_on:%d/%m/%Y})",
        url=conference.get_absolute_url(),
        text=conference.conclusion,
    )
