"""The portal's reads of disclosures for other pages (a place's page): only what a unit
marked public, never evidence nor who recorded it."""

from __future__ import annotations

from danvan.disclosure.models import Disclosure
from danvan.disclosure.selectors import public_disclosures
from danvan.units.models import Unit


def latest_disclosures(unit: Unit, *, limit: int = 5) -> list[Disclosure]:
    """The newest public disclosures of *unit* and the units under it, newest first:
    two queries (the rows, their forms) whatever *limit*."""
    return list(public_disclosures(unit=unit)[:limit])
