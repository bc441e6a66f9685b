"""Inserting many rows of one model fast: one prepared INSERT run with executemany.

``QuerySet.bulk_create`` compiles and prepares every value of every row through the
ORM (several microseconds per value) and, on SQLite, splits the rows into statements of
999 parameters. For loaders that write 10^5 rows (the spreadsheet import and its audit
rows) that is most of the time. Here the statement is built once, run with
``cursor.executemany``, and only the values whose type needs it (dates with times, UUIDs,
decimals, JSON …) are prepared, by the field itself, so what is stored is exactly what
``save()`` would store.

Unlike ``bulk_create`` nothing sets the primary keys on the objects (look them up by a
unique column such as ``public_id`` when needed), and no signal is sent. Defaults and
``auto_now``/``auto_now_add`` are filled in as ``save()`` would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

# Types whose Python value is already what the database driver takes.
_AS_IS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


_MISSING = object()


def _preparer(field: models.Field[Any, Any], connection: Any) -> Callable[[Any], Any] | None:
    if isinstance(field, _AS_IS) or type(field) is models.DateField:
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def _stamped(field: models.Field[Any, Any]) -> bool:
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def insert_rows(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]], batch: int = 2000
) -> None:
    """INSERT *rows*, each a mapping of field attribute names (``unit_id``) to values,
    into *model*'s table. A missing value takes the field's default (now, for
    ``auto_now``/``auto_now_add``); an automatic primary key is left to the database."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField))
    ]
    now = timezone.now()
    columns: list[tuple[str, Callable[[Any], Any] | None, Callable[[], Any]]] = []
    for f in fields:
        if _stamped(f):
            default = _constant(now.date() if type(f) is models.DateField else now)
        else:
            default = f.get_default
        columns.append((f.attname, _preparer(f, connection), default))
    quote = connection.ops.quote_name
    # Only identifiers (quoted by the backend) are formatted in; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            params: list[list[Any]] = [[] for _ in chunk]
            for name, prepare, default in columns:
                # Column by column, so a value repeated down a column (a timestamp, a
                # unit) is prepared once.
                last: Any = object()
                prepared: Any = None
                for values, row in zip(params, chunk, strict=True):
                    value = row.get(name, _MISSING)
                    if value is _MISSING:
                        value = default()
                    if prepare is not None:
                        if value is not last:
                            last, prepared = value, prepare(value)
                        value = prepared
                    values.append(value)
            cursor.executemany(sql, params)


def _stamp(objs: Sequence[models.Model]) -> None:
    """What save() does to auto_now/auto_now_add fields, with one time for all rows."""
    stamped = [f for f in objs[0]._meta.concrete_fields if _stamped(f)] if objs else []
    now = timezone.now()
    for f in stamped:
        value = now if isinstance(f, models.DateTimeField) else now.date()
        for obj in objs:
            setattr(obj, f.attname, value)


def insert_many(model: type[models.Model], objs: Sequence[models.Model], batch: int = 2000) -> None:
    """INSERT unsaved instances of *model* (their primary keys stay unset)."""
    _stamp(objs)
    insert_rows(model, [obj.__dict__ for obj in objs], batch=batch)
