"""Connecticut's rules, one threshold and one edge case per test (classify is pure: no database)."""

from __future__ import annotations

from datetime import date

from homeroom.attendance.classify import classify_year
from homeroom.attendance.rules import build_rules, connecticut, merge, shipped_rules
from tests.attendance.helpers import SCHOOL, absent, is_weekday, present, weekdays

CT = connecticut()
CALENDARS = {SCHOOL: is_weekday, 2: is_weekday}
SEPT = weekdays(date(2025, 9, 1), 60)  # Monday 1 September onwards
LATE = date(2026, 6, 1)  # long after every documentation window


def classify(days, today=LATE, rules=CT, calendars=None):
    return classify_year(days, rules, calendars or CALENDARS, today)


def outcome(result, day):
    return next(o for o in result.outcomes if o.day == day)


def test_every_rule_in_the_data_file_cites_its_source():
    data = shipped_rules()
    for key in ("in_attendance", "excused", "wellness_days", "chronic", "truancy", "review_team"):
        assert data[key]["cite"] in data["sources"], key
    assert {"10-198a", "10-198c", "10-198f", "csde"} <= set(data["sources"])
    assert all(spec["cite"] in data["sources"] for spec in data["reasons"].values())


# --- In attendance: at least half the instructional day ----------------------------------------------------

def test_a_half_day_absence_still_counts_as_in_attendance():
    result = classify([present(SEPT[0]), absent(SEPT[1]).__class__(SEPT[1], SCHOOL, "absent_half")])
    assert outcome(result, SEPT[1]).category == "present"
    assert result.current_school().absences == 0


def test_minutes_decide_half_a_day_exactly_half_is_present():
    half = absent(SEPT[0]).__class__(SEPT[0], SCHOOL, "early_dismissal", minutes_present=180, minutes_in_day=360)
    less = absent(SEPT[1]).__class__(SEPT[1], SCHOOL, "tardy", minutes_present=179, minutes_in_day=360)
    result = classify([half, less])
    assert outcome(result, SEPT[0]).category == "present"
    assert outcome(result, SEPT[1]).is_absence


def test_tardies_and_early_dismissals_are_counted_but_present():
    day = absent(SEPT[0]).__class__
    result = classify([day(SEPT[0], SCHOOL, "tardy"), day(SEPT[1], SCHOOL, "early_dismissal")])
    counts = result.current_school()
    assert (counts.days_present, counts.tardies, counts.early_dismissals, counts.absences) == (2, 1, 1, 0)


def test_suspension_is_a_disciplinary_absence_unless_alternative_education_half_the_day():
    result = classify([absent(SEPT[0], "suspension"), absent(SEPT[1], "suspension_alternative_education")])
    assert outcome(result, SEPT[0]).category == "disciplinary"
    assert outcome(result, SEPT[1]).category == "present"
    assert result.current_school().absences == 1
    assert result.unexcused_by_month == {}


def test_remote_learning_counts_only_where_the_district_authorises_it():
    day = absent(SEPT[0]).__class__(SEPT[0], SCHOOL, "absent_full", "remote")
    assert outcome(classify([day]), SEPT[0]).category == "present"
    no_remote = build_rules(merge(shipped_rules(), {"remote_authorized": {"value": False}}))
    assert outcome(classify([day], rules=no_remote), SEPT[0]).is_absence


# --- Absences 1–9: a family's note within 10 school days of the return --------------------------------------

def test_note_on_the_tenth_school_day_after_the_return_excuses():
    # Absent Monday 1 Sept, back Tuesday 2 Sept; ten school days later is Tuesday 16 Sept.
    result = classify([absent(SEPT[0], note=date(2025, 9, 16)), present(SEPT[1])])
    first = outcome(result, SEPT[0])
    assert first.documentation_due == date(2025, 9, 16)
    assert (first.category, first.rule) == ("excused", "documented")


def test_note_arriving_a_day_late_leaves_the_absence_unexcused():
    result = classify([absent(SEPT[0], note=date(2025, 9, 17)), present(SEPT[1])])
    assert (outcome(result, SEPT[0]).category, outcome(result, SEPT[0]).rule) == ("unexcused", "documentation_late")


def test_the_window_counts_from_the_return_not_from_the_absence():
    # Absent Mon–Wed, back Thursday 4 Sept: the note for Monday is due ten school days after Thursday.
    days = [absent(SEPT[0], note=date(2025, 9, 18)), absent(SEPT[1]), absent(SEPT[2]), present(SEPT[3])]
    assert outcome(classify(days), SEPT[0]).documentation_due == date(2025, 9, 18)
    assert outcome(classify(days), SEPT[0]).category == "excused"


def test_without_a_note_the_absence_waits_then_becomes_unexcused():
    days = [absent(SEPT[0]), present(SEPT[1])]
    waiting = outcome(classify(days, today=date(2025, 9, 10)), SEPT[0])
    assert (waiting.category, waiting.rule, waiting.missing_documentation) == (
        "unexcused", "awaiting_documentation", True)
    late = outcome(classify(days, today=date(2025, 9, 17)), SEPT[0])
    assert (late.category, late.rule, late.missing_documentation) == ("unexcused", "no_documentation", False)


def test_closures_are_not_school_days_for_the_window_or_for_enrolment():
    closed = {date(2025, 9, 8), date(2025, 9, 9)}

    def calendar(day):
        return is_weekday(day) and day not in closed

    days = [absent(SEPT[0], note=date(2025, 9, 18)), present(SEPT[1]), present(date(2025, 9, 8))]
    result = classify(days, calendars={SCHOOL: calendar})
    # Back 2 Sept; ten school days skipping the two closed days ends on Thursday 18 Sept.
    assert outcome(result, SEPT[0]).documentation_due == date(2025, 9, 18)
    assert outcome(result, SEPT[0]).category == "excused"
    assert outcome(result, date(2025, 9, 8)).rule == "not_a_school_day"
    assert result.current_school().days_enrolled == 2


# --- From the 10th absence: only the listed reasons ---------------------------------------------------------

def _nine_documented():
    return [absent(day, "family", note=day) for day in SEPT[:9]]


def test_the_ninth_absence_with_a_note_is_excused_the_tenth_for_a_family_reason_is_not():
    days = [*_nine_documented(), absent(SEPT[9], "family", note=SEPT[9]), present(SEPT[10])]
    result = classify(days)
    assert outcome(result, SEPT[8]).category == "excused"
    tenth = outcome(result, SEPT[9])
    assert (tenth.absence_number, tenth.category, tenth.rule) == (10, "unexcused", "reason_not_listed")


def test_from_the_tenth_illness_needs_a_medical_note():
    parent = classify([*_nine_documented(), absent(SEPT[9], "illness", note=SEPT[10]), present(SEPT[10])],
                      today=SEPT[11])
    assert (outcome(parent, SEPT[9]).category, outcome(parent, SEPT[9]).rule) == ("unexcused", "awaiting_medical")
    medical = classify([*_nine_documented(), absent(SEPT[9], "illness", note=SEPT[10], kind="medical"),
                        present(SEPT[10])])
    assert (outcome(medical, SEPT[9]).category, outcome(medical, SEPT[9]).rule) == ("excused", "listed_reason")


def test_from_the_tenth_missing_transport_from_another_district_needs_no_note():
    result = classify([*_nine_documented(), absent(SEPT[9], "no_transportation")])
    assert outcome(result, SEPT[9]).category == "excused"


# --- Mental health wellness days ----------------------------------------------------------------------------

def test_two_wellness_days_need_no_note():
    result = classify([absent(SEPT[0], "wellness"), present(SEPT[1]), absent(SEPT[5], "wellness")])
    assert [outcome(result, d).rule for d in (SEPT[0], SEPT[5])] == ["wellness_day", "wellness_day"]


def test_a_third_wellness_day_needs_a_note_like_any_absence():
    days = [absent(SEPT[0], "wellness"), absent(SEPT[5], "wellness"), absent(SEPT[10], "wellness")]
    third = outcome(classify(days), SEPT[10])
    assert (third.category, third.rule) == ("unexcused", "no_documentation")


def test_wellness_days_may_not_be_consecutive():
    days = [absent(SEPT[0], "wellness"), absent(SEPT[1], "wellness"), present(SEPT[2])]
    result = classify(days)
    assert outcome(result, SEPT[0]).rule == "wellness_day"
    assert outcome(result, SEPT[1]).rule == "no_documentation"


# --- Chronic absence and the early-warning line -------------------------------------------------------------

def test_chronically_absent_at_exactly_ten_percent_of_days_enrolled():
    days = [absent(SEPT[0]), absent(SEPT[1]), *(present(d) for d in SEPT[2:20])]
    counts = classify(days).current_school()
    assert (counts.days_enrolled, counts.absences) == (20, 2)
    assert counts.chronic_since is not None


def test_just_under_ten_percent_is_at_risk_not_chronic():
    days = [absent(SEPT[0]), absent(SEPT[1]), *(present(d) for d in SEPT[2:21])]
    counts = classify(days).current_school()
    assert counts.chronic_since is None
    assert counts.at_risk_since is not None


def test_at_risk_from_five_percent():
    under = classify([absent(SEPT[0]), *(present(d) for d in SEPT[1:21])]).current_school()
    at = classify([absent(SEPT[0]), *(present(d) for d in SEPT[1:20])]).current_school()
    assert under.at_risk_since is None
    assert at.at_risk_since is not None


def test_mid_year_enrolment_counts_only_the_days_enrolled():
    january = weekdays(date(2026, 1, 5), 10)
    counts = classify([absent(january[0]), *(present(d) for d in january[1:])]).current_school()
    assert (counts.days_enrolled, counts.first_day) == (10, january[0])
    assert counts.chronic_since is not None


def test_a_student_changing_schools_is_counted_at_each_school_but_absences_are_numbered_across_the_district():
    first = [absent(d, "family", note=d) for d in SEPT[:9]] + [present(d) for d in SEPT[9:20]]
    second = [absent(SEPT[20], "family", note=SEPT[20], school=2), *(present(d, school=2) for d in SEPT[21:40])]
    result = classify(first + second)
    old, new = result.schools[SCHOOL], result.schools[2]
    assert (old.days_enrolled, old.absences) == (20, 9)
    assert (new.days_enrolled, new.absences) == (20, 1)
    assert result.current_school() is new
    assert new.chronic_since is None and old.chronic_since is not None
    tenth = outcome(result, SEPT[20])
    assert (tenth.absence_number, tenth.rule) == (10, "reason_not_listed")


# --- Truancy ------------------------------------------------------------------------------------------------

def test_four_unexcused_absences_in_one_month_make_a_student_truant():
    three = classify([absent(d) for d in SEPT[:3]])
    four = classify([absent(d) for d in SEPT[:4]])
    assert not three.truant
    assert four.truant and four.truant_since == SEPT[3]


def test_ten_unexcused_absences_in_a_year_make_a_student_truant_even_at_three_a_month():
    months = [weekdays(date(2025, m, 1), 3) for m in (9, 10, 11)] + [weekdays(date(2025, 12, 1), 1)]
    days = [absent(d) for month in months for d in month]
    result = classify(days)
    assert result.truant and result.truant_since == months[-1][0]
    assert not classify(days[:-1]).truant


def test_excused_absences_do_not_count_towards_truancy():
    result = classify([absent(d, note=d) for d in SEPT[:4]])
    assert not result.truant
