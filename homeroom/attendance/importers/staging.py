"""The rows of the file being imported, with their roster ids, in a temporary table, and their merge into the two
places a day is stored (AttendanceRecord for a day with something to say, PresentDays for a plain present day).

A district's year is ~20 million rows: held as Python objects it would need tens of gigabytes. Rows are read
and checked one at a time and land here in batches (COPY on PostgreSQL; in_database gathers a clean file's plain
present days straight into bit strings instead, PRESENT_TABLE). Once the file is known to be clean the database
compares them with what is stored, the attendance rows are inserted and updated in one INSERT … SELECT … ON
CONFLICT, the rows to go are deleted, the changed PresentDays are rewritten from bits, and only the (student,
school year)s that changed are handed back, for re-evaluation. The tables live inside the import's transaction and
are gone after it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, connection
from django.db.backends.utils import CursorWrapper

from homeroom.attendance import bulk, present_days
from homeroom.attendance.models import AttendanceRecord, PresentDays
from homeroom.roster.models import School, Student

TABLE = "attendance_import_rows"
COLUMNS = ("row_number", "student_id", "school_id", "day", "school_year", "status", "reason", "minutes_present",
           "minutes_in_day", "documentation_on", "documentation_kind", "is_delete")
TYPES = ("integer", "integer", "integer", "date", "smallint", "varchar(16)", "varchar(40)", "smallint", "smallint",
         "date", "varchar(8)", "boolean")
# Staged column → the attendance table's column, for the values compared to tell a changed row from the same one.
VALUES = (("school_id", "school_id"), ("status", "status"), ("reason", "reason"),
          ("minutes_present", "minutes_present"), ("minutes_in_day", "minutes_in_day"),
          ("documentation_on", "documentation_received_on"), ("documentation_kind", "documentation_kind"))
# Plain present days read by in_database (PostgreSQL), already gathered: a bit string per student, school and year
# (`rows` of the file each), in place of a staged row per day.
PRESENT_TABLE = "attendance_import_present"
BATCH = 5000
# A staged row that is a plain present day (status present and nothing else said): a PresentDays character.
PLAIN = ("(s.status = 'present' AND s.reason = '' AND s.minutes_present IS NULL AND s.minutes_in_day IS NULL "
         "AND s.documentation_on IS NULL AND NOT s.is_delete)")
PRESENT_COLUMNS = ("district_id", "student_id", "school_id", "school_year", "days", "updated_at")

StagedRow = tuple[int, int, int, date, int, str, str, int | None, int | None, date | None, str, bool]


@dataclass
class Changed:
    """What the merge did to one student's school year: the earliest day it changed, and how many rows."""

    student_id: int
    school_year: int
    first_day: date
    created: int
    updated: int
    deleted: int


class Staging:
    """Create with the import's transaction open; `add` rows, `finish`, then `merge` them."""

    def __init__(self) -> None:
        self.pending: list[StagedRow] = []
        self.count = 0
        definition = ", ".join(f"{column} {kind}" for column, kind in zip(COLUMNS, TYPES, strict=True))
        drop = " ON COMMIT DROP" if connection.vendor == "postgresql" else ""
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
            cursor.execute(f"CREATE TEMPORARY TABLE {TABLE} ({definition}){drop}")
            if connection.vendor == "postgresql":  # filled by in_database only
                cursor.execute(f"DROP TABLE IF EXISTS {PRESENT_TABLE}")
                cursor.execute(f"CREATE TEMPORARY TABLE {PRESENT_TABLE} (student_id integer, school_id integer, "
                               f"school_year smallint, days bit({present_days.LENGTH}), rows integer, "
                               f"first_day date, last_day date){drop}")

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
                cursor.execute(f"ANALYZE {PRESENT_TABLE}")

    def duplicates(self, limit: int) -> list[tuple[int, int, date, int]]:
        """(row, student id, day, the earlier row) for each row that repeats a student and day."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.row_number, s.student_id, s.day, f.first_row FROM {TABLE} AS s JOIN ("  # noqa: S608
                f"SELECT student_id, day, MIN(row_number) AS first_row FROM {TABLE} GROUP BY student_id, day "
                f"HAVING COUNT(*) > 1) AS f ON s.student_id = f.student_id AND s.day = f.day "
                f"WHERE s.row_number > f.first_row ORDER BY s.row_number LIMIT %s", [limit])
            return [(r[0], r[1], _as_date(r[2]), r[3]) for r in cursor.fetchall()]

    def merge(self, district_id: int, now: datetime) -> tuple[list[Changed], int]:
        """Write the staged rows: the plain present days into PresentDays, the others into the attendance table.
        The (student, year)s changed, in student order, and the number of rows that were already stored as they
        are."""
        records = connection.ops.quote_name(AttendanceRecord._meta.db_table)
        present = connection.ops.quote_name(PresentDays._meta.db_table)
        postgres = connection.vendor == "postgresql"
        differs = " OR ".join(
            f"r.{stored} IS DISTINCT FROM s.{staged}" if postgres else f"r.{stored} IS NOT s.{staged}"
            for staged, stored in VALUES)
        # Where each staged day is stored now: as an attendance row (r), or as the "1" of one of the student's
        # PresentDays that year (p): never both, and for one school at most.
        position = present_days.position_sql("s.day", "s.school_year")
        joins = (f"LEFT JOIN {records} AS r ON r.student_id = s.student_id AND r.day = s.day "
                 f"LEFT JOIN {present} AS p ON p.student_id = s.student_id AND p.school_year = s.school_year "
                 f"AND substr(p.days, {position} + 1, 1) = '1'")
        stored = "(r.id IS NOT NULL OR p.id IS NOT NULL)"
        same = (f"CASE WHEN {PLAIN} THEN r.id IS NULL AND coalesce(p.school_id = s.school_id, false) "
                f"WHEN s.is_delete THEN false ELSE r.id IS NOT NULL AND p.id IS NULL AND NOT ({differs}) END")
        change = f"(NOT s.is_delete OR {stored}) AND NOT ({same})"
        record = f"NOT s.is_delete AND NOT {PLAIN}"  # a row for the attendance table
        sums = {
            "created": f"{change} AND NOT {stored}", "updated": f"{change} AND {stored} AND NOT s.is_delete",
            "deleted": f"{change} AND s.is_delete", "present": f"{change} AND (p.id IS NOT NULL OR {PLAIN})",
            "written": f"{change} AND {record}", "kept": "NOT s.is_delete",
            # stored attendance rows: replaced by a present day or to go; or that a staged row may update
            "gone": f"r.id IS NOT NULL AND (s.is_delete OR {PLAIN})", "found": f"r.id IS NOT NULL AND {record}",
        }
        with connection.cursor() as cursor:
            # Compare before writing (one pass over the staged rows, grouped by student and year).
            cursor.execute(
                f"SELECT s.student_id, s.school_year, MIN(CASE WHEN {change} THEN s.day END), "  # noqa: S608
                + ", ".join(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)" for condition in sums.values())
                + f" FROM {TABLE} AS s {joins} GROUP BY s.student_id, s.school_year", [])
            groups = [(student, year, first, dict(zip(sums, counts, strict=True)))
                      for student, year, first, *counts in cursor.fetchall()]
            total = {name: sum(counts[name] for *_key, counts in groups) for name in sums}
            changes = {(student, year): [_as_date(first), counts["created"], counts["updated"], counts["deleted"]]
                       for student, year, first, counts in groups if first is not None}
            rewrite = {(student, year) for student, year, _first, counts in groups if counts["present"]}
            gathered = _gathered(cursor) if postgres else {}
            kept = total["kept"] + sum(rows for schools in gathered.values() for _bits, rows in schools.values())
            before = _stored_present(rewrite | gathered.keys())
            replaced, replaced_ids = _records_on_gathered_days(cursor) if gathered else ({}, [])
            rewrite |= _compare_gathered(gathered, before, replaced, changes)
            changed = [Changed(student, year, first, created, updated, deleted)
                       for (student, year), (first, created, updated, deleted) in sorted(changes.items())]
            if not changed:
                return changed, kept
            if total["gone"]:
                cursor.execute(f"DELETE FROM {records} WHERE (student_id, day) IN ("  # noqa: S608
                               f"SELECT s.student_id, s.day FROM {TABLE} AS s WHERE s.is_delete OR {PLAIN})")
            if replaced_ids:  # attendance rows whose days the file now gives as plain present days
                condition, ids = bulk.ids_condition("id", replaced_ids)
                cursor.execute(f"DELETE FROM {records} WHERE {condition}", ids)  # noqa: S608
            if postgres and kept:
                _lock_referenced(cursor)
            if rewrite:
                _write_present(cursor, district_id, now, rewrite, before, gathered, staged_rows=total["present"] > 0)
            if total["written"]:
                stored_columns = ("district_id", "student_id", "day", "school_year",
                                  *(stored for _staged, stored in VALUES), "updated_at")
                staged_columns = ("%s", "student_id", "day", "school_year", *(staged for staged, _ in VALUES), "%s")
                # In student order, so that a student's year lies together on disk for the evaluation to read
                # (and each student's index entries are written together).
                insert = (f"INSERT INTO {records} ({', '.join(stored_columns)}) "  # noqa: S608
                          f"SELECT {', '.join(staged_columns)} FROM {TABLE} AS s WHERE {record} "
                          f"ORDER BY student_id, day")
                if total["found"]:  # some rows are stored already: insert or update each
                    sets = ", ".join(f"{stored} = excluded.{stored}" for _staged, stored in VALUES)
                    new_differs = " OR ".join(
                        f"{records}.{stored} IS DISTINCT FROM excluded.{stored}" if postgres
                        else f"{records}.{stored} IS NOT excluded.{stored}" for _staged, stored in VALUES)
                    insert += (f" ON CONFLICT (student_id, day) DO UPDATE SET {sets}, "
                               f"updated_at = excluded.updated_at WHERE {new_differs}")
                # Else every row is new (a new day, a first import): a plain INSERT, without the speculative
                # insertion ON CONFLICT costs per row. The district is locked, so no other import can have
                # stored one since the comparison; if anything had, the unique index would refuse it.
                cursor.execute(insert, [district_id, connection.ops.adapt_datetimefield_value(now)])
        return changed, kept - sum(c.created + c.updated for c in changed)

    def written_since(self, since: date, now: datetime, student_ids: list[int]) -> set[tuple[int, date]]:
        """The (student, day)s from `since` on that the merge (at `now`) created or changed, for these students."""
        table = connection.ops.quote_name(AttendanceRecord._meta.db_table)
        students, ids = bulk.ids_condition("s.student_id", student_ids)
        with connection.cursor() as cursor:
            stored = (f"SELECT 1 FROM {table} AS r WHERE r.student_id = s.student_id AND r.day = s.day "  # noqa: S608
                      f"AND r.updated_at = %s")
            # On PostgreSQL each staged row looks its stored row up by the unique index (a LATERAL with LIMIT 1:
            # joined freely, the planner read the whole attendance table to match the timestamp).
            written = (f"CROSS JOIN LATERAL ({stored} LIMIT 1) AS written WHERE" if connection.vendor == "postgresql"
                       else f"WHERE EXISTS ({stored}) AND")
            cursor.execute(
                f"SELECT s.student_id, s.day FROM {TABLE} AS s {written} "  # noqa: S608
                f"s.day >= %s AND NOT s.is_delete AND NOT {PLAIN} AND {students}",
                [connection.ops.adapt_datetimefield_value(now), since, *ids])
            return {(student, _as_date(day)) for student, day in cursor.fetchall()}

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
            cursor.execute(f"DROP TABLE IF EXISTS {PRESENT_TABLE}")


Year = tuple[int, int]  # (student, school year)


def _gathered(cursor: CursorWrapper) -> dict[Year, dict[int, tuple[int, int]]]:
    """The plain present days in_database gathered: (student, year) → school → (days as bits, the file's rows)."""
    cursor.execute(f"SELECT student_id, school_year, school_id, days::text, rows FROM {PRESENT_TABLE}")  # noqa: S608
    found: dict[Year, dict[int, tuple[int, int]]] = defaultdict(dict)
    for student, year, school, text, rows in cursor.fetchall():
        found[(student, year)][school] = (present_days.as_bits(text), rows)
    return found


def _stored_present(keys: set[Year]) -> dict[Year, dict[int, tuple[int, int]]]:
    """The PresentDays of these (student, year)s: school → (id, days as bits)."""
    stored: dict[Year, dict[int, tuple[int, int]]] = defaultdict(dict)
    ids = sorted({student for student, _year in keys})
    years = sorted({year for _student, year in keys})
    for start in range(0, len(ids), BATCH * 4):
        for pk, student, year, school, text in bulk.rows(bulk.with_ids(PresentDays.objects.filter(
                school_year__in=years), "student_id", ids[start:start + BATCH * 4]).values_list(
                "pk", "student_id", "school_year", "school_id", "days")):
            if (student, year) in keys:
                stored[(student, year)][school] = (pk, present_days.as_bits(text))
    return stored


def _records_on_gathered_days(cursor: CursorWrapper) -> tuple[dict[Year, int], list[int]]:
    """The attendance rows stored on days the file now says were plain present days: (student, year) → their days
    as bits, and their ids."""
    records = connection.ops.quote_name(AttendanceRecord._meta.db_table)
    position = present_days.position_sql("r.day", "r.school_year")
    cursor.execute(f"SELECT r.id, r.student_id, r.school_year, {position} "  # noqa: S608
                   f"FROM {PRESENT_TABLE} AS p JOIN {records} AS r ON r.student_id = p.student_id "
                   f"AND r.day BETWEEN p.first_day AND p.last_day WHERE get_bit(p.days, {position}) = 1")
    days: dict[Year, int] = defaultdict(int)
    ids = []
    for pk, student, year, position in cursor.fetchall():
        days[(student, year)] |= 1 << position
        ids.append(pk)
    return days, ids


def _compare_gathered(gathered: dict[Year, dict[int, tuple[int, int]]], before: dict[Year, dict[int, tuple[int, int]]],
                      replaced: dict[Year, int], changes: dict[Year, list]) -> set[Year]:  # type: ignore[type-arg]
    """Count the gathered days that are new or differ from what is stored into `changes` ([first day changed,
    created, updated, deleted] per (student, year)); the (student, year)s whose PresentDays change."""
    rewrite = set()
    for key, schools in gathered.items():
        stored = before.get(key, {})
        anywhere = replaced.get(key, 0)
        for _pk, bits in stored.values():
            anywhere |= bits
        for school, (bits, _rows) in schools.items():
            new = bits & ~stored.get(school, (0, 0))[1]
            if not new:
                continue
            rewrite.add(key)
            created = (new & ~anywhere).bit_count()
            first = present_days.origin(key[1]) + timedelta(days=(new & -new).bit_length() - 1)
            entry = changes.setdefault(key, [first, 0, 0, 0])
            entry[0] = min(entry[0], first)
            entry[1] += created
            entry[2] += new.bit_count() - created
    return rewrite


def _write_present(cursor: CursorWrapper, district_id: int, now: datetime, keys: set[Year],
                   before: dict[Year, dict[int, tuple[int, int]]], gathered: dict[Year, dict[int, tuple[int, int]]],
                   *, staged_rows: bool) -> None:
    """Rewrite the PresentDays of these (student, school year)s: each staged day leaves every school's days of
    the year, and the plain present ones are marked at their own school. A year that ends up with no day at a
    school loses its row there; a row that comes out as it was is not written."""
    staged: dict[Year, int] = defaultdict(int)
    plain: dict[Year, dict[int, int]] = defaultdict(dict)
    if staged_rows:
        days = present_days.gathered_sql("s.day", "s.school_year")
        cursor.execute(f"SELECT s.student_id, s.school_year, s.school_id, {days}, "  # noqa: S608
                       f"{present_days.gathered_sql('s.day', 's.school_year', PLAIN)} FROM {TABLE} AS s "
                       f"GROUP BY s.student_id, s.school_year, s.school_id", [])
        for student, year, school, every, marked in cursor.fetchall():
            if (student, year) in keys:
                staged[(student, year)] |= present_days.gathered(every)
                if marked:
                    plain[(student, year)][school] = present_days.gathered(marked)
    for key, schools in gathered.items():
        if key in keys:
            for school, (bits, _rows) in schools.items():
                staged[key] |= bits
                plain[key][school] = plain[key].get(school, 0) | bits
    inserts, updates, deletes = [], [], []
    moment = connection.ops.adapt_datetimefield_value(now)
    for key in keys:
        (student, year), stored, marked = key, before.get(key, {}), plain.get(key, {})
        for school in stored.keys() | marked.keys():
            pk, old = stored.get(school, (None, 0))
            new = old & ~staged[key] | marked.get(school, 0)
            if new == old:
                continue
            if pk is None:
                inserts.append((district_id, student, school, year, present_days.as_text(new), moment))
            elif new:
                updates.append((pk, present_days.as_text(new), moment))
            else:
                deletes.append(pk)
    bulk.insert(PresentDays, PRESENT_COLUMNS, inserts)
    bulk.update(PresentDays, ("id",), ("days", "updated_at"), updates)
    for start in range(0, len(deletes), BATCH):
        PresentDays.objects.filter(pk__in=deletes[start:start + BATCH]).delete()


def _lock_referenced(cursor: CursorWrapper) -> None:
    """Hold the students and schools the rows refer to against deletion until the import commits, and fail as
    the foreign keys would if one is gone already: what their checks did row by row (see AttendanceRecord),
    here once per student."""
    for model, column in ((Student, "student_id"), (School, "school_id")):
        cursor.execute(
            f"WITH wanted AS MATERIALIZED (SELECT DISTINCT {column} AS id FROM (SELECT {column} FROM {TABLE} "  # noqa: S608
            f"WHERE NOT is_delete UNION ALL SELECT {column} FROM {PRESENT_TABLE}) AS staged) "
            f"SELECT (SELECT COUNT(*) FROM wanted), (SELECT COUNT(*) FROM (SELECT 1 FROM "
            f"{connection.ops.quote_name(model._meta.db_table)} WHERE id IN (SELECT id FROM wanted) "
            f"FOR KEY SHARE) AS locked)")
        wanted, locked = cursor.fetchone()
        if locked != wanted:
            raise IntegrityError(f"Removed from the roster during the import: {wanted - locked} of the file's "
                                 f"{model._meta.verbose_name_plural}.")


def _as_date(value: date | str | None) -> date:
    """SQLite gives a temporary table's dates back as text."""
    return date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[return-value]
