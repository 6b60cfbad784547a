"""Counting runs of plain days together gives what taking every day one by one gives (pure: no database).

Given YearDays, classify_year takes the days with something to say one by one and counts the plain present days
between them per school and month from bits. Given a list of Days, it takes each day one by one: that is the
reference here, for random years with gaps, closures, a second school, checkpoints and both ways of giving the
plain days' bits (split_plain's, from the first day, and the evaluation's reading: from July 1).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homeroom.attendance.classify import (
    Checkpoint,
    Day,
    PlainDays,
    YearDays,
    YearState,
    classify_year,
    is_plain,
    split_plain,
)
from homeroom.attendance.rules import build_rules, connecticut, merge, shipped_rules
from tests.attendance.helpers import SCHOOL, absent, present

CT = connecticut()
FIRST = date(2025, 8, 25)
CLOSED = {date(2025, 9, 1), date(2025, 10, 13), date(2025, 11, 27), date(2025, 11, 28)}
REASONS = ["", "illness", "wellness", "suspension", "family", "court", "alternative_education"]


def is_school_day(day: date) -> bool:
    return day.weekday() < 5 and day not in CLOSED


def is_school_day_mwf(day: date) -> bool:  # the second school meets three days a week
    return day.weekday() in (0, 2, 4)


CALENDARS = {SCHOOL: is_school_day, 2: is_school_day_mwf}


def as_evaluation_reads(days: list[Day]) -> YearDays:
    """The plain days as bits from July 1, as the evaluation loads them from the database."""
    origin = date(2025, 7, 1)
    plain = PlainDays(origin)
    exceptions = []
    for day in days:
        if is_plain(day):
            plain.bits[day.school_id] = plain.bits.get(day.school_id, 0) | 1 << (day.day - origin).days
        else:
            exceptions.append(day)
    return YearDays(exceptions, plain)


def summary(result):  # type: ignore[no-untyped-def]
    checkpoint = result.checkpoint
    return ({school: asdict(counts) for school, counts in result.schools.items()}, result.truant,
            result.truant_since, result.unexcused_by_month,
            (checkpoint.settled_through, checkpoint.state.as_json()) if checkpoint else None)


def absences(result):  # type: ignore[no-untyped-def]
    return [o for o in result.outcomes if o.is_absence]


def fresh(checkpoint: Checkpoint) -> Checkpoint:
    return Checkpoint(checkpoint.settled_through, YearState.from_json(checkpoint.state.as_json()))


day_kinds = st.sampled_from(["present"] * 14 + ["gap", "absent", "absent_doc", "absent_late_doc", "tardy", "half",
                                                "minutes"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kinds=st.lists(st.tuples(day_kinds, st.sampled_from(REASONS), st.booleans()), min_size=20, max_size=150),
       today_after=st.integers(min_value=0, max_value=30), cut=st.floats(min_value=0.1, max_value=0.9),
       at_risk=st.sampled_from([0.05, 0.0, 0.2]))
def test_counting_plain_days_in_runs_matches_taking_each_day(kinds, today_after, cut, at_risk):  # type: ignore[no-untyped-def]
    rules = build_rules(merge(shipped_rules(), {"at_risk": {"absence_ratio": at_risk}})) if at_risk != 0.05 else CT
    days: list[Day] = []
    day = FIRST
    switch = FIRST + timedelta(days=len(kinds) * 7 // 10)  # the student moves to the second school
    for kind, reason, weekend_row in kinds:
        while day.weekday() >= 5 and not weekend_row:
            day += timedelta(days=1)
        school = 2 if day >= switch else SCHOOL
        if kind == "present":
            days.append(present(day, school))
        elif kind in ("tardy", "half"):
            days.append(Day(day, school, "tardy" if kind == "tardy" else "absent_half"))
        elif kind == "minutes":
            days.append(Day(day, school, "present", minutes_present=100, minutes_in_day=360))
        elif kind != "gap":
            received = day + timedelta(days=2 if kind == "absent_doc" else 40)
            days.append(absent(day, reason, received if kind != "absent" else None,
                               kind="medical" if reason == "illness" else "parent", school=school))
        day += timedelta(days=1)
    if not days:
        return
    today = days[-1].day + timedelta(days=today_after)

    reference = classify_year(days, rules, CALENDARS, today)
    from_rows = classify_year(split_plain(days, rules), rules, CALENDARS, today)
    assert summary(from_rows) == summary(reference)
    assert from_rows.outcomes == reference.outcomes
    read = classify_year(as_evaluation_reads(days), rules, CALENDARS, today, plain_outcomes=False)
    assert summary(read) == summary(reference)
    assert absences(read) == absences(reference)

    # Carrying on from a checkpoint taken part way through the year, as a later import does.
    early = [d for d in days if d.day <= days[int(len(days) * cut)].day]
    checkpoint = classify_year(early, rules, CALENDARS, today).checkpoint
    if checkpoint is None:
        return
    tail = [d for d in days if d.day > checkpoint.settled_through]
    if not tail:
        return
    reference = classify_year(tail, rules, CALENDARS, today, start=fresh(checkpoint))
    by_runs = classify_year(split_plain(tail, rules), rules, CALENDARS, today, start=fresh(checkpoint))
    assert summary(by_runs) == summary(reference)
    assert by_runs.outcomes == reference.outcomes
    # The evaluation gives the whole year's bits with the checkpoint; the days it settled are left out.
    whole = as_evaluation_reads(days)
    whole.exceptions = [d for d in whole.exceptions if d.day > checkpoint.settled_through]
    read = classify_year(whole, rules, CALENDARS, today, start=fresh(checkpoint), plain_outcomes=False)
    assert summary(read) == summary(reference)
    assert absences(read) == absences(reference)


def test_a_present_status_the_rules_do_not_count_as_present_is_never_a_plain_day():
    rules = build_rules(merge(shipped_rules(), {"statuses": {"present": {"counts_as": "absent"}}}))
    year = split_plain([present(FIRST), present(FIRST + timedelta(days=1))], rules)
    assert not year.plain.bits and len(year.exceptions) == 2
    assert classify_year(year, rules, CALENDARS, FIRST).schools[SCHOOL].absences == 2
    # The evaluation's bits, read under such rules, are days like any other.
    bits = YearDays([], PlainDays(date(2025, 7, 1), {SCHOOL: 1 << (FIRST - date(2025, 7, 1)).days}))
    assert classify_year(bits, rules, CALENDARS, FIRST).schools[SCHOOL].absences == 1


def test_a_run_spanning_months_records_each_months_counts():
    days = [present(d) for d in (date(2025, 9, 29), date(2025, 9, 30), date(2025, 10, 1), date(2025, 10, 2))]
    days.append(absent(date(2025, 10, 3)))
    counts = classify_year(split_plain(days, CT), CT, CALENDARS, date(2025, 10, 3)).schools[SCHOOL]
    assert counts.months == {"2025-09": (2, 0), "2025-10": (5, 1)}
    assert (counts.first_day, counts.last_day, counts.days_present) == (date(2025, 9, 29), date(2025, 10, 3), 4)
