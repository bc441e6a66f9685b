"""Reads of the movement, always scoped to what the actor may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import NotFound
from danvan.core.text import fold
from danvan.units import lineage
from danvan.units.models import Unit, UnitKind

from .models import Attachment, Entry


def units_restated_into(unit: Unit) -> list[Unit]:
    """Historical units whose records count under *unit* (or a unit under it) in a
    restated view: the predecessors that ended and were succeeded, transitively."""
    return lineage.historical_roots_into([unit])


def scope_q(unit: Unit, *, restated: bool = False, prefix: str = "unit__") -> Q:
    """Rows whose unit is under *unit*; with *restated*, also under the historical
    units succeeded into it (counted both as themselves and under their successor)."""
    q = policies.subtree_q(unit, prefix=prefix)
    if restated:
        for old in units_restated_into(unit):
            q |= policies.subtree_q(old, prefix=prefix)
    return q


def entry_list(
    *,
    actor: Any,
    unit: Unit | None = None,
    restated: bool = False,
    q: str | None = None,
    kind: str | None = None,
    field: str | None = None,
    status: str | None = None,
    year: int | None = None,
    period: int | None = None,
    milestone: str | None = None,
    unit_kind: str | None = None,
    direct: bool = False,
    reached_from: dt.date | None = None,
    reached_to: dt.date | None = None,
) -> QuerySet[Entry]:
    """Entries the actor may see, filtered. *milestone* is one of registered, in_progress,
    recognized, exemplary, replicated, commended (the statistics' columns); *unit_kind* a
    key of UNIT_KIND_GROUPS; *direct* keeps only *unit*'s own entries (not its subtree,
    not restated), as the statistics' row for the unit itself counts them.
    *reached_from*/*reached_to* (both days included) keep the entries that reached a
    dated milestone (MILESTONE_DATES) in that range, as a report's period counts them;
    they are ignored without one (the form refuses that combination)."""
    qs = Entry.objects.filter(policies.scope_q(actor, Perm.MOVEMENT_VIEW, prefix="unit__"))
    if unit is not None:
        qs = qs.filter(unit=unit) if direct else qs.filter(scope_q(unit, restated=restated))
    if unit_kind:
        qs = qs.filter(unit__kind__in=UNIT_KIND_GROUPS.get(unit_kind, ()))
    if q:
        qs = qs.filter(name_folded__contains=fold(q))
    if kind:
        qs = qs.filter(kind=kind)
    if field:
        qs = qs.filter(field__code=field)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(registration_year=year)
    if period:
        qs = qs.filter(period_id=period)
    if milestone:
        qs = qs.filter(MILESTONES[milestone])
        reached = MILESTONE_DATES.get(milestone)
        if reached is not None and reached_from is not None:
            qs = qs.filter(**{f"{reached}__gte": reached_from})
        if reached is not None and reached_to is not None:
            qs = qs.filter(**{f"{reached}__lte": reached_to})
    return qs.select_related("unit", "field", "period").order_by("-registration_year", "name", "id")


# The kinds of unit the statistics group entries by (domain.md §4: Party, government,
# Front and mass organizations, armed forces, enterprises). Administrative units count
# as government: their own entries are the People's Committee's.
UNIT_KIND_GROUPS: dict[str, tuple[str, ...]] = {
    "party": (UnitKind.PARTY_COMMITTEE, UnitKind.PARTY_COMMISSION),
    "government": (
        UnitKind.PROVINCE,
        UnitKind.COMMUNE,
        UnitKind.VILLAGE,
        UnitKind.AGENCY,
        UnitKind.PUBLIC_SERVICE,
    ),
    "front": (UnitKind.FRONT, UnitKind.MASS_ORGANIZATION),
    "armed_forces": (UnitKind.ARMED_FORCES,),
    "enterprise": (UnitKind.ENTERPRISE,),
}

# What each statistics column counts (an exemplary entry is also recognized).
MILESTONES: dict[str, Q] = {
    "registered": Q(registered_on__isnull=False),
    "in_progress": Q(status__in=["accepted", "in_progress", "submitted"]),
    "recognized": Q(recognized_on__isnull=False),
    "exemplary": Q(exemplary_on__isnull=False),
    # A subquery, not a join on `replications`: a join repeats an entry once per
    # replication, which duplicates list rows and inflates every grouped count.
    "replicated": Q(
        pk__in=Entry.objects.filter(replicated_from__isnull=False).values("replicated_from")
    )
    | Q(status="replicated"),
    "commended": Q(commended_on__isnull=False),
}


# The milestones reached on a recorded day (the workflow sets the date when the step is
# taken, and keeps it when the entry moves on): the list's from/to filter on it.
MILESTONE_DATES: dict[str, str] = {
    "registered": "registered_on",
    "recognized": "recognized_on",
    "exemplary": "exemplary_on",
    "commended": "commended_on",
}


def entry_get(*, actor: Any, public_id: Any) -> Entry:
    entry = (
        Entry.objects.select_related("unit", "field", "period", "replicated_from__unit")
        .filter(public_id=public_id)
        .first()
    )
    if entry is None or not policies.has_perm(actor, Perm.MOVEMENT_VIEW, entry.unit):
        raise NotFound("Không tìm thấy mô hình.", code="entry_not_found")
    return entry


# How an entry on the other end of a replication is shown to whom may not see it.
OTHER_UNIT_ENTRY = gettext_lazy("một mô hình của đơn vị khác")


@dataclass(frozen=True)
class LineageLink:
    """An entry at the other end of a replication, as the actor may see it.

    Replication crosses units, so the entry a commune replicated (or the entries that
    replicated it) may lie outside what the actor may see. Such an entry is shown as
    "một mô hình của đơn vị khác" with no name, unit or link: *entry* is None and the
    hidden entry never reaches a template or the API (like a missing one, policies)."""

    entry: Entry | None

    @property
    def label(self) -> str:
        return self.entry.name if self.entry is not None else str(OTHER_UNIT_ENTRY)


def _link(actor: Any, entry: Entry) -> LineageLink:
    visible = policies.has_perm(actor, Perm.MOVEMENT_VIEW, entry.unit)
    return LineageLink(entry if visible else None)


def replication_source(*, actor: Any, entry: Entry) -> LineageLink | None:
    """The entry *entry* replicates (None when it replicates none), as *actor* may see it.
    Load *entry* with ``replicated_from__unit`` (entry_get does) to spare a query."""
    source = entry.replicated_from
    return _link(actor, source) if source is not None else None


def entry_replications(*, actor: Any, entry: Entry) -> list[LineageLink]:
    """The entries that replicate *entry*, as *actor* may see them: those out of sight
    come last, without name or unit (their order would hint at them)."""
    rows = entry.replications.select_related("unit").order_by("registration_year", "name", "id")
    links = [_link(actor, r) for r in rows]
    return [x for x in links if x.entry is not None] + [x for x in links if x.entry is None]


def replication_counts(entries: list[Entry]) -> dict[int, int]:
    rows = (
        Entry.objects.filter(replicated_from__in=entries)
        .values("replicated_from")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["replicated_from"]: r["n"] for r in rows}


# -- public reads (the citizens' portal gallery) -------------------------------------------
#
# No actor: what any visitor may read. An entry is public once recognized (công nhận) and
# while it stays recognized, exemplary or replicated; drafts, registered, returned, not
# recognized, withdrawn and stopped entries never are. These readers never load the
# contact person, the phone, the author nor internal notes (``only``/``defer`` below).

PUBLIC_STATUSES = ("recognized", "exemplary", "replicated")
# What a public page may read of an entry: never contact_name, contact_phone, created_by.
PRIVATE_FIELDS = ("contact_name", "contact_phone", "created_by")


def public_entries() -> QuerySet[Entry]:
    """Recognized, exemplary and replicated entries, with unit (and its parent), field and
    period, and without the personal fields."""
    return (
        Entry.objects.filter(status__in=PUBLIC_STATUSES)
        .defer(*PRIVATE_FIELDS)
        .select_related("unit__parent", "field", "period")
    )


def public_entry(public_id: Any) -> Entry | None:
    """The public entry *public_id* names, or None (a hidden one answers like a missing)."""
    return public_entries().filter(public_id=public_id).first()


def public_replication_source(entry: Entry) -> Entry | None:
    """The public entry *entry* replicates: None when it replicates none or a hidden one."""
    if entry.replicated_from_id is None:
        return None
    return public_entries().filter(pk=entry.replicated_from_id).first()


def public_entry_replications(entry: Entry) -> list[Entry]:
    """The public entries that replicate *entry*, oldest first (hidden ones left out:
    neither named nor counted)."""
    return list(
        public_entries()
        .filter(replicated_from=entry)
        .order_by("registration_year", "name_folded", "id")
    )


def public_replication_counts(entries: list[Entry]) -> dict[int, int]:
    """How many public entries replicate each of *entries* (one query)."""
    rows = (
        Entry.objects.filter(replicated_from__in=entries, status__in=PUBLIC_STATUSES)
        .values("replicated_from")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["replicated_from"]: r["n"] for r in rows}


def public_photos_q() -> Q:
    """The attachments the portal may serve: marked public by an officer, and images."""
    return Q(is_public=True, content_type__startswith="image/")


def public_photos(entries: list[Entry]) -> dict[int, list[Attachment]]:
    """The public photos of each of *entries* (public entries), in upload order: one query."""
    found: dict[int, list[Attachment]] = {}
    rows = (
        Attachment.objects.filter(public_photos_q(), entry__in=entries)
        .only("id", "entry_id", "caption", "content_type", "is_public", "created_at")
        .order_by("created_at", "id")
    )
    for a in rows:
        found.setdefault(a.entry_id, []).append(a)
    return found


def public_photo(entry: Entry, pk: int) -> Attachment | None:
    """Photo *pk* of the public *entry* if it may be served to anyone, else None."""
    return (
        Attachment.objects.filter(public_photos_q(), entry=entry, pk=pk)
        .select_related("entry")
        .first()
    )
