"""Writing the audit trail. Every service that changes a domain record calls one of these."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models

from .context import client_ip
from .models import AuditEvent

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> Snapshot:
    """The concrete field values of *instance*, as JSON-ready data keyed by field name."""
    names = set(fields) if fields is not None else None
    data: Snapshot = {}
    for field in instance._meta.concrete_fields:
        if names is not None and field.name not in names:
            continue
        data[field.name] = _plain(getattr(instance, field.attname))
    return data


# Bookkeeping columns that move on every save; recording them would turn a
# save that changed nothing into a change.
_IGNORED_FIELDS = frozenset({"updated_at"})


def diff(before: Snapshot, after: Snapshot) -> dict[str, list[Any]]:
    """{field: [from, to]} for every field whose value changed."""
    keys = (before.keys() | after.keys()) - _IGNORED_FIELDS
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


def _unit_of(instance: models.Model) -> tuple[int | None, str]:
    unit = getattr(instance, "audit_unit", None)
    if unit is None:
        return None, ""
    return unit.pk, unit.path


def record(
    *,
    actor: Any,
    action: str,
    instance: models.Model,
    changes: dict[str, list[Any]],
) -> AuditEvent:
    unit_id, unit_path = _unit_of(instance)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_repr=(actor_obj.get_username() if actor_obj else "hệ thống"),
        ip_address=client_ip.get(),
        action=action,
        model_label=instance._meta.label_lower,
        object_pk=str(instance.pk),
        object_repr=str(instance)[:300],
        unit_id=unit_id,
        unit_path=unit_path,
        changes=changes,
    )


def record_create(*, actor: Any, instance: models.Model) -> AuditEvent:
    return record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=instance,
        changes=diff({}, snapshot(instance)),
    )


def record_update(*, actor: Any, instance: models.Model, before: Snapshot) -> AuditEvent | None:
    """Record a change; returns None (and writes nothing) when no field changed."""
    changes = diff(before, snapshot(instance))
    if not changes:
        return None
    return record(actor=actor, action=AuditEvent.Action.UPDATE, instance=instance, changes=changes)


def record_delete(*, actor: Any, instance: models.Model) -> AuditEvent:
    return record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=instance,
        changes=diff(snapshot(instance), {}),
    )


def record_bulk_create(*, actor: Any, instances: list[Any]) -> None:
    """One create event per instance, written in bulk (used by the loaders)."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    ip = client_ip.get()
    events = []
    for instance in instances:
        unit_id, unit_path = _unit_of(instance)
        events.append(
            AuditEvent(
                actor=actor_obj,
                actor_repr=(actor_obj.get_username() if actor_obj else "hệ thống"),
                ip_address=ip,
                action=AuditEvent.Action.CREATE,
                model_label=instance._meta.label_lower,
                object_pk=str(instance.pk),
                object_repr=str(instance)[:300],
                unit_id=unit_id,
                unit_path=unit_path,
                changes=diff({}, snapshot(instance)),
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=500)
