"""bulk.replace: the rows of a scope made those given, each written only if it is new or changed."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.db import connection

from homeroom.attendance import bulk
from homeroom.attendance.evaluation import CHECKPOINT_COLUMNS
from homeroom.attendance.models import AttendanceCheckpoint

FILLFACTOR = importlib.import_module("homeroom.attendance.migrations.0007_room_for_updates_in_place").FILLFACTOR


def _row(world, student, year: int, basis: str) -> tuple:  # type: ignore[type-arg]
    return (world.district.pk, student.pk, year, date(year, 9, 30), basis, "[]")


def _stored() -> dict[tuple[int, int], tuple[int, str]]:
    return {(c.student_id, c.school_year): (c.pk, c.basis) for c in AttendanceCheckpoint.objects.all()}


def test_replace_deletes_updates_inserts_and_leaves_the_same_rows_alone(world):
    sofia, liam = world.sofia, world.liam
    bulk.insert(AttendanceCheckpoint, CHECKPOINT_COLUMNS, [
        _row(world, sofia, 2025, "same"), _row(world, liam, 2025, "old"), _row(world, liam, 2024, "elsewhere")])
    before = _stored()
    key, in_2025 = ("student_id", "school_year"), AttendanceCheckpoint.objects.filter(school_year=2025)

    bulk.replace(AttendanceCheckpoint, key, CHECKPOINT_COLUMNS, [_row(world, sofia, 2025, "same")], in_2025)
    after = _stored()
    assert after[(sofia.pk, 2025)] == before[(sofia.pk, 2025)]  # the same row, not written again
    assert (liam.pk, 2025) not in after  # in the scope and not given: deleted
    assert after[(liam.pk, 2024)] == before[(liam.pk, 2024)]  # outside the scope: left alone

    bulk.replace(AttendanceCheckpoint, key, CHECKPOINT_COLUMNS,
                 [_row(world, sofia, 2025, "changed"), _row(world, liam, 2025, "back")], in_2025)
    after = _stored()
    assert after[(sofia.pk, 2025)] == (before[(sofia.pk, 2025)][0], "changed")  # updated in place
    assert after[(liam.pk, 2025)][1] == "back"  # inserted beside rows already stored

    bulk.replace(AttendanceCheckpoint, key, CHECKPOINT_COLUMNS, [_row(world, sofia, 2026, "first")],
                 AttendanceCheckpoint.objects.filter(school_year=2026))
    assert _stored()[(sofia.pk, 2026)][1] == "first"  # into an empty scope
    assert len(_stored()) == 4


def test_insert_new_leaves_rows_already_stored_alone(world):
    sofia, liam = world.sofia, world.liam
    bulk.insert(AttendanceCheckpoint, CHECKPOINT_COLUMNS, [_row(world, sofia, 2025, "stored")])
    before = _stored()
    rows = [_row(world, sofia, 2025, "again"), _row(world, liam, 2025, "new"), _row(world, sofia, 2024, "new")]
    bulk.insert_new(AttendanceCheckpoint, CHECKPOINT_COLUMNS, rows, ("student_id", "school_year"))
    bulk.insert_new(AttendanceCheckpoint, CHECKPOINT_COLUMNS, rows, ("student_id", "school_year"))  # idempotent
    after = _stored()
    assert after[(sofia.pk, 2025)] == before[(sofia.pk, 2025)]
    assert (after[(liam.pk, 2025)][1], after[(sofia.pk, 2024)][1], len(after)) == ("new", "new", 3)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL storage setting")
def test_tables_a_day_rewrites_leave_room_for_updates_in_place(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)", [list(FILLFACTOR)])
        found = dict(cursor.fetchall())
    assert found == {table: [f"fillfactor={percent}"] for table, percent in FILLFACTOR.items()}
