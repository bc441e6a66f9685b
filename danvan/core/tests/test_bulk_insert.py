"""insert_rows / insert_many store exactly what save() stores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import models
from django.utils import timezone

from danvan.audit import services as audit
from danvan.audit.models import AuditEvent
from danvan.core.bulk_insert import insert_many, insert_rows
from danvan.movement.models import Entry, Field, Period
from danvan.units.models import Unit

pytestmark = pytest.mark.django_db


def _values(obj: models.Model, exclude: set[str]) -> dict[str, Any]:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in exclude
    }


def _entry(commune: Unit, name: str) -> Entry:
    return Entry(
        unit=commune,
        kind="initiative",
        name=name,
        name_folded=name.lower(),
        field=Field.objects.get(code="kinh-te"),
        registration_year=2024,
        period=Period.objects.get(name="2021–2025"),
        start_date=dt.date(2024, 3, 1),
        money_mobilized=Decimal("1500000000"),
        land_donated_m2=Decimal("3500.5"),
        working_days=12,
    )


def test_insert_many_stores_what_save_stores(commune: Unit) -> None:
    saved = _entry(commune, "Lưu bằng save()")
    saved.save()
    bulk = _entry(commune, "Ghi hàng loạt")
    before = timezone.now()
    insert_many(Entry, [bulk])
    assert bulk.pk is None  # unlike bulk_create: look rows up by a unique column
    loaded = Entry.objects.get(public_id=bulk.public_id)
    saved.refresh_from_db()
    skip = {"id", "public_id", "name", "name_folded", "created_at", "updated_at"}
    assert _values(loaded, skip) == _values(saved, skip)
    assert loaded.created_at >= before  # auto_now_add / auto_now filled as save() would
    assert loaded.updated_at == loaded.created_at


def test_insert_rows_fills_defaults_and_prepares_json(commune: Unit) -> None:
    insert_rows(
        AuditEvent,
        [
            {
                "action": "create",
                "model_label": "movement.entry",
                "object_pk": "bulk-insert-test",
                "object_repr": "Mô hình",
                "unit_id": commune.pk,
                "unit_path": commune.path,
                "changes": {"name": [None, "Mô hình “Dân vận khéo”"]},
            }
        ],
    )
    event = AuditEvent.objects.get(object_pk="bulk-insert-test")
    assert event.changes == {"name": [None, "Mô hình “Dân vận khéo”"]}
    assert event.actor_id is None  # the fields' defaults
    assert event.actor_repr == ""
    assert event.at is not None


def test_bulk_create_audit_equals_the_single_one(commune: Unit) -> None:
    entry = _entry(commune, "Một mô hình")
    entry.save()
    audit.record_bulk_create(actor=None, instances=[entry])
    bulk = AuditEvent.objects.get(model_label="movement.entry", object_pk=str(entry.pk))
    assert bulk.changes == audit.diff({}, audit.snapshot(entry))
    assert (bulk.unit_id, bulk.unit_path) == (commune.pk, commune.path)
    assert bulk.object_repr == "Một mô hình"
