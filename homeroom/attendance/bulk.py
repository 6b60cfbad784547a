"""Bulk writes for the attendance tables: COPY on PostgreSQL, one executemany elsewhere; no model instances."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet

BATCH = 5000


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _cols(columns: Sequence[str]) -> str:
    return ", ".join(connection.ops.quote_name(c) for c in columns)


def insert(model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT rows (tuples in `columns` order: column names, not field names)."""
    insert_into(model._meta.db_table, columns, rows)


def insert_into(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT rows into a table by name (a model's, or a temporary one)."""
    if not rows:
        return
    table = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({_cols(columns)}) FROM STDIN") as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
            return
        sql = f"INSERT INTO {table} ({_cols(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start:start + BATCH])


def update(model: type[Model], key: Sequence[str], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """UPDATE `columns` of the rows found by `key`; each row is (*key values, *column values)."""
    if not rows:
        return
    table = _table(model)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TEMPORARY TABLE attendance_staging ON COMMIT DROP AS "  # noqa: S608
                           f"SELECT {_cols([*key, *columns])} FROM {table} WITH NO DATA")
            with cursor.cursor.copy(f"COPY attendance_staging ({_cols([*key, *columns])}) FROM STDIN") as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
            sets = ", ".join(f"{quote(c)} = s.{quote(c)}" for c in columns)
            where = " AND ".join(f"t.{quote(c)} = s.{quote(c)}" for c in key)
            cursor.execute(f"UPDATE {table} AS t SET {sets} FROM attendance_staging AS s WHERE {where}")  # noqa: S608
            cursor.execute("DROP TABLE attendance_staging")
            return
        sets = ", ".join(f"{quote(c)} = %s" for c in columns)
        where = " AND ".join(f"{quote(c)} = %s" for c in key)
        sql = f"UPDATE {table} SET {sets} WHERE {where}"  # noqa: S608
        params = [(*row[len(key):], *row[:len(key)]) for row in rows]
        for start in range(0, len(params), BATCH):
            cursor.executemany(sql, params[start:start + BATCH])


def with_ids(queryset: QuerySet[Any], column: str, ids: Sequence[int]) -> QuerySet[Any]:
    """`column IN ids` without Django preparing each id one by one (a thousand per query, a hundred queries per
    import add up to seconds): one array parameter, `= ANY(%s)`, on PostgreSQL."""
    if connection.vendor != "postgresql":
        return queryset.filter(**{f"{column}__in": list(ids)})
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    return queryset.extra(where=[f"{table}.{connection.ops.quote_name(column)} = ANY(%s)"],  # noqa: S610
                          params=[list(ids)])


def rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """A values_list queryset's rows as the database driver returns them. The evaluation reads a year's rows, a
    few hundred thousand per chunk of students: Django's iteration over them cost more than the query."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
