"""Writing the audit trail. Every service that changes a domain record calls one of these."""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import operator
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from danvan.core.bulk_insert import insert_rows

from .context import client_ip
from .models import AuditEvent

Snapshot = dict[str, Any]


# Values stored as they are (checked first: a snapshot meets them most).
_AS_IS = frozenset({str, int, bool, float, type(None)})


def _plain(value: Any) -> Any:
    if type(value) in _AS_IS:
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        # A file column is recorded by its storage name, not its contents.
        return value.name or ""
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


@functools.cache
def _columns(model: type[models.Model]) -> tuple[tuple[str, ...], Any]:
    """The names of *model*'s concrete fields, sorted (as diff orders them), and a getter
    of their attribute values from an instance's __dict__, in the same order."""
    fields = sorted((f.name, f.attname) for f in model._meta.concrete_fields)
    return tuple(name for name, _ in fields), operator.itemgetter(*(a for _, a in fields))


def _created(instance: models.Model) -> dict[str, list[Any]]:
    """diff({}, snapshot(instance)) in one pass, for the bulk writers: [None, value] for
    every field that is set."""
    names, getter = _columns(type(instance))
    try:
        values = getter(instance.__dict__)  # a foreign key's id is behind a descriptor
    except KeyError:  # a deferred field: read it the slow way
        return diff({}, snapshot(instance))
    return {
        name: [None, value if type(value) in _AS_IS else _plain(value)]
        for name, value in zip(names, values, strict=True)
        if value is not None and name not in _IGNORED_FIELDS
    }


def _unit_of(instance: models.Model) -> tuple[int | None, str]:
    unit = getattr(instance, "audit_unit", None)
    if unit is None:
        return None, ""
    return unit.pk, unit.path


# What the trail writes instead of a personal value (see _masked).
MASK = "[dữ liệu cá nhân, không ghi]"


# Never written whatever the model: a user's password hash is a secret, not a change to read.
SECRET_FIELDS = frozenset({"password"})


def _masked(instance: models.Model, changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """*changes* with the values of the model's personal fields hidden.

    A model lists them in ``audit_private_fields`` (a commenter's name and contact, the
    citizens received at a session): the audit trail is read by auditors who are not
    entitled to them (Law 91/2025/QH15 on personal data protection). The trail still
    says that such a field was set, changed or cleared: a value becomes MASK, an empty
    one stays empty. Changes are computed on the real values before masking.
    """
    private = SECRET_FIELDS | frozenset(getattr(type(instance), "audit_private_fields", ()))
    if not private & changes.keys():
        return changes
    return {
        name: [MASK if v not in (None, "") else v for v in values] if name in private else values
        for name, values in changes.items()
    }


def record(
    *,
    actor: Any,
    action: str,
    instance: models.Model,
    changes: dict[str, list[Any]],
) -> AuditEvent:
    changes = _masked(instance, changes)
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


def record_view(*, actor: Any, instance: models.Model, what: str) -> AuditEvent:
    """Record that *actor* read protected data of *instance* (*what*: which part)."""
    changes: dict[str, list[Any]] = {"viewed": [None, what]}
    return record(actor=actor, action=AuditEvent.Action.VIEW, instance=instance, changes=changes)


def record_delete(*, actor: Any, instance: models.Model) -> AuditEvent:
    return record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=instance,
        changes=diff(snapshot(instance), {}),
    )


def _bulk_write(
    *, actor: Any, action: str, items: Iterable[tuple[models.Model, dict[str, list[Any]]]]
) -> None:
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    common = {
        "actor_id": actor_obj.pk if actor_obj else None,
        "actor_repr": actor_obj.get_username() if actor_obj else "hệ thống",
        "ip_address": client_ip.get(),
        "action": action,
    }
    rows = []
    for instance, changes in items:
        unit_id, unit_path = _unit_of(instance)
        rows.append(
            {
                **common,
                "model_label": instance._meta.label_lower,
                "object_pk": str(instance.pk),
                "object_repr": str(instance)[:300],
                "unit_id": unit_id,
                "unit_path": unit_path,
                "changes": _masked(instance, changes),
            }
        )
    # Plain rows and one prepared statement: loaders write tens of thousands of events.
    insert_rows(AuditEvent, rows)


def record_bulk_create(*, actor: Any, instances: list[Any]) -> None:
    """One create event per instance, written in bulk (used by the loaders)."""
    _bulk_write(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        items=((instance, _created(instance)) for instance in instances),
    )


def record_bulk_update(*, actor: Any, changes: list[tuple[Any, Snapshot]]) -> None:
    """One update event per (instance, snapshot before the change) whose fields changed,
    written in bulk (used by the spreadsheet import)."""
    items = ((instance, diff(before, snapshot(instance))) for instance, before in changes)
    _bulk_write(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        items=((instance, delta) for instance, delta in items if delta),
    )
