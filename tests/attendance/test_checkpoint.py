"""Classifying from a checkpoint gives what classifying the whole year gives, day by day (pure: no database).

A day's import classifies only the days after a student's checkpoint; these tests replay a year one school day
at a time, as daily imports do, with documents arriving late and a second school, and compare every count.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homeroom.attendance.classify import Checkpoint, Day, YearState, classify_year
from homeroom.attendance.rules import connecticut
from tests.attendance.helpers import SCHOOL, absent, is_weekday, present, weekdays

CT = connecticut()
CALENDARS = {SCHOOL: is_weekday, 2: is_weekday}
DAYS = weekdays(date(2025, 9, 1), 70)
REASONS = ["", "illness", "wellness", "suspension", "family", "court", "vacation"]


def summary(result):  # type: ignore[no-untyped-def]
    return ({school: asdict(counts) for school, counts in result.schools.items()}, result.truant,
            result.truant_since, result.unexcused_by_month)


def replay(days: list[Day], step: int) -> tuple[object, list]:  # type: ignore[type-arg]
    """Classify the year as daily imports would: every `step` days, from the last checkpoint (via JSON)."""
    stored: Checkpoint | None = None
    result = None
    resumed = []
    for end in range(step, len(days) + step, step):
        known = days[:end]
        today = known[-1].day
        if stored is None:
            result = classify_year(known, CT, CALENDARS, today)
        else:
            tail = [d for d in known if d.day > stored.settled_through]
            fresh = Checkpoint(stored.settled_through, YearState.from_json(stored.state.as_json()))
            result = classify_year(tail, CT, CALENDARS, today, start=fresh)
            resumed.append(len(tail))
        full = classify_year(known, CT, CALENDARS, today)
        assert summary(result) == summary(full), f"after {today}"
        new_day = {o.day: o for o in full.outcomes}[today]
        assert {o.day: o for o in result.outcomes}[today] == new_day
        stored = result.checkpoint
    return result, resumed


day_kinds = st.sampled_from(["present"] * 12 + ["absent", "absent_doc", "absent_late_doc", "tardy", "half"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kinds=st.lists(st.tuples(day_kinds, st.sampled_from(REASONS), st.booleans()), min_size=len(DAYS),
                      max_size=len(DAYS)), step=st.sampled_from([1, 3]))
def test_resuming_from_checkpoints_matches_classifying_the_whole_year(kinds, step):  # type: ignore[no-untyped-def]
    days = []
    for day, (kind, reason, other_school) in zip(DAYS, kinds, strict=True):
        school = 2 if other_school and day > DAYS[35] else SCHOOL
        if kind == "present":
            days.append(present(day, school))
        elif kind in ("tardy", "half"):
            days.append(Day(day, school, "tardy" if kind == "tardy" else "absent_half"))
        else:
            received = day + timedelta(days=2 if kind == "absent_doc" else 40)
            note = received if kind != "absent" else None
            days.append(absent(day, reason, note, kind="medical" if reason == "illness" else "parent",
                               school=school))
    replay(days, step)


def test_a_long_absence_keeps_the_checkpoint_before_it_and_present_days_move_it_on():
    days = [present(d) for d in DAYS[:10]] + [absent(d) for d in DAYS[10:25]] + [present(d) for d in DAYS[25:40]]
    _result, resumed = replay(days, 1)
    # While the student is away, each day's classification starts from the day before the absence began...
    assert resumed[9:24] == list(range(1, 16))
    # ...and once every documentation window has closed, only the newest day is classified.
    assert resumed[-1] == 1


def test_a_document_in_time_settles_the_absence():
    days = [present(DAYS[0]), absent(DAYS[1], note=DAYS[2])] + [present(d) for d in DAYS[2:6]]
    result = classify_year(days, CT, CALENDARS, DAYS[5])
    assert result.checkpoint is not None and result.checkpoint.settled_through == DAYS[5]
    assert result.checkpoint.state.absences == 1


def test_an_open_absence_on_the_first_day_leaves_no_checkpoint():
    result = classify_year([absent(DAYS[0]), present(DAYS[1])], CT, CALENDARS, DAYS[1])
    assert result.checkpoint is None


def test_state_survives_json():
    days = [present(DAYS[0]), absent(DAYS[1], "wellness"), Day(DAYS[2], 2, "tardy"), absent(DAYS[3]),
            present(DAYS[4])]
    state = classify_year(days, CT, CALENDARS, date(2026, 6, 1)).checkpoint.state  # type: ignore[union-attr]
    assert YearState.from_json(json.loads(json.dumps(state.as_json()))) == state
    assert state.wellness_days == [DAYS[1]] and set(state.schools) == {SCHOOL, 2}


def test_a_stored_state_leaves_out_the_months_before_its_own():
    """A day's import rewrites only the months from the checkpoint's on: the earlier ones are not stored."""
    days = weekdays(date(2025, 9, 25), 10)  # September into October
    state = classify_year([present(d) for d in days], CT, CALENDARS, days[-1]).checkpoint.state  # type: ignore[union-attr]
    assert set(state.schools[SCHOOL].months) == {"2025-09", "2025-10"}
    stored = YearState.from_json(json.loads(json.dumps(state.as_json(months_from="2025-10"))))
    assert set(stored.schools[SCHOOL].months) == {"2025-10"}
    assert stored.schools[SCHOOL].months["2025-10"] == state.schools[SCHOOL].months["2025-10"]
    assert stored.schools[SCHOOL].days_enrolled == 10


# --- Through the importer: daily files classify from checkpoints and agree with a full re-evaluation ----------

def _summaries(student):  # type: ignore[no-untyped-def]
    from homeroom.attendance.models import AttendanceMonth, StudentAttendance

    years = list(StudentAttendance.objects.filter(student=student).order_by("school_id").values())
    months = list(AttendanceMonth.objects.filter(student=student).order_by("month", "school_id").values())
    for row in years + months:
        row.pop("id")
    return years, months


def test_daily_imports_resume_from_checkpoints_and_match_a_full_evaluation(world):
    from homeroom.attendance.evaluation import evaluate_students, load_checkpoints, school_year_of
    from homeroom.schoolcalendar.models import SchoolCalendar
    from tests.attendance.helpers import run_import

    SchoolCalendar.objects.create(district=world.district, label="2025–26", start_date=date(2025, 8, 27),
                                  end_date=date(2026, 6, 15))
    days = weekdays(date(2025, 9, 1), 30)
    pattern = {3: ("absent", "", "", ""), 4: ("absent", "", days[9].isoformat(), "parent"),
               12: ("absent", "illness", "", ""), 13: ("absent", "family", "", ""), 20: ("absent", "", "", ""),
               27: ("absent", "wellness", "", "")}
    sofia = world.sofia
    year = school_year_of(days[0])
    for i, day in enumerate(days):
        status, reason, received, kind = pattern.get(i, ("present", "", "", ""))
        run_import(world, [(sofia.sourced_id, day.isoformat(), status, reason, received, kind)], today=day)
    imported = _summaries(sofia)
    checkpoints = load_checkpoints([sofia.pk], [year], basis=_basis(world))
    assert checkpoints, "the daily imports left a checkpoint"
    settled, _state = checkpoints[(sofia.pk, year)]
    # Up to the day before the newest absence, still inside its documentation window; the earlier ones settled.
    assert settled == days[19]
    evaluate_students(world.district.pk, [sofia.pk], [year], today=days[-1])
    assert _summaries(sofia) == imported


def test_a_new_closure_makes_the_next_import_classify_the_whole_year(world):
    from homeroom.attendance.models import StudentAttendance
    from homeroom.schoolcalendar.services import closure_create
    from tests.attendance.helpers import run_import

    days = weekdays(date(2025, 9, 1), 12)
    # An absence excused by a note in time: settled, so the checkpoint lies past it.
    rows = [(world.sofia.sourced_id, d.isoformat(), "absent" if i == 2 else "present", "",
             days[3].isoformat() if i == 2 else "", "parent" if i == 2 else "") for i, d in enumerate(days[:-1])]
    run_import(world, rows, today=days[-2])
    assert StudentAttendance.objects.get(student=world.sofia).absences == 1
    # A storm day declared afterwards on the day of the absence: it no longer counts.
    closure_create(district=world.district, start_date=days[2], reason="Storm")
    run_import(world, [(world.sofia.sourced_id, days[-1].isoformat(), "present", "", "", "")], today=days[-1])
    counts = StudentAttendance.objects.get(student=world.sofia)
    assert (counts.absences, counts.days_enrolled) == (0, len(days) - 1)


def _basis(world):  # type: ignore[no-untyped-def]
    from homeroom.attendance.evaluation import basis_for, rules_for

    return basis_for(world.district.pk, rules_for(world.district.pk))
