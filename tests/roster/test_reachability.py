"""One answer to "can this guardian be reached?": phone numbers read one way everywhere, a bad mark that belongs
to the number it was recorded for, and a staff panel that says what planning will do."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import timezone

from homeroom.core.phone import to_e164 as sign_in_normaliser
from homeroom.messaging.engine import outcomes as status
from homeroom.messaging.engine.planning import plan_message
from homeroom.messaging.models import Delivery, Message
from homeroom.portal.forms import e164 as portal_normaliser
from homeroom.roster import models as m
from homeroom.roster.contact_status import channel_statuses
from homeroom.roster.importers import import_oneroster
from homeroom.roster.importers.cells import Row
from homeroom.roster.importers.problems import Problems
from tests.messaging.helpers import compose
from tests.roster.test_import_helpers import USERS_11, files_11, make_zip

pytestmark = pytest.mark.django_db
ANA_MOBILE, ANA_NEW_MOBILE = "(203) 555-0142", "(203) 555-0199"


def _import(users: str = USERS_11) -> None:
    report = import_oneroster(make_zip({**files_11(), "users.csv": users}))
    assert report.ok, [str(p) for p in report.errors]


def _text_to_ana_failed_for_good() -> m.Guardian:
    """Twilio reported Ana's mobile unreachable (a per-recipient error): the engine marks the number."""
    ana = m.Guardian.objects.get(sourced_id="g-1")
    teacher = m.Staff.objects.get(sourced_id="t-1")
    message = Message.objects.create(district=ana.district, sender=teacher, created_by=teacher.user, category="news",
                                     callback_name="Office", callback_phone="+12035550100", status="sent")
    delivery = Delivery.objects.create(message=message, guardian=ana, channel="sms", address=ana.mobile_phone,
                                       language="es", content_language="es", idempotency_key="k-ana", state="failed")
    status.delivery_failed_permanently(delivery_id=delivery.pk, reason="Twilio 30003")
    return m.Guardian.objects.get(pk=ana.pk)


def _texts(guardian: m.Guardian) -> bool:
    sms = next(c for c in channel_statuses(guardian) if c.channel == "sms")
    return sms.usable


# --- Defect 3: a bad mark belongs to the number it was recorded for ----------------------------------------


def test_re_importing_the_same_number_keeps_its_bad_mark():
    _import()
    _text_to_ana_failed_for_good()
    _import()
    assert not _texts(m.Guardian.objects.get(sourced_id="g-1"))


def test_a_new_number_from_the_sis_starts_clean():
    _import()
    _text_to_ana_failed_for_good()
    _import(USERS_11.replace(ANA_MOBILE, ANA_NEW_MOBILE))
    ana = m.Guardian.objects.get(sourced_id="g-1")
    assert ana.mobile_phone == "+12035550199"
    assert _texts(ana)


def test_the_old_number_coming_back_brings_its_mark_back():
    _import()
    _text_to_ana_failed_for_good()
    _import(USERS_11.replace(ANA_MOBILE, ANA_NEW_MOBILE))
    _import()
    assert not _texts(m.Guardian.objects.get(sourced_id="g-1"))


def test_planning_texts_the_corrected_number(world):
    world.ana.mobile_phone = "+12035550142"
    world.ana.channel_order = ["sms", "email"]
    world.ana.save()
    Delivery.objects.create(message=compose(world), guardian=world.ana, channel="sms", address="+12035550142",
                            language="es", content_language="es", idempotency_key="k-old", state="failed")
    status.delivery_failed_permanently(delivery_id=Delivery.objects.get(idempotency_key="k-old").pk)
    m.Guardian.objects.filter(pk=world.ana.pk).update(mobile_phone="+12035550199")
    plan = plan_message(compose(world), user=world.user("principal"))
    ana = [(d.channel, d.address, d.reason) for d in plan.deliveries if d.guardian_id == world.ana.pk]
    assert ana == [("sms", "+12035550199", "")]


# --- One E.164 normaliser ---------------------------------------------------------------------------------


def _imported_as(value: str) -> str:
    return Row("users.csv", 2, {"sms": value}, Problems()).phone("sms")


def _portal_as(value: str) -> str:
    try:
        return portal_normaliser(value)
    except forms.ValidationError:
        return ""


@pytest.mark.parametrize("typed", ["(203) 555-0142", "+1 203 555 0142", "203.555.0142", "1-860-555-0199"])
def test_a_real_number_reads_the_same_from_import_portal_and_sign_in(typed):
    assert _imported_as(typed) == _portal_as(typed) == sign_in_normaliser(typed) != ""


@pytest.mark.parametrize("typed", ["(299) 555-0142", "+1 000 000 0000", "12", "555-0142"])
def test_a_number_that_cannot_exist_is_refused_everywhere(typed):
    assert _imported_as(typed) == _portal_as(typed) == (sign_in_normaliser(typed) or "") == ""


# --- The staff panel says what planning does ----------------------------------------------------------------


def test_the_staff_panel_calls_the_home_phone_first_as_planning_does(world):
    world.ana.home_phone = "+12035550188"
    world.ana.save()
    voice = next(c for c in channel_statuses(world.ana) if c.channel == "voice")
    assert voice.address == "+12035550188"


def test_the_staff_panel_reads_the_suppression_list(world):
    m.Suppression.objects.create(address=world.ana.email, reason="bounced")
    email = next(c for c in channel_statuses(world.ana) if c.channel == "email")
    assert not email.usable


@pytest.mark.parametrize("state", ["clean", "stop", "bad_mobile", "bad_home", "suppressed", "no_mobile"])
def test_the_staff_panel_and_planning_agree_on_every_channel(world, state):
    ana = world.ana
    ana.home_phone, ana.channel_order = "+12035550188", ["sms", "voice", "email"]
    ana.save()
    now = timezone.now()
    if state == "stop":
        m.Guardian.objects.filter(pk=ana.pk).update(sms_opted_out_at=now)
    elif state == "bad_mobile":
        m.Guardian.objects.filter(pk=ana.pk).update(mobile_phone_bad_at=now, mobile_phone_bad_value=ana.mobile_phone)
    elif state == "bad_home":
        m.Guardian.objects.filter(pk=ana.pk).update(home_phone_bad_at=now, home_phone_bad_value=ana.home_phone)
    elif state == "suppressed":
        m.Suppression.objects.create(address=ana.email, reason="complained")
    elif state == "no_mobile":
        m.Guardian.objects.filter(pk=ana.pk).update(mobile_phone="")
    ana = m.Guardian.objects.get(pk=ana.pk)
    panel = {c.channel: (c.usable, c.address if c.usable else "") for c in channel_statuses(ana)}
    for channel in ("sms", "voice", "email"):
        m.Guardian.objects.filter(pk=ana.pk).update(channel_order=[channel])
        planned = [d for d in plan_message(compose(world), user=world.user("principal")).deliveries
                   if d.guardian_id == ana.pk]
        sendable = [d for d in planned if d.channel == channel and not d.reason]
        assert panel[channel] == ((True, sendable[0].address) if sendable else (False, "")), channel


# --- The SIS's consent is in the ledger too -----------------------------------------------------------------


def test_a_consent_the_sis_gives_is_a_ledger_row_once():
    _import()
    _import()
    [change] = m.ConsentChange.objects.filter(guardian__sourced_id="g-1")
    assert (change.channel, change.category, change.state, change.via) == ("sms", "", "given", "sis_import")
    assert change.detail == "users.csv"


def test_a_consent_the_sis_withdraws_is_a_ledger_row_and_is_not_an_opt_out():
    _import()
    _import(USERS_11.replace("es,hh-1,,true", "es,hh-1,,false"))
    ana = m.Guardian.objects.get(sourced_id="g-1")
    assert ana.sms_consent_at is None and ana.sms_opted_out_at is None
    assert list(m.ConsentChange.objects.filter(guardian=ana).order_by("id").values_list("state", flat=True)) == [
        "given", ""]


def test_an_sis_consent_never_lifts_a_stop(world):
    from homeroom.roster import reachability

    reachability.consent_record(guardian=world.ana, channel="sms", category="", state="refused", via="stop_text")
    reachability.consent_record(guardian=world.ana, channel="sms", category="", state="given", via="sis_import")
    assert reachability.consent_states(m.Guardian.objects.get(pk=world.ana.pk))[("sms", "news")] == "refused"


def test_every_reason_reachability_gives_is_a_skip_reason_planning_can_store():
    from homeroom.messaging.models import SkipReason
    from homeroom.roster import reachability

    reasons = {reachability.REACHABLE, reachability.OPTED_OUT, reachability.NO_CONSENT, reachability.NO_ADDRESS,
               reachability.BAD_ADDRESS, reachability.SUPPRESSED}
    assert reasons <= set(SkipReason.values)
