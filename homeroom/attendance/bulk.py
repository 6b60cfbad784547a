"""Bulk writes for the attendance tables: COPY on PostgreSQL, one executemany elsewhere; no model instances."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, connection
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


def insert_new(model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]], key: Sequence[str]) -> None:
    """INSERT rows (as `insert`), leaving out those whose `key`, a unique constraint of the table, is stored
    already: a bulk_create(ignore_conflicts=True) without a model instance per row (an evaluation's outreach
    writes tens of thousands, and Django's preparing each one's fields cost more than the insert)."""
    if not rows:
        return
    table = _table(model)
    conflicts = f"ON CONFLICT ({_cols(key)}) DO NOTHING"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY into a temporary table, then one INSERT … SELECT
            new = _copied(cursor, model, columns, rows, "new")
            cursor.execute(f"INSERT INTO {table} ({_cols(columns)}) SELECT {_cols(columns)} FROM {new} "  # noqa: S608
                           f"{conflicts}")
            return
        sql = f"INSERT INTO {table} ({_cols(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) {conflicts}"  # noqa: S608
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


def replace(model: type[Model], key: Sequence[str], columns: Sequence[str], rows: Sequence[Sequence[Any]],
            scope: QuerySet[Any]) -> None:
    """Make the rows of `scope` those given (tuples in `columns` order, `key` among them and a unique constraint of
    the table; each row's key within the scope): delete the rows whose key is not given, update those whose values
    differ, insert the new ones, and leave the same rows alone.

    A day's import changes most students' counts by a day: updated in place, a row keeps its foreign keys, so
    PostgreSQL runs no foreign-key check for it at commit (deleting and inserting it again ran three), and a row
    that did not change is not written at all.
    """
    table, quote = _table(model), connection.ops.quote_name
    scope_sql, scope_params = scope.values("pk").query.sql_with_params()
    match = " AND ".join(f"{table}.{quote(c)} = s.{quote(c)}" for c in key)
    values = [c for c in columns if c not in key]
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    differs = " OR ".join(f"{table}.{quote(c)} {distinct} s.{quote(c)}" for c in values)
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        replacing = _copied(cursor, model, columns, rows, "replacing")
        if postgres:  # how many rows it holds: else the planner reads the whole table to find the new ones
            # (the key's columns only: the statistics of a checkpoint's JSON took longer than the update)
            cursor.execute(f"ANALYZE {replacing} ({_cols(key)})")
        cursor.execute(f"DELETE FROM {table} WHERE {quote(str(model._meta.pk.column))} IN ({scope_sql}) "  # noqa: S608
                       f"AND NOT EXISTS (SELECT 1 FROM {replacing} AS s WHERE {match})", scope_params)
        sets = ", ".join(f"{quote(c)} = s.{quote(c)}" for c in values)
        cursor.execute(f"UPDATE {table} SET {sets} FROM {replacing} AS s WHERE {match} AND ({differs})")  # noqa: S608
        # The new rows are those the table's unique key turns away, not those a NOT EXISTS finds missing: the
        # planner, told the table was empty (a district's first year, analyzed), scanned it whole for each row it
        # inserted as it filled (56 s for a year's months; on conflict, each row is one index probe). WHERE true:
        # SQLite's parser needs it before ON CONFLICT. A scope with no rows at all (a first import) takes a plain
        # INSERT, without the speculative insertion ON CONFLICT costs per row.
        cursor.execute(f"SELECT EXISTS ({scope_sql})", scope_params)
        conflicts = f" WHERE true ON CONFLICT ({_cols(key)}) DO NOTHING" if cursor.fetchone()[0] else ""
        cursor.execute(f"INSERT INTO {table} ({_cols(columns)}) SELECT {_cols(columns)} FROM {replacing} AS s"  # noqa: S608
                       + conflicts)


def _copied(cursor: Any, model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]],
            purpose: str) -> str:
    """The rows in a temporary table shaped as the model's columns, and its quoted name: one per purpose, model and
    transaction, emptied for each call (an import makes dozens)."""
    postgres = connection.vendor == "postgresql"
    name = f"{purpose}_{model._meta.db_table}"
    quoted = connection.ops.quote_name(name)
    cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {quoted} {'ON COMMIT DROP ' if postgres else ''}"  # noqa: S608
                   f"AS SELECT {_cols(columns)} FROM {_table(model)} WHERE 1 = 0")
    cursor.execute(f"{'TRUNCATE' if postgres else 'DELETE FROM'} {quoted}")
    insert_into(name, columns, rows)
    return quoted


def hold(model: type[Model], ids: Iterable[int]) -> None:
    """Hold these rows of `model` against deletion until the transaction ends, and fail as a foreign key's check
    would if one is gone already: for rows written in bulk with unchecked foreign keys to them (the lock a check
    takes for each row, FOR KEY SHARE, once per row referred to)."""
    wanted = sorted(set(ids))
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""  # SQLite: one writer at a time anyway
    step = len(wanted) if connection.vendor == "postgresql" else 500  # SQLite: a few hundred parameters a query
    found = 0
    with connection.cursor() as cursor:
        for start in range(0, len(wanted), max(step, 1)):
            condition, params = ids_condition("id", wanted[start:start + step])
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {_table(model)} WHERE {condition}{lock}) AS held",  # noqa: S608
                           params)
            found += cursor.fetchone()[0]
    if found != len(wanted):
        raise IntegrityError(f"{len(wanted) - found} of the {model._meta.verbose_name_plural} written about are gone.")


def with_ids(queryset: QuerySet[Any], column: str, ids: Sequence[int]) -> QuerySet[Any]:
    """`column IN ids` without Django preparing each id one by one (a thousand per query, a hundred queries per
    import add up to seconds): one array parameter on PostgreSQL (see ids_condition)."""
    if connection.vendor != "postgresql" or not ids:
        return queryset.filter(**{f"{column}__in": list(ids)})
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    condition, params = ids_condition(f"{table}.{connection.ops.quote_name(column)}", ids)
    return queryset.extra(where=[condition], params=params)  # noqa: S610


def ids_condition(column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
    """`column IN ids` for a raw query: the condition and its parameters.

    On PostgreSQL one array, `= ANY(%s::bigint[])`, and the range the ids span: the planner, unable to tell how
    many rows thousands of ids find, read the whole table for every chunk of students (23 times over for a
    year's evaluation at 111,112 students); the range lets an index that starts with the column find them."""
    if not ids:
        return "1 = 0", []
    if connection.vendor == "postgresql":
        return (f"{column} BETWEEN %s AND %s AND {column} = ANY(%s::bigint[])",
                [min(ids), max(ids), array_literal(ids)])
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def array_literal(values: Iterable[Any]) -> str:
    """A PostgreSQL array of numbers or dates, written as its text form ("{1,2,3}") for a `%s::type[]` parameter.

    The driver writes a list parameter element by element, checking each for characters to escape: for the
    hundreds of thousands of ids a day's import passes that cost a second. Numbers and ISO dates need no
    escaping.
    """
    return "{" + ",".join(map(str, values)) + "}"


def rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """A values_list queryset's rows as the database driver returns them. The evaluation reads a year's rows, a
    few hundred thousand per chunk of students: Django's iteration over them cost more than the query."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
