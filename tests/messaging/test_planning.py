"""Planning: who gets what, on which channel, under consent, opt-outs, custody and quiet hours."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from homeroom.messaging.compose.audiences import AudienceError
from homeroom.messaging.engine.planning import plan_message
from homeroom.messaging.services import MessageError
from tests import factories as f
from tests.messaging.helpers import EN, compose

pytestmark = pytest.mark.django_db


def _plan(world, message, actor="principal", now=None):
    return plan_message(message, user=world.user(actor), now=now)


def _by_guardian(plan):
    out = {}
    for d in plan.deliveries:
        out.setdefault(d.guardian_id, []).append(d)
    return out


def test_guardian_without_rights_gets_no_message(world):
    plan = _plan(world, compose(world))
    assert world.luis.pk not in _by_guardian(plan)
    assert world.ana.pk in _by_guardian(plan)


def test_school_send_reaches_only_that_school(world):
    plan = _plan(world, compose(world))
    assert world.paul.pk not in _by_guardian(plan)


def test_guardian_gets_content_in_their_language(world):
    plan = _plan(world, compose(world))
    assert {d.content_language for d in _by_guardian(plan)[world.ana.pk]} == {"es"}


def test_missing_language_falls_back_to_district_language_with_a_request_line(world):
    world.rosa.language = "pt"
    world.rosa.save()
    message = compose(world, audience={"kind": "sections", "sections": [world.section_5a.pk]}, actor="teacher",
                      contents=[EN])
    rosa = _by_guardian(_plan(world, message, "teacher"))[world.rosa.pk][0]
    assert (rosa.language, rosa.content_language) == ("pt", "en")


def test_news_uses_first_channel_in_guardian_order(world):
    world.ana.channel_order = ["email", "sms"]
    world.ana.save()
    channels = [d.channel for d in _by_guardian(_plan(world, compose(world)))[world.ana.pk]]
    assert channels == ["email"]


def test_urgent_uses_every_channel_the_guardian_has(world):
    world.ana.home_phone = "+12035550999"
    world.ana.save()
    channels = {d.channel for d in _by_guardian(_plan(world, compose(world, category="urgent")))[world.ana.pk]}
    assert channels == {"sms", "email", "voice", "portal"}


def test_sms_opt_out_is_honoured_for_news(world):
    world.ana.sms_opted_out_at = timezone.now()
    world.ana.save()
    rows = _by_guardian(_plan(world, compose(world)))[world.ana.pk]
    assert [(d.channel, d.state, d.reason) for d in rows] == [("sms", "skipped", "opted_out"),
                                                             ("email", "planned", "")]


def test_sms_opt_out_does_not_block_emergency_texts(world):
    world.ana.sms_opted_out_at = timezone.now()
    world.ana.save()
    rows = _by_guardian(_plan(world, compose(world, category="urgent")))[world.ana.pk]
    assert any(d.channel == "sms" and d.state == "planned" for d in rows)


def test_other_category_needs_explicit_sms_consent(world):
    rows = _by_guardian(_plan(world, compose(world, category="other")))[world.ana.pk]
    assert rows[0].channel == "sms" and rows[0].reason == "no_consent"


def test_other_category_texts_guardians_who_consented(world):
    world.ana.sms_consent_at = timezone.now()
    world.ana.save()
    rows = _by_guardian(_plan(world, compose(world, category="other")))[world.ana.pk]
    assert [(d.channel, d.state) for d in rows] == [("sms", "planned")]


def test_bad_mobile_number_moves_to_next_channel(world):
    world.ana.mobile_phone_bad_at, world.ana.mobile_phone_bad_value = timezone.now(), world.ana.mobile_phone
    world.ana.save()
    rows = _by_guardian(_plan(world, compose(world)))[world.ana.pk]
    assert [(d.channel, d.reason) for d in rows] == [("sms", "bad_address"), ("email", "")]


def test_guardian_with_no_usable_channel_is_recorded_as_not_reachable(world):
    world.ana.mobile_phone = ""
    world.ana.email = ""
    world.ana.user = None
    world.ana.save()
    rows = _by_guardian(_plan(world, compose(world)))[world.ana.pk]
    assert [(d.state, d.reason) for d in rows] == [("skipped", "no_address")]


def test_household_shares_one_copy_of_a_school_wide_message(world):
    household = f.HouseholdFactory(district=world.district)
    sibling = f.StudentFactory(district=world.district, school=world.lincoln, household=household)
    for guardian in (world.ana, world.rosa):
        guardian.household = household
        guardian.mobile_phone = "+12035550777"
        guardian.save()
    f.StudentGuardianFactory(student=sibling, guardian=world.ana)
    plan = _plan(world, compose(world))
    sms = [d for d in plan.deliveries if d.channel == "sms" and d.address == "+12035550777"]
    assert len(sms) == 1


def test_child_specific_message_goes_to_each_guardian_even_in_one_household(world):
    household = f.HouseholdFactory(district=world.district)
    second = f.GuardianFactory(district=world.district, household=household, mobile_phone=world.ana.mobile_phone)
    f.StudentGuardianFactory(student=world.sofia, guardian=second)
    world.ana.household = household
    world.ana.save()
    message = compose(world, category="attendance", audience={"kind": "family", "students": [world.sofia.pk]},
                      actor="teacher")
    guardians = {d.guardian_id for d in _plan(world, message, "teacher").deliveries if d.channel == "sms"}
    assert guardians == {world.ana.pk, second.pk}


def test_quiet_hours_hold_texts_until_morning(world):
    world.district.quiet_hours_start = dt.time(21, 0)
    world.district.quiet_hours_end = dt.time(7, 30)
    world.district.save()
    late = dt.datetime(2025, 3, 3, 22, 15, tzinfo=ZoneInfo("America/New_York"))
    sms = next(d for d in _plan(world, compose(world), now=late).deliveries if d.channel == "sms")
    assert sms.not_before == dt.datetime(2025, 3, 4, 7, 30, tzinfo=ZoneInfo("America/New_York"))


def test_urgent_messages_ignore_quiet_hours(world):
    world.district.quiet_hours_start = dt.time(21, 0)
    world.district.quiet_hours_end = dt.time(7, 30)
    world.district.save()
    late = dt.datetime(2025, 3, 3, 22, 15, tzinfo=ZoneInfo("America/New_York"))
    plan = _plan(world, compose(world, category="urgent"), now=late)
    assert all(d.not_before is None for d in plan.deliveries)


def test_teacher_cannot_message_a_whole_school(world):
    with pytest.raises(MessageError):
        compose(world, actor="teacher")


def test_teacher_cannot_message_another_teachers_class(world):
    with pytest.raises(MessageError):
        compose(world, actor="teacher", audience={"kind": "sections", "sections": [world.section_7b.pk]})


def test_principal_cannot_message_another_school(world):
    with pytest.raises(MessageError):
        compose(world, audience={"kind": "schools", "schools": [world.washington.pk]})


def test_only_district_admins_message_the_district(world):
    with pytest.raises(MessageError):
        compose(world, audience={"kind": "district"})
    assert compose(world, actor="admin", audience={"kind": "district"}).pk


def test_case_manager_reaches_only_their_caseload(world):
    message = compose(world, actor="case_manager", audience={"kind": "caseload"}, contents=[EN])
    assert {d.guardian_id for d in _plan(world, message, "case_manager").deliveries} == {world.rosa.pk}


def test_family_audience_outside_scope_is_refused(world):
    with pytest.raises(AudienceError):
        message = compose(world, actor="admin", audience={"kind": "district"})
        message.audience = {"kind": "family", "students": [world.liam.pk]}
        _plan(world, message, "teacher")


def test_school_wide_send_needs_english_and_spanish(world, django_capture_on_commit_callbacks):
    from homeroom.messaging.services import message_send

    message = compose(world, contents=[EN])
    with pytest.raises(MessageError):
        message_send(message=message, user=world.user("principal"))
