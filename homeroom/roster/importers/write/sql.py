"""Plain executemany INSERT and UPDATE for large batches (the ORM's per-value SQL compiling is the bottleneck)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import BooleanField, CharField, Field, ForeignKey, IntegerField, JSONField, Model, TextField
from django.utils import timezone

BATCH = 5000
# Values of these fields go to the driver as they are; others (dates, decimals, JSON) go through the field.
PLAIN = (CharField, TextField, BooleanField, IntegerField, ForeignKey)


def _converter(field: Field, db: Any) -> Callable[[Any], Any]:
    """value → what the driver gets; dates and decimals repeat a lot in an export, so remember them."""
    if isinstance(field, PLAIN):
        return _same
    if isinstance(field, JSONField):
        return lambda value: field.get_db_prep_save(value, db)
    memo: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return memo[value]
        except KeyError:
            memo[value] = prepared = field.get_db_prep_save(value, db)
            return prepared

    return convert


def _same(value: Any) -> Any:
    return value


def _prep(field: Field, value: Any) -> Any:
    return value if isinstance(field, PLAIN) else field.get_db_prep_save(value, connection)


def _columns(model: type[Model]) -> list[Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _field(model: type[Model], attname: str) -> Field:
    found = next((f for f in model._meta.concrete_fields if f.attname == attname), None)
    if found is None:
        raise ValueError(f"{model.__name__} has no column {attname}")
    return found


def insert_rows(model: type[Model], rows: Sequence[dict[str, Any]]) -> None:
    """INSERT rows given as {attname: value}; missing fields take their defaults (auto_now ones: now)."""
    if not rows:
        return
    fields = _columns(model)
    db = connections[DEFAULT_DB_ALIAS]
    now = timezone.now()
    defaults: list[Any] = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults.append(field.get_db_prep_save(now, connection))
        else:
            defaults.append(_prep(field, field.get_default()))
    quote = connection.ops.quote_name
    # Table and column names come from the model, quoted; values are always parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table), ", ".join(quote(str(f.column)) for f in fields), ", ".join(["%s"] * len(fields))
    )
    plan = [(f.attname, _converter(f, db), default) for f, default in zip(fields, defaults, strict=True)]
    with connection.cursor() as cursor:
        # Parameters one batch at a time: for 400,000 enrollments, all at once was ~100 MB more at the peak.
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [[convert(row[name]) if name in row else default for name, convert, default in plan]
                                     for row in rows[start:start + BATCH]])


def update_rows(model: type[Model], names: list[str], rows: Sequence[tuple[int, dict[str, Any]]]) -> None:
    """UPDATE the named fields (attnames) of rows given as (pk, {attname: value})."""
    if not rows:
        return
    meta = model._meta
    fields = [_field(model, name) for name in names]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
        quote(meta.db_table), ", ".join(f"{quote(str(f.column))} = %s" for f in fields), quote(str(meta.pk.column))
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [[_prep(f, values[name]) for name, f in zip(names, fields, strict=True)] + [pk]
                                     for pk, values in rows[start:start + BATCH]])
