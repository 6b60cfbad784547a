"""School days: weekends, closures (district and school), school-year gaps, caching, CSV import."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from homeroom.schoolcalendar.days import Calendar, add_school_days, clear_cache, school_days_between
from homeroom.schoolcalendar.models import Closure
from homeroom.schoolcalendar.services import calendar_create, closure_create, closures_import_csv

FRIDAY = date(2025, 10, 10)
MONDAY = date(2025, 10, 13)


def test_weekend_is_skipped(world):
    assert add_school_days(world.lincoln, FRIDAY, 1) == MONDAY


def test_district_closure_is_skipped(world):
    closure_create(district=world.district, start_date=MONDAY, reason="Columbus Day")
    assert add_school_days(world.lincoln, FRIDAY, 1) == MONDAY + timedelta(days=1)


def test_multi_day_closure_is_skipped(world):
    closure_create(district=world.district, start_date=MONDAY, end_date=MONDAY + timedelta(days=2))
    assert add_school_days(world.lincoln, FRIDAY, 1) == MONDAY + timedelta(days=3)


def test_school_closure_applies_only_to_that_school(world):
    closure_create(district=world.district, school=world.lincoln, start_date=MONDAY)
    assert add_school_days(world.lincoln, FRIDAY, 1) == MONDAY + timedelta(days=1)
    assert add_school_days(world.washington, FRIDAY, 1) == MONDAY


def test_negative_offset_counts_back_over_closures(world):
    closure_create(district=world.district, start_date=FRIDAY)
    assert add_school_days(world.lincoln, MONDAY, -1) == FRIDAY - timedelta(days=1)


def test_zero_offset_moves_a_closed_day_to_the_next_school_day(world):
    assert add_school_days(world.lincoln, date(2025, 10, 11), 0) == MONDAY


def test_summer_between_school_years_is_not_school_days(world):
    calendar_create(district=world.district, label="2024–25", start_date=date(2024, 8, 28), end_date=date(2025, 6, 13))
    calendar_create(district=world.district, label="2025–26", start_date=date(2025, 8, 27), end_date=date(2026, 6, 12))
    assert add_school_days(world.lincoln, date(2025, 6, 13), 1) == date(2025, 8, 27)


def test_days_after_the_last_known_year_count_as_weekdays(world):
    calendar_create(district=world.district, label="2025–26", start_date=date(2025, 8, 27), end_date=date(2026, 6, 12))
    assert add_school_days(world.lincoln, date(2026, 6, 12), 1) == date(2026, 6, 15)


def test_school_days_between_excludes_closures(world):
    closure_create(district=world.district, start_date=MONDAY)
    assert school_days_between(world.lincoln, FRIDAY, MONDAY + timedelta(days=4)) == 4


def test_a_new_closure_is_seen_after_the_cache_was_filled(world):
    assert add_school_days(world.lincoln, FRIDAY, 1) == MONDAY
    closure_create(district=world.district, start_date=MONDAY)
    assert add_school_days(world.lincoln, FRIDAY, 1) == MONDAY + timedelta(days=1)


def test_closures_are_loaded_once_per_request(world, django_assert_num_queries):
    clear_cache()
    add_school_days(world.lincoln, FRIDAY, 5)
    with django_assert_num_queries(0):
        add_school_days(world.lincoln, FRIDAY, 20)


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    n=st.integers(min_value=1, max_value=60),
    closed=st.sets(st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 6, 30)), max_size=30),
)
def test_counting_between_undoes_adding(start, n, closed):
    from homeroom.schoolcalendar import days

    calendar = Calendar(closed=frozenset(closed))
    days._cache()[(1, None)] = calendar
    end = add_school_days(None, start, n, district_id=1)
    assert school_days_between(None, start, end, district_id=1) == n
    assert calendar.is_school_day(end)


def test_csv_import_creates_closures(world):
    text = "start_date,end_date,school,reason\n2025-12-24,2026-01-01,,Winter break\n2025-11-04,,sch-lincoln,PD day\n"
    result = closures_import_csv(district=world.district, text=text, source_name="closures.csv")
    assert (result.created, result.errors) == (2, [])
    assert Closure.objects.get(school=world.lincoln).reason == "PD day"


def test_csv_import_with_a_bad_row_writes_nothing(world):
    text = "start_date,school\n2025-12-24,\n2025-13-01,\n"
    result = closures_import_csv(district=world.district, text=text, source_name="closures.csv")
    assert result.errors == ["closures.csv row 3, start_date: “2025-13-01” is not a date (YYYY-MM-DD)."]
    assert not Closure.objects.exists()


def test_csv_import_rejects_an_unknown_school(world):
    text = "date,school\n2025-12-24,sch-nowhere\n"
    result = closures_import_csv(district=world.district, text=text, source_name="c.csv")
    assert "sch-nowhere" in result.errors[0]
