"""On PostgreSQL a clean file is read by the database (importers/in_database.py): it must stage exactly what the
Python reading stages, and send anything it is not sure of the Python way, which names the problems."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.db import connection

from homeroom.attendance import present_days
from homeroom.attendance.evaluation import Calendars, rules_for
from homeroom.attendance.importers import in_database
from homeroom.attendance.importers.parse import AttendanceFile
from homeroom.attendance.importers.run import _Resolver
from homeroom.attendance.importers.staging import COLUMNS, PRESENT_TABLE, TABLE, Staging
from homeroom.roster.importers.problems import Problems
from homeroom.roster.importers.source import Limits, SourceFile
from homeroom.schoolcalendar.models import Closure
from tests.attendance.helpers import run_import

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the database reads files on PostgreSQL")

TODAY = date(2025, 9, 30)
HEADER = ("studentSourcedId,date,status,reasonCode,documentationReceived,documentationType,schoolSourcedId,"
          "minutesPresent,minutesInDay,recordStatus")


def _file(world, lines: list[str], header: str = HEADER) -> SourceFile:
    data = ("\n".join([header, *lines]) + "\n").encode()
    return SourceFile("attendance.csv", lambda: io.BytesIO(data))


def _staged() -> list[tuple]:  # type: ignore[type-arg]
    """The staged rows without their row numbers, in (student, day) order: the plain present days in_database
    gathers as a row each, as the Python reading stages them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(COLUMNS[1:])} FROM {TABLE}")  # noqa: S608
        rows = cursor.fetchall()
        cursor.execute(f"SELECT student_id, school_id, school_year, days::text, first_day, last_day "  # noqa: S608
                       f"FROM {PRESENT_TABLE}")
        for student, school, year, text, first, last in cursor.fetchall():
            days = list(present_days.days_of(year, text))
            assert (first, last) == (days[0], days[-1])  # what the merge looks between for attendance rows
            rows.extend((student, school, day, year, "present", "", None, None, None, "", False) for day in days)
    return sorted(rows, key=lambda row: (row[0], row[2]))


def _read_in_database(world, source: SourceFile) -> tuple[bool, list[tuple]]:  # type: ignore[type-arg]
    stage = Staging()
    table = AttendanceFile(source, Problems(), frozenset(rules_for(world.district.pk).reasons), Limits()).table
    assert table is not None
    staged = in_database.stage_if_clean(source, table.columns, district_id=world.district.pk, today=TODAY,
                                        reasons=rules_for(world.district.pk).reasons,
                                        calendars=Calendars(world.district.pk), limits=Limits())
    rows = _staged()
    stage.drop()
    return staged, rows


def _read_in_python(world, source: SourceFile) -> list[tuple]:  # type: ignore[type-arg]
    stage, problems = Staging(), Problems()
    resolver = _Resolver("attendance.csv", world.district, problems, TODAY)
    for row in AttendanceFile(source, problems, frozenset(rules_for(world.district.pk).reasons), Limits()):
        resolved = resolver.resolve(row)
        assert resolved is not None
        stage.add(resolved)
    stage.finish()
    assert not problems.errors and not problems.warnings
    rows = _staged()
    stage.drop()
    return rows


def test_a_clean_file_is_staged_by_the_database_as_the_python_reading_stages_it(world):
    sofia, liam = world.sofia.sourced_id, world.liam.sourced_id
    source = _file(world, [
        f"{sofia},2025-09-02,present,,,,,,,",
        f"{sofia},2025-09-03,Absent,Illness,2025-09-05,MEDICAL,,,,",
        f"{sofia},2025-09-04,absent half day,family,2025-09-08,,,,,active",
        f"{liam},2025-09-02,tardy,,,,sch-washington,300,360,",
        f"{liam},2025-09-03,early dismissal,,,,,0,360,ACTIVE",
        f"{liam},2025-09-04,late,wellness,,,,,,tobedeleted",
        f"{liam},2025-06-30,present,,,,,,,",
        # Gathered a month at a time and placed in the year: a 31st (the month's highest bit), February 29, and
        # June 30 of a leap school year (its 366th character).
        f"{liam},2025-07-31,present,,,,,,,",
        f"{liam},2024-02-29,present,,,,,,,",
        f"{liam},2020-06-30,present,,,,,,,",
        f"{liam},2020-06-29,present,,,,,,,",
        # Plain present days not written most plainly: staged as rows, not gathered, and stored alike.
        f"{sofia},2025-09-08,Present,,,,,,,",
        f"{sofia},2025-09-09,present,,,,,,,active",
        f"{sofia},2025-09-10,present,,,,sch-lincoln,,,",  # gathered: the school is not one of the plain cells
    ])
    staged, rows = _read_in_database(world, source)
    assert staged
    assert rows == _read_in_python(world, source)
    assert {row[2]: row[3] for row in rows if row[0] == world.liam.pk}[date(2025, 6, 30)] == 2024  # the year before


@pytest.mark.parametrize("line", [
    " {sofia},2025-09-02,present,,,,,,,",  # an id the Python reading strips first
    "{sofia},2025-09-02,present ,,,,,,,",
    "{sofia},2025-09-02,dismissed_early,,,,,,,",  # read by parse_row's wider matching only
    "stu-nobody,2025-09-02,present,,,,,,,",
    "{sofia},2025-09-02,present,,,,sch-nowhere,,,",
    "{sofia},2025-9-02,present,,,,,,,",
    "{sofia},2025-02-30,present,,,,,,,",
    "{sofia},2025-10-01,present,,,,,,,",  # in the future
    "{sofia},2025-09-02,absent,,2025-10-01,,,,,",
    "{sofia},2025-09-02,absent,beach,,,,,,",
    "{sofia},2025-09-02,absent,,,parent,,,,",  # a type without the date received
    "{sofia},2025-09-02,present,,,,,400,360,",
    "{sofia},2025-09-02,present,,,,,90,,",
    "{sofia},2025-09-02,present,,,,,,,gone",
    "{sofia},2025-09-02,present,,,parent,,,,",  # a plain present day but for a type without the date received
    "{sofia},2025-09-02,present,,,, sch-washington,,,",
    " {sofia},2025-09-02,absent,,,,,,,",  # the same checks of a line that is not a plain present day
    "{sofia},2025-9-02,absent,,,,,,,",
    "{sofia},2025-10-01,tardy,,,,,,,",
    "{sofia},2025-09-02,absent,,,,,,,gone",
    "{sofia},\"2025-09-02\",present,,,,,,,",  # quotes: the two CSV readers disagree about some
    "{sofia},2025-09-02,present,,,,,,,,",  # one cell too many
    "",  # a blank line
    "{sofia},2025-09-06,present,,,,,,,",  # a Saturday: a warning the Python reading gives
    "{liam},2025-09-02,present,,,,,,,",  # a day given twice: the Python reading names both rows
    "{liam},2025-09-02,absent,,,,,,,",
    "{liam},2025-09-02,present,,,,,,,tobedeleted",
    "{liam},2025-09-02,present,,,,sch-washington,,,",
    "{liam},2025-09-02,present,,,,sch-lincoln,,,",
    "{liam},2025-09-02,Present,,,,,,,",  # gathered and staged as a row
    "{sofia},2005-06-30,present,,,,,,,",  # before the days the database knows (twenty school years back)
    "{sofia},2025-09-02,present,\x01,,,,,,",  # the lowest character: not a plain cell
])
def test_anything_unsure_goes_the_python_way_and_nothing_is_staged(world, line):
    lines = [f"{world.liam.sourced_id},2025-09-02,present,,,,,,,",
             line.format(sofia=world.sofia.sourced_id, liam=world.liam.sourced_id)]
    staged, rows = _read_in_database(world, _file(world, lines))
    assert (staged, rows) == (False, [])


def test_a_day_given_twice_in_rows_that_are_staged_goes_the_python_way_which_names_both_rows(world):
    sofia = world.sofia.sourced_id
    rows = [(sofia, "2025-09-03", "absent"), (sofia, "2025-09-04", "tardy"), (sofia, "2025-09-03", "tardy")]
    lines = [",".join(row) + ",,,,,,," for row in rows]
    assert _read_in_database(world, _file(world, lines)) == (False, [])
    report = run_import(world, [(*row, "", "", "") for row in rows], today=TODAY)
    assert [(p.row, p.column) for p in report.errors] == [(4, "date")]
    assert "row 2" in report.errors[0].message


def test_a_row_on_a_closed_day_goes_the_python_way_which_warns(world):
    Closure.objects.create(district=world.district, start_date=date(2025, 9, 2), end_date=date(2025, 9, 2),
                           reason="Storm")
    lines = [f"{world.sofia.sourced_id},2025-09-02,present,,,,,,,"]
    assert _read_in_database(world, _file(world, lines)) == (False, [])
    report = run_import(world, [(world.sofia.sourced_id, "2025-09-02", "present", "", "", "")], today=TODAY)
    assert [p.row for p in report.warnings] == [2]


def test_a_clean_file_needs_no_python_reading(world, monkeypatch):
    def refuse(self):  # type: ignore[no-untyped-def]
        raise AssertionError("the file was read in Python")

    monkeypatch.setattr(AttendanceFile, "__iter__", refuse)
    report = run_import(world, [(world.sofia.sourced_id, "2025-09-02", "absent", "illness", "2025-09-03", "")],
                        today=TODAY)
    assert report.ok and report.summary["attendance"]["created"] == 1
