"""bulk.replace: the rows of a scope made those given, each written only if it is new or changed."""

from __future__ import annotations

from datetime import date

from homeroom.attendance import bulk
from homeroom.attendance.evaluation import CHECKPOINT_COLUMNS
from homeroom.attendance.models import AttendanceCheckpoint


def _row(world, student, year: int, basis: str) -> tuple:  # type: ignore[type-arg]
    return (world.district.pk, student.pk, year, date(year, 9, 30), basis, "[]")


def _stored() -> dict[tuple[int, int], tuple[int, str]]:
    return {(c.student_id, c.school_year): (c.pk, c.basis) for c in AttendanceCheckpoint.objects.all()}


def test_replace_deletes_updates_inserts_and_leaves_the_same_rows_alone(world):
    sofia, liam = world.sofia, world.liam
    bulk.insert(AttendanceCheckpoint, CHECKPOINT_COLUMNS, [
        _row(world, sofia, 2025, "same"), _row(world, liam, 2025, "old"), _row(world, liam, 2024, "elsewhere")])
    before = _stored()

    bulk.replace(AttendanceCheckpoint, ("student_id", "school_year"), CHECKPOINT_COLUMNS,
                 [_row(world, sofia, 2025, "same"), _row(world, sofia, 2024, "new")],
                 AttendanceCheckpoint.objects.filter(school_year=2025))
    after = _stored()

    assert after[(sofia.pk, 2025)] == before[(sofia.pk, 2025)]  # the same row, not written again
    assert after[(sofia.pk, 2024)][1] == "new"
    assert (liam.pk, 2025) not in after  # in the scope and not given: deleted
    assert after[(liam.pk, 2024)] == before[(liam.pk, 2024)]  # outside the scope: left alone
    bulk.replace(AttendanceCheckpoint, ("student_id", "school_year"), CHECKPOINT_COLUMNS,
                 [_row(world, sofia, 2025, "changed")], AttendanceCheckpoint.objects.filter(school_year=2025))
    assert _stored()[(sofia.pk, 2025)] == (before[(sofia.pk, 2025)][0], "changed")  # updated in place
