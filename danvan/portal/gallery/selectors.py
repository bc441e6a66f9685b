"""What the gallery of the movement's good examples reads, without an actor.

Only entries the movement app made public (recognized, exemplary or replicated:
movement.selectors.PUBLIC_STATUSES), only photos an officer marked public, never the
contact person, the phone or who typed the entry in (domain.md §4 and §11).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from danvan.accounts.policies import subtree_q
from danvan.core.text import fold
from danvan.movement import selectors as movement
from danvan.movement.models import Attachment, Entry
from danvan.units.models import Unit


@dataclass(frozen=True)
class Card:
    """One entry as the gallery shows it: the entry, its first public photo (or None)
    and how many public entries replicate it."""

    entry: Entry
    photo: Attachment | None
    replications: int

    @property
    def level(self) -> str:
        """The highest level the entry was recognized at (exemplary first)."""
        entry = self.entry
        if entry.exemplary_level:
            return str(entry.get_exemplary_level_display())
        return str(entry.get_recognized_level_display()) if entry.recognized_level else ""

    @property
    def year(self) -> int:
        """The year it was recognized (its registration year when that date is missing)."""
        on = self.entry.recognized_on
        return on.year if on is not None else self.entry.registration_year


def gallery_entries(
    *,
    unit: Unit | None = None,
    q: str = "",
    field: str = "",
    kind: str = "",
    level: str = "",
) -> QuerySet[Entry]:
    """Public entries filtered, the latest recognized first."""
    qs = movement.public_entries()
    if unit is not None:
        qs = qs.filter(subtree_q(unit, "unit__"))
    if q and fold(q):
        qs = qs.filter(name_folded__contains=fold(q))
    if field:
        qs = qs.filter(field__code=field)
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(Q(exemplary_level=level) | Q(recognized_level=level))
    return qs.order_by(
        F("exemplary_on").desc(nulls_last=True),
        F("recognized_on").desc(nulls_last=True),
        "name_folded",
        "id",
    )


def cards(entries: list[Entry]) -> list[Card]:
    """Cards for *entries* (public ones): two queries whatever their number."""
    photos = movement.public_photos(entries)
    counts = movement.public_replication_counts(entries)
    return [
        Card(
            entry=e,
            photo=next(iter(photos.get(e.pk, [])), None),
            replications=counts.get(e.pk, 0),
        )
        for e in entries
    ]


def exemplary_for_place(unit: Unit, *, limit: int = 6) -> list[Card]:
    """The good examples of *unit* and the units under it, for the place's page:
    exemplary entries first, then the latest recognized; at most *limit*."""
    rows = list(
        movement.public_entries()
        .filter(subtree_q(unit, "unit__"))
        .order_by(
            F("exemplary_on").desc(nulls_last=True),
            F("recognized_on").desc(nulls_last=True),
            "name_folded",
            "id",
        )[:limit]
    )
    return cards(rows)


def public_entry(public_id: object) -> Entry | None:
    return movement.public_entry(public_id)


def story_photos(entry: Entry) -> list[Attachment]:
    return movement.public_photos([entry]).get(entry.pk, [])


def lineage(entry: Entry) -> tuple[Entry | None, list[Entry]]:
    """Where *entry* was replicated from and where it was replicated, public ones only."""
    return movement.public_replication_source(entry), movement.public_entry_replications(entry)


def photo_of(entry: Entry, pk: int) -> Attachment | None:
    return movement.public_photo(entry, pk)
