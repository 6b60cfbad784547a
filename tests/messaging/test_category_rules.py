"""Category rules beyond news and urgent: attendance (emergency-class), reminder (mission-related), and grades."""

from __future__ import annotations

import pytest
from django.utils import timezone

from homeroom.messaging.engine.planning import plan_message
from homeroom.messaging.services import MessageError
from tests import factories as f
from tests.messaging.helpers import EN, compose

pytestmark = pytest.mark.django_db


def _rows(world, message, actor, guardian):
    plan = plan_message(message, user=world.user(actor))
    return [(d.channel, d.state, d.reason) for d in plan.deliveries if d.guardian_id == guardian.pk]


def _guardians(world, message, actor):
    return {d.guardian_id for d in plan_message(message, user=world.user(actor)).deliveries}


def _absence(world):
    return compose(world, "teacher", category="attendance", audience={"kind": "family", "students": [world.sofia.pk]},
                   contents=[EN])


def _reminder(world):
    return compose(world, "teacher", category="reminder",
                   audience={"kind": "sections", "sections": [world.section_5a.pk]}, contents=[EN])


# --- Attendance: emergency-class -------------------------------------------------


def test_unexcused_absence_is_texted_to_a_guardian_who_opted_out_of_texts(world):
    world.ana.sms_opted_out_at = timezone.now()
    world.ana.save()
    assert ("sms", "planned", "") in _rows(world, _absence(world), "teacher", world.ana)


def test_unexcused_absence_needs_no_recorded_consent_to_text(world):
    assert world.ana.sms_consent_at is None
    assert _rows(world, _absence(world), "teacher", world.ana)[0] == ("sms", "planned", "")


def test_unexcused_absence_still_goes_nowhere_the_custody_rule_forbids(world):
    assert world.luis.pk not in _guardians(world, _absence(world), "teacher")


# --- Reminder: mission-related ----------------------------------------------------


def test_reminder_honours_a_text_opt_out_and_moves_to_the_next_channel(world):
    world.ana.sms_opted_out_at = timezone.now()
    world.ana.save()
    assert _rows(world, _reminder(world), "teacher", world.ana) == [("sms", "skipped", "opted_out"),
                                                                    ("email", "planned", "")]


def test_reminder_texts_a_number_the_family_gave_without_recorded_consent(world):
    assert world.ana.sms_consent_at is None and world.ana.mobile_phone
    assert _rows(world, _reminder(world), "teacher", world.ana) == [("sms", "planned", "")]


# --- Grades audience ----------------------------------------------------------------


@pytest.fixture
def more_families(world):
    """A fourth grader at Lincoln (Gina's child) and a fifth grader at Washington (Hank's child)."""
    def family(school, grade, name):
        student = f.StudentFactory(district=world.district, school=school, grade=grade)
        guardian = f.GuardianFactory(district=world.district, given_name=name)
        f.StudentGuardianFactory(student=student, guardian=guardian)
        return guardian

    return family(world.lincoln, "04", "Gina"), family(world.washington, "05", "Hank")


def _grades(world, actor, schools, grades):
    return compose(world, actor, audience={"kind": "grades", "schools": [s.pk for s in schools], "grades": grades})


def test_grade_audience_reaches_exactly_that_grades_guardians_at_the_principals_school(world, more_families):
    message = _grades(world, "principal", [world.lincoln], ["05"])
    assert _guardians(world, message, "principal") == {world.ana.pk, world.rosa.pk}  # not Luis, Gina or Hank


def test_grade_audience_spans_every_chosen_school_for_a_district_administrator(world, more_families):
    _gina, hank = more_families
    message = _grades(world, "admin", [world.lincoln, world.washington], ["05"])
    assert _guardians(world, message, "admin") == {world.ana.pk, world.rosa.pk, hank.pk}


def test_grade_typed_without_a_leading_zero_matches_the_roster_grade(world, more_families):
    message = _grades(world, "principal", [world.lincoln], ["5"])
    assert _guardians(world, message, "principal") == {world.ana.pk, world.rosa.pk}


def test_grade_audience_at_a_school_outside_scope_is_refused(world, more_families):
    with pytest.raises(MessageError):
        _grades(world, "principal", [world.washington], ["05"])


def test_teacher_cannot_message_a_whole_grade(world):
    with pytest.raises(MessageError):
        _grades(world, "teacher", [world.lincoln], ["05"])


def test_grade_audience_needs_a_grade(world):
    with pytest.raises(MessageError):
        _grades(world, "principal", [world.lincoln], [" "])
