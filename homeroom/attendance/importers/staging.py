"""The rows of the file being imported, with their roster ids, in a temporary table.

A district's year is ~20 million rows: held as Python objects it would need tens of gigabytes. Rows are read
and checked one at a time and land here in batches (COPY on PostgreSQL); the import then works through the
students a chunk at a time. The table lives inside the import's transaction and is gone after it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection

from homeroom.attendance import bulk

TABLE = "attendance_import_rows"
COLUMNS = ("row_number", "student_id", "school_id", "day", "status", "reason", "minutes_present", "minutes_in_day",
           "documentation_on", "documentation_kind", "is_delete")
TYPES = ("integer", "integer", "integer", "date", "varchar(16)", "varchar(40)", "smallint", "smallint", "date",
         "varchar(8)", "boolean")
BATCH = 5000

StagedRow = tuple[int, int, int, date, str, str, int | None, int | None, date | None, str, bool]


class Staging:
    """Create with the import's transaction open; `add` rows, `finish`, then read them back by student."""

    def __init__(self) -> None:
        self.pending: list[StagedRow] = []
        self.count = 0
        definition = ", ".join(f"{column} {kind}" for column, kind in zip(COLUMNS, TYPES, strict=True))
        drop = " ON COMMIT DROP" if connection.vendor == "postgresql" else ""
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
            cursor.execute(f"CREATE TEMPORARY TABLE {TABLE} ({definition}){drop}")

    def add(self, row: StagedRow) -> None:
        self.pending.append(row)
        if len(self.pending) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        bulk.insert_into(TABLE, COLUMNS, self.pending)
        self.count += len(self.pending)
        self.pending = []

    def finish(self) -> None:
        self._flush()
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX {TABLE}_student ON {TABLE} (student_id, day)")
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {TABLE}")

    def duplicates(self, limit: int) -> list[tuple[int, int, date, int]]:
        """(row, student id, day, the earlier row) for each row that repeats a student and day."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.row_number, s.student_id, s.day, f.first_row FROM {TABLE} AS s JOIN ("  # noqa: S608
                f"SELECT student_id, day, MIN(row_number) AS first_row FROM {TABLE} GROUP BY student_id, day "
                f"HAVING COUNT(*) > 1) AS f ON s.student_id = f.student_id AND s.day = f.day "
                f"WHERE s.row_number > f.first_row ORDER BY s.row_number LIMIT %s", [limit])
            return [(r[0], r[1], _as_date(r[2]), r[3]) for r in cursor.fetchall()]

    def students(self) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT student_id FROM {TABLE} ORDER BY student_id")  # noqa: S608
            return [row[0] for row in cursor.fetchall()]

    def rows_between(self, first: int, last: int) -> list[tuple[Any, ...]]:
        """The rows of students `first` to `last` (ids), without their row numbers."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(COLUMNS[1:])} FROM {TABLE} "  # noqa: S608
                           f"WHERE student_id BETWEEN %s AND %s ORDER BY student_id, day", [first, last])
            return [(r[0], r[1], _as_date(r[2]), *r[3:7], _as_date(r[7]), r[8], bool(r[9]))
                    for r in cursor.fetchall()]

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def _as_date(value: date | str | None) -> Any:
    """SQLite gives a temporary table's dates back as text."""
    return date.fromisoformat(value) if isinstance(value, str) else value
