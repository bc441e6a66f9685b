"""A small movement dataset for the statistics tests, and counts taken independently.

The expected numbers never come from danvan.movement.stats or selectors.MILESTONES:
`raw_entries` reads the rows with hand-written SQL and `raw_counts` applies the
statistics' definitions written out again here, so a wrong grouping, join or filter
in the code under test shows up as a difference.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.http import QueryDict

from danvan.movement import selectors
from danvan.movement.demo import _historical_unit
from danvan.movement.models import Entry, Field, Period
from danvan.units import services as unit_services
from danvan.units.models import Unit, UnitKind

YEARS = (2016, 2017, 2018, 2019, 2020, 2021, 2022)
STATUSES = (
    "registered",
    "accepted",
    "in_progress",
    "submitted",
    "recognized",
    "not_recognized",
    "exemplary",
    "replicated",
    "stopped",
)
# The kinds of unit of each statistics group (domain.md §4), written out independently.
KIND_GROUP = {
    "party_committee": "party",
    "party_commission": "party",
    "agency": "government",
    "public_service": "government",
    "province": "government",
    "commune": "government",
    "village": "government",
    "front": "front",
    "mass_organization": "front",
    "armed_forces": "armed_forces",
    "enterprise": "enterprise",
}


@dataclass
class Dataset:
    province: Unit
    commune: Unit
    sibling: Unit
    bac_kan: Unit
    units: list[Unit]


def _child(parent: Unit, code: str, kind: str, name: str) -> Unit:
    found = Unit.objects.filter(code=code).first()
    if found is not None:
        return found
    return unit_services.unit_create(actor=None, parent=parent, kind=kind, name=name, code=code)


def units(province: Unit, commune: Unit, sibling: Unit) -> Dataset:
    """Organizations of every kind under the commune and the province, and a former
    Bắc Kạn organization (historical) under Bắc Kạn."""
    bac_kan = Unit.objects.get(code="06")
    made = [
        province,
        commune,
        sibling,
        _child(commune, f"{commune.code}-T01", UnitKind.VILLAGE, "Xóm Đồng Tâm"),
        _child(commune, f"{commune.code}-DU", UnitKind.PARTY_COMMITTEE, "Đảng ủy xã"),
        _child(commune, f"{commune.code}-MTTQ", UnitKind.FRONT, "Ủy ban MTTQ xã"),
        _child(commune, f"{commune.code}-HND", UnitKind.MASS_ORGANIZATION, "Hội Nông dân xã"),
        _child(commune, f"{commune.code}-CA", UnitKind.ARMED_FORCES, "Công an xã"),
        _child(commune, f"{commune.code}-HTX", UnitKind.ENTERPRISE, "Hợp tác xã chè"),
        _child(province, f"{province.code}-SYT", UnitKind.AGENCY, "Sở Y tế"),
        _child(province, f"{province.code}-BV", UnitKind.PUBLIC_SERVICE, "Bệnh viện tỉnh"),
        bac_kan,
    ]
    old = Unit.objects.filter(code="06-HND").first() or _historical_unit(
        bac_kan, "HND", "Hội Nông dân tỉnh Bắc Kạn", UnitKind.MASS_ORGANIZATION, "hội"
    )
    made.append(old)
    return Dataset(province, commune, sibling, bac_kan, made)


def add_entries(data: Dataset, n: int, *, seed: int) -> list[Entry]:
    """*n* entries spread over the dataset's units, years, fields and stages; about one
    in ten replicates an earlier one (some twice, so a join would double-count)."""
    rng = random.Random(seed)
    fields = list(Field.objects.all())
    periods = list(Period.objects.all())
    rows = []
    for i in range(n):
        year = rng.choice(YEARS)
        status = rng.choice(STATUSES)
        recognized = status in ("recognized", "exemplary", "replicated") or rng.random() < 0.1
        exemplary = status in ("exemplary", "replicated") or (recognized and rng.random() < 0.2)
        day = dt.date(year, 6, 1)
        rows.append(
            Entry(
                kind=rng.choice(("initiative", "collective", "individual")),
                name=f"Mô hình thử {seed}-{i}",
                name_folded=f"mo hinh thu {seed}-{i}",
                unit=rng.choice(data.units),
                field=rng.choice(fields),
                registration_year=year,
                period=next(p for p in periods if p.contains(year)),
                status=status,
                registered_on=day if status != "draft" and rng.random() < 0.95 else None,
                recognized_on=day if recognized else None,
                exemplary_on=day if exemplary else None,
                commended_on=day if recognized and rng.random() < 0.4 else None,
            )
        )
    created = Entry.objects.bulk_create(rows)
    if not all(e.pk for e in created):  # backends that do not return ids
        created = list(Entry.objects.filter(name__startswith=f"Mô hình thử {seed}-"))
    sources = [e for e in created if e.exemplary_on is not None]
    takers = [e for e in created if e.exemplary_on is None]
    rng.shuffle(takers)
    for source in sources[: max(1, len(sources) // 2)]:
        for _ in range(2 if rng.random() < 0.5 else 1):
            if takers:
                taker = takers.pop()
                taker.replicated_from = source
                taker.save(update_fields=["replicated_from"])
    return created


@dataclass(frozen=True)
class RawEntry:
    id: int
    unit_id: int
    path: str
    unit_kind: str
    field: str
    year: int
    period_id: int
    status: str
    registered: bool
    recognized: bool
    exemplary: bool
    commended: bool
    replicated: bool


def raw_entries() -> list[RawEntry]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT DISTINCT replicated_from_id FROM movement_entry"
            " WHERE replicated_from_id IS NOT NULL"
        )
        sources = {row[0] for row in cur.fetchall()}
        cur.execute(
            "SELECT e.id, e.unit_id, u.path, u.kind, f.code, e.registration_year, e.period_id,"
            " e.status, e.registered_on IS NOT NULL, e.recognized_on IS NOT NULL,"
            " e.exemplary_on IS NOT NULL, e.commended_on IS NOT NULL"
            " FROM movement_entry e"
            " JOIN units_unit u ON u.id = e.unit_id"
            " JOIN movement_field f ON f.id = e.field_id"
        )
        return [
            RawEntry(
                id=r[0],
                unit_id=r[1],
                path=r[2],
                unit_kind=r[3],
                field=r[4],
                year=r[5],
                period_id=r[6],
                status=r[7],
                registered=bool(r[8]),
                recognized=bool(r[9]),
                exemplary=bool(r[10]),
                commended=bool(r[11]),
                replicated=r[0] in sources or r[7] == "replicated",
            )
            for r in cur.fetchall()
        ]


def raw_counts(rows: Iterable[RawEntry]) -> dict[str, int]:
    rows = list(rows)
    return {
        "registered": sum(r.registered for r in rows),
        "in_progress": sum(r.status in ("accepted", "in_progress", "submitted") for r in rows),
        "recognized": sum(r.recognized for r in rows),
        "exemplary": sum(r.exemplary for r in rows),
        "replicated": sum(r.replicated for r in rows),
        "commended": sum(r.commended for r in rows),
    }


def under(*units: Unit) -> Callable[[RawEntry], bool]:
    return lambda r: any(r.path.startswith(u.path) for u in units)


def list_kwargs(query: str) -> dict[str, Any]:
    """selectors.entry_list's keyword arguments for a list-page query string."""
    q = QueryDict(query)
    known = {"unit", "restated", "direct", "year", "period", "field", "unit_kind", "milestone"}
    assert set(q) <= known, f"unexpected list parameters: {set(q) - known}"
    kwargs: dict[str, Any] = {
        "restated": q.get("restated") == "1",
        "direct": q.get("direct") == "1",
    }
    if "unit" in q:
        kwargs["unit"] = Unit.objects.get(code=q["unit"])
    for name in ("year", "period"):
        if name in q:
            kwargs[name] = int(q[name])
    for name in ("field", "unit_kind", "milestone"):
        if name in q:
            kwargs[name] = q[name]
    return kwargs


def list_count(actor: Any, query: str) -> int:
    """How many rows the list page shows for *query* (the list's own selector)."""
    return selectors.entry_list(actor=actor, **list_kwargs(query)).count()
