"""Reading a clean file the fast way, on PostgreSQL: COPY it as text, the plain present days apart from the other
lines as it goes (see _create_tables), then check and resolve the lines in two statements: one stages the other
lines, the other gathers the plain present days into bit strings. Each keeps only the lines it finds plainly right,
so the two together account for every line of a clean file.

A district's year is 20 million rows, nearly always clean, and reading each in Python cost as much as the rest of
the import. The database here only decides whether every row is plainly right; it never explains a problem. Any
row it is not sure of (a cell not written the plainest way, a student or school not on the roster, a day in the
future or not a school day, a line it cannot read) sends the whole file the usual way (parse.py and
run._Resolver), which names every problem by file, row and field: the messages have one author.

A file with a double quote anywhere goes the usual way too: PostgreSQL's and Python's CSV readers disagree about
quotes inside a cell, and without quotes a row is a line (which counting the lines relies on, in _stage).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.backends.utils import CursorWrapper

from homeroom.attendance import present_days
from homeroom.attendance.evaluation import Calendars, school_year_of
from homeroom.attendance.importers.parse import DOCUMENT_KINDS, MAX_MINUTES, SPEC, STATUS_WORDS
from homeroom.attendance.importers.staging import COLUMNS, PRESENT_TABLE, TABLE
from homeroom.roster.importers.source import Limits, SourceFile
from homeroom.roster.models import School, Student

TEXT_TABLE = "attendance_import_text"
PLAIN_LINES = f"{TEXT_TABLE}_plain"  # its two parts (see _create_tables)
OTHER_LINES = f"{TEXT_TABLE}_other"
DAYS_TABLE = "attendance_import_days"
YEARS_BACK = 20
# The cells of a plain present day (staging.PLAIN) as a file writes it most plainly: "present", every other one
# empty (those the file has, in this order).
PLAIN_CELLS = ("status", "reasonCode", "documentationReceived", "documentationType", "minutesPresent",
               "minutesInDay", "recordStatus")
CHUNK_BYTES = 1 << 20
MINUTES = "'^[0-9]{1,4}$'"
# The most characters the cells parse.py reads can have once checked (ids of 255, words, dates and numbers).
LONGEST_READ = 2 * 255 + 200
# What str.strip() removes: an id the Python reading would strip first is not plain.
WHITE_SPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


class _NotPlain(Exception):
    """The file has something only the Python reading handles (a double quote)."""


def stage_if_clean(source: SourceFile, columns: list[str], *, district_id: int, today: date,
                   reasons: Iterable[str], calendars: Calendars, limits: Limits) -> bool:
    """Stage every row of the file if all are clean and return True; else stage nothing and return False."""
    if connection.vendor != "postgresql":
        return False
    try:
        with transaction.atomic():
            if _stage(source, columns, district_id, today, sorted(reasons), calendars, limits):
                return True
            transaction.set_rollback(True)
    except (_NotPlain, DatabaseError):  # a line COPY or a date cast refused: the Python reading will say why
        pass
    return False


def _stage(source: SourceFile, columns: list[str], district_id: int, today: date, reasons: list[str],
           calendars: Calendars, limits: Limits) -> bool:
    c = _Cells(columns)
    with connection.cursor() as cursor:
        _create_tables(cursor, c, today)
        with connection.wrap_database_errors, source.open() as raw, cursor.cursor.copy(
                f"COPY {TEXT_TABLE} ({', '.join(c.names)}) FROM STDIN WITH (FORMAT csv, HEADER true, "
                f"FORCE_NOT_NULL ({', '.join(c.names)}))") as copy:  # an empty cell is '', as in Python
            lines = 0
            last = b"\n"
            while chunk := raw.read(CHUNK_BYTES):
                if b'"' in chunk:
                    raise _NotPlain
                lines += chunk.count(b"\n")
                last = chunk[-1:]
                copy.write(chunk)
        lines += last != b"\n"
        rows = cursor.cursor.rowcount  # COPY's own count of the rows it read
        if lines != rows + 1:  # a blank line, a lone carriage return, an end-of-data marker: not one row a line
            return False
        params = _params(district_id, today, reasons, limits)
        with _hashed(cursor):
            cursor.execute(_insert_sql(c), params)
            staged = cursor.rowcount
            cursor.execute(_gather_sql(c), params)
        cursor.execute(f"SELECT coalesce(sum(rows), 0) FROM {PRESENT_TABLE}")  # noqa: S608
        if staged + cursor.fetchone()[0] != rows:  # a line not plainly right, or not on the roster
            return False
        if _a_day_twice(cursor):
            return False  # the Python reading names both rows
        cursor.execute(f"SELECT DISTINCT school_id, day FROM {TABLE} WHERE NOT is_delete")  # noqa: S608
        if not all(calendars[school](day) for school, day in cursor.fetchall()):
            return False  # a row on a day off, which the Python reading warns about
        cursor.execute(f"SELECT school_id, school_year, bit_or(days)::text FROM {PRESENT_TABLE} "  # noqa: S608
                       f"GROUP BY school_id, school_year")
        if not all(calendars[school](day) for school, year, text in cursor.fetchall()
                   for day in present_days.days_of(year, text)):
            return False
        cursor.execute(f"DROP TABLE {TEXT_TABLE}")
        cursor.execute(f"DROP TABLE {DAYS_TABLE}")
    return True


def _create_tables(cursor: CursorWrapper, c: _Cells, today: date) -> None:
    """The file's table, in two parts, and the table of the days a line may give.

    A line whose cells say "present" and nothing else, written exactly so (nine lines in ten), lands in
    PLAIN_LINES as COPY reads it, every other line in OTHER_LINES: each statement then reads only its own lines,
    and neither looks at a status or a reason to tell them apart. Partitioning compares cells byte by byte
    (COLLATE "C"): the range from the plain cells to the same with the last one followed by the lowest character
    holds exactly the lines whose cells are those (a cell cannot hold a character lower). A line worded otherwise
    ("Present", recordStatus "active") is one of the other lines, which are staged as rows (the merge stores a
    plain present day staged as a row as it stores one gathered).

    The days run from July 1 twenty school years back to today, each as written (YYYY-MM-DD), with its school year
    and its bit in that year: joined to the plain lines by the text of their date cell, they stand for reading,
    checking and placing each date (a year's 18.8 million plain lines were gathered in 12.6 s instead of 21.8 s),
    and a date in another form, in the future or in the distant past finds no day."""
    key = [(name, "present" if column == "status" else "") for column, name in c.plain_cells]
    bound = ", ".join(f"'{value}'" for _name, value in key)
    upper = ", ".join([*(f"'{value}'" for _name, value in key[:-1]), f"E'{key[-1][1]}\\x01'"])
    collated = ", ".join(f'{name} COLLATE "C"' for name, _value in key)
    first = date(school_year_of(today) - YEARS_BACK, 7, 1)
    cursor.execute(f"DROP TABLE IF EXISTS {TEXT_TABLE}")
    cursor.execute(f"CREATE TEMPORARY TABLE {TEXT_TABLE} ({', '.join(f'{name} text' for name in c.names)}) "
                   f"PARTITION BY RANGE ({collated}) ON COMMIT DROP")
    cursor.execute(f"CREATE TEMPORARY TABLE {PLAIN_LINES} PARTITION OF {TEXT_TABLE} "
                   f"FOR VALUES FROM ({bound}) TO ({upper})")
    cursor.execute(f"CREATE TEMPORARY TABLE {OTHER_LINES} PARTITION OF {TEXT_TABLE} DEFAULT")
    cursor.execute(f"DROP TABLE IF EXISTS {DAYS_TABLE}")
    cursor.execute(f"CREATE TEMPORARY TABLE {DAYS_TABLE} (written text, school_year smallint, "
                   f"bit bit({present_days.LENGTH})) ON COMMIT DROP")
    cursor.execute(f"INSERT INTO {DAYS_TABLE} SELECT to_char(d, 'YYYY-MM-DD'), y, "  # noqa: S608
                   f"B'1'::bit({present_days.LENGTH}) >> (d - make_date(y, 7, 1)) "
                   f"FROM generate_series(%s::date, %s::date, interval '1 day') AS series (moment), "
                   f"LATERAL (SELECT moment::date AS d) AS dated, "
                   f"LATERAL (SELECT (extract(year FROM d) - (extract(month FROM d) < 7)::integer)::integer AS y) "
                   f"AS school_year", [first, today])
    cursor.execute(f"ANALYZE {DAYS_TABLE}")


# How the two statements reading the file are planned (see _hashed).
HASHED = {"enable_nestloop": "off", "enable_sort": "off", "work_mem": "256MB"}


@contextlib.contextmanager
def _hashed(cursor: CursorWrapper) -> Iterator[None]:
    """Join the file's lines to the roster and group them by hashing, in memory, whatever the planner expects.

    The planner cannot tell how many lines each part of the file holds (they have no statistics), and the
    roster's statistics can be older than its students (a roster imported a minute before). It then compared
    each line with every student in turn (minutes), or sorted a million ids by the locale's rules to group them
    (two seconds); hashing takes a fraction of that. A district's groups (a student's year each: 30 MB for
    111,112 students) are kept in memory rather than spilt to disk in batches (half a gigabyte written and read
    back at the default work_mem). Set for the transaction and put back (a rolled-back savepoint puts them back
    too)."""
    cursor.execute(f"SELECT {', '.join('current_setting(%s)' for _ in HASHED)}", list(HASHED))
    before = cursor.fetchone()
    for name, value in HASHED.items():
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
    try:
        yield
    finally:
        for name, value in zip(HASHED, before, strict=True):
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


class _Cells:
    """The SQL of each cell a row may have (a column the file lacks reads as '')."""

    def __init__(self, columns: list[str]) -> None:
        position = {column: i for i, column in enumerate(columns)}

        def cell(name: str) -> str:
            return f"t.c{position[name]}" if name in position else "''"

        def lower(name: str) -> str:  # ASCII only: every word compared with is ASCII, so no locale is needed
            return f"lower({cell(name)} COLLATE \"C\")"

        self.student, self.day, self.status = cell("studentSourcedId"), cell("date"), lower("status")
        self.reason, self.received, self.kind = lower("reasonCode"), cell("documentationReceived"), lower(
            "documentationType")
        self.school, self.present, self.in_day = cell("schoolSourcedId"), cell("minutesPresent"), cell("minutesInDay")
        self.record = lower("recordStatus")
        self.has_school = "schoolSourcedId" in position
        # Columns parse.py does not read: only they can make a line longer than the limit once the rest is checked.
        self.others = [f"t.c{i}" for column, i in position.items() if column not in (*SPEC.required, *SPEC.read)]
        self.width = len(columns)
        self.names = [f"c{i}" for i in range(len(columns))]
        self.plain_cells = [(column, f"c{position[column]}") for column in PLAIN_CELLS if column in position]


def _clean_sql(c: _Cells) -> str:
    """Whether a line's cells are all ones parse.py reads the same way and has no complaint about (the roster
    aside): for the lines that are not plain present days."""
    minutes_given = f"({c.present} <> '' OR {c.in_day} <> '')"
    # Words are compared whole with the only ones they may be, so a padded cell fails; ids are compared with
    # themselves stripped. A date must read back as written (YYYY-MM-DD: PostgreSQL reads more forms than Python;
    # a cell it cannot read at all stops the statement, and the file goes the Python way).
    checks = [
        *_clean_ids(c.student, c.school),
        f"{c.status} = ANY(%(statuses)s)",
        f"{c.day} = ({c.day}::date)::text", f"{c.day}::date <= %(today)s",
        f"({c.reason} = '' OR {c.reason} = ANY(%(reasons)s))",
        f"({c.received} = '' OR ({c.received} = (nullif({c.received}, '')::date)::text "
        f"AND nullif({c.received}, '')::date <= %(today)s))",
        f"({c.kind} = '' OR ({c.received} <> '' AND {c.kind} = ANY(%(kinds)s)))",
        # CASE, not AND: a cell is cast only once it is known to be digits (nullif: a column the file lacks is
        # a constant '', which PostgreSQL would cast while planning).
        f"CASE WHEN NOT {minutes_given} THEN true WHEN {c.present} ~ {MINUTES} AND {c.in_day} ~ {MINUTES} "
        f"THEN nullif({c.in_day}, '')::integer BETWEEN 1 AND %(max_minutes)s "
        f"AND nullif({c.present}, '')::integer <= nullif({c.in_day}, '')::integer ELSE false END",
        f"{c.record} IN ('', 'active', 'tobedeleted')",
        *_short_enough(c),
    ]
    return f"coalesce({' AND '.join(checks)}, false)"


def _clean_ids(student: str, school: str) -> list[str]:
    return [f"{student} <> ''", f"{student} = btrim({student}, %(white_space)s)",
            f"{school} = btrim({school}, %(white_space)s)"]


def _short_enough(c: _Cells) -> list[str]:
    """The line within the row length parse.py allows (only the columns it does not read can make it longer
    once the rest is checked)."""
    if not c.others:
        return []
    length = " + ".join(f"length({other})" for other in c.others)
    return [f"{length} + {c.width + 1} + %(longest_read)s <= %(row_chars)s"]


def _insert_sql(c: _Cells) -> str:
    """The staged row of each line that is not a plain present day as written most plainly (OTHER_LINES), whose
    cells are clean and whose student, school and status the roster and parse.py know, read as parse.py and
    run._Resolver read it. Its row number is not known (a line's place in the file is not kept: numbering twenty
    million lines cost more than reading them), so a file that gives a day twice goes the Python way, which names
    both rows (_a_day_twice)."""
    values = (
        "0", "st.id", _school(c), f"{c.day}::date", _school_year(c),
        "w.code", c.reason, f"nullif({c.present}, '')::smallint", f"nullif({c.in_day}, '')::smallint",
        f"nullif({c.received}, '')::date",
        f"CASE WHEN {c.received} = '' THEN '' ELSE coalesce(nullif({c.kind}, ''), 'parent') END",
        f"{c.record} = 'tobedeleted'",
    )
    return f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) SELECT {', '.join(values)} {_resolved(c)} AND {_clean_sql(c)}"


def _gather_sql(c: _Cells) -> str:
    """The plain present days (PLAIN_LINES) gathered into a bit string per student, school and year, with how many
    lines, and the first and last day, in the staged table's place: a row each cost the import more than
    everything else. The lines are grouped by their cells first and the groups then joined to the roster (a second
    grouping: a school given and the same school left blank are one school), so a million lines are hashed once,
    not looked up in the roster each. Each line's date is looked up in DAYS_TABLE, which gives its bit. What is the
    same for every line of a group (its ids) is checked once per group, after the grouping (in HAVING: a WHERE on
    the grouped columns would be checked on every line again); the first and last day are read off the bits."""
    school_cell = c.school if c.has_school else "''"
    students = connection.ops.quote_name(Student._meta.db_table)
    schools = connection.ops.quote_name(School._meta.db_table)
    found_school = (f"LEFT JOIN {schools} AS sc ON sc.district_id = %(district)s AND sc.sourced_id = g.school "
                    f"WHERE (g.school = '' OR sc.id IS NOT NULL) AND " if c.has_school else "WHERE ")
    school = _school(c)
    short = _short_enough(c)
    lines = (f"SELECT {c.student} AS student, {school_cell} AS school, d.school_year, d.bit "  # noqa: S608
             f"FROM {PLAIN_LINES} AS t JOIN {DAYS_TABLE} AS d ON d.written = {c.day}"
             + (f" WHERE {' AND '.join(short)}" if short else ""))
    groups = ("SELECT student, school, school_year, bit_or(bit) AS days, "  # noqa: S608
              f"COUNT(*) AS rows FROM ({lines}) AS line GROUP BY student, school, school_year")
    gathered = (f"SELECT st.id AS student_id, {school} AS school_id, g.school_year, bit_or(g.days) AS days, "  # noqa: S608
                f"SUM(g.rows) AS rows FROM ({groups}) AS g "
                f"JOIN {students} AS st ON st.district_id = %(district)s AND st.sourced_id = g.student "
                f"{found_school}{school} IS NOT NULL GROUP BY st.id, {school}, g.school_year "
                f"HAVING bool_and({' AND '.join(_clean_ids('g.student', 'g.school'))})")
    origin = "make_date(y.school_year, 7, 1)"
    columns_written = "student_id, school_id, school_year, days, rows, first_day, last_day"
    return (f"INSERT INTO {PRESENT_TABLE} ({columns_written}) SELECT y.*, "  # noqa: S608
            f"{origin} + position('1' in y.days::text) - 1, {origin} + length(rtrim(y.days::text, '0')) - 1 "
            f"FROM ({gathered}) AS y")


def _school(c: _Cells) -> str:
    return "coalesce(sc.id, st.school_id)" if c.has_school else "st.school_id"


def _school_year(c: _Cells) -> str:
    """school_year_of: school years start on July 1 and are named by the year they start in. Read off the text (a
    cell that passed _clean_sql reads YYYY-MM-DD): arithmetic on the date itself cost a second a year's file."""
    return f"(substr({c.day}, 1, 4)::integer - (substr({c.day}, 6, 2) < '07')::integer)"


def _resolved(c: _Cells) -> str:
    """FROM … WHERE of the lines whose student, school and status the roster and parse.py know."""
    words = ", ".join(f"('{word}', '{code}')" for word, code in STATUS_WORDS.items())
    students = connection.ops.quote_name(Student._meta.db_table)
    schools = connection.ops.quote_name(School._meta.db_table)
    found_school = (f"LEFT JOIN {schools} AS sc ON sc.district_id = %(district)s AND sc.sourced_id = {c.school} "
                    f"WHERE ({c.school} = '' OR sc.id IS NOT NULL) AND " if c.has_school else "WHERE ")
    return (f"FROM {OTHER_LINES} AS t "
            f"JOIN {students} AS st ON st.district_id = %(district)s AND st.sourced_id = {c.student} "
            f"JOIN (VALUES {words}) AS w (word, code) ON w.word = {c.status} "
            f"{found_school}{_school(c)} IS NOT NULL")


def _a_day_twice(cursor: CursorWrapper) -> bool:
    """Whether a student's day is given twice: among the gathered days, among the staged rows (which have no row
    numbers to name them by), or gathered and staged both."""
    cursor.execute(
        f"SELECT EXISTS (SELECT 1 FROM {PRESENT_TABLE} WHERE bit_count(days) <> rows) "  # noqa: S608
        f"OR EXISTS (SELECT 1 FROM {TABLE} GROUP BY student_id, day HAVING COUNT(*) > 1) "
        f"OR EXISTS (SELECT 1 FROM {PRESENT_TABLE} GROUP BY student_id, school_year HAVING COUNT(*) > 1 "
        f"AND bit_count(bit_or(days)) <> SUM(bit_count(days))) "
        f"OR EXISTS (SELECT 1 FROM {TABLE} AS s JOIN {PRESENT_TABLE} AS p ON p.student_id = s.student_id "
        f"AND s.day BETWEEN p.first_day AND p.last_day "
        f"WHERE get_bit(p.days, {present_days.position_sql('s.day', 's.school_year')}) = 1)")
    return bool(cursor.fetchone()[0])


def _params(district_id: int, today: date, reasons: list[str], limits: Limits) -> dict[str, Any]:
    return {"district": district_id, "today": today, "statuses": sorted(STATUS_WORDS), "reasons": reasons,
            "kinds": sorted(DOCUMENT_KINDS), "row_chars": limits.row_chars, "white_space": WHITE_SPACE,
            "longest_read": LONGEST_READ,
            "max_minutes": MAX_MINUTES}


assert set(SPEC.required) | set(SPEC.read) == {
    "studentSourcedId", "date", "status", "reasonCode", "documentationReceived", "documentationType",
    "schoolSourcedId", "minutesPresent", "minutesInDay", "recordStatus"}, "in_database reads every column parse.py does"
