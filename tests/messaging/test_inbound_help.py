"""HELP from a number the school never texted: the district's name and a number to call, never a blank answer."""

from __future__ import annotations

import pytest

from homeroom.messaging.conversations.inbound import sms_inbound
from homeroom.messaging.models import Delivery, Message
from tests.messaging.helpers import EN, compose, send
from tests.messaging.test_inbound import _text

pytestmark = pytest.mark.django_db


def _with_call_back(message, phone):
    Message.objects.filter(pk=message.pk).update(callback_phone=phone)
    message.refresh_from_db()
    return message


def _message_to_washington(world, capture, phone="+12035550142"):
    """Mr. Baker's message to 7B: it texts Paul, never Ana."""
    message = compose(world, "other_teacher", audience={"kind": "sections", "sections": [world.section_7b.pk]},
                      contents=[EN])
    return send(world, _with_call_back(message, phone), capture, actor="other_teacher")


def _help_for(guardian):
    return sms_inbound(from_number=guardian.mobile_phone, body="HELP")


def test_never_texted_guardian_gets_the_district_name_and_its_latest_call_back_number(
    world, django_capture_on_commit_callbacks
):
    _message_to_washington(world, django_capture_on_commit_callbacks)
    assert not Delivery.objects.filter(address=world.ana.mobile_phone).exists()
    result = _help_for(world.ana)
    assert result.kind == "help"
    assert world.district.name in result.reply and "+12035550142" in result.reply


def test_the_most_recent_message_gives_the_call_back_number(world, django_capture_on_commit_callbacks):
    older = _message_to_washington(world, django_capture_on_commit_callbacks, phone="+12035550111")
    Message.objects.filter(pk=older.pk).update(created_at="2024-09-01T12:00:00Z")
    _message_to_washington(world, django_capture_on_commit_callbacks, phone="+12035550222")
    reply = _help_for(world.ana).reply
    assert "+12035550222" in reply and "+12035550111" not in reply


def test_drafts_and_cancelled_messages_give_no_call_back_number(world):
    _with_call_back(compose(world), "+12035550999")  # a draft nobody was sent
    cancelled = _with_call_back(compose(world), "+12035550888")
    Message.objects.filter(pk=cancelled.pk).update(status=Message.Status.CANCELLED)
    reply = _help_for(world.ana).reply
    assert world.district.name in reply
    assert "+12035550999" not in reply and "+12035550888" not in reply


def test_another_districts_messages_give_no_call_back_number(world, django_capture_on_commit_callbacks):
    from tests import factories as f

    _message_to_washington(world, django_capture_on_commit_callbacks)
    stranger = f.GuardianFactory(district=f.DistrictFactory(name="Hillside Schools", slug="hillside"))
    reply = _help_for(stranger).reply
    assert "Hillside Schools" in reply and "+12035550142" not in reply


def test_unknown_number_gets_the_general_help_answer(world):
    reply = sms_inbound(from_number="+12035559876", body="HELP").reply
    assert "Reply STOP" in reply and world.district.name not in reply


def test_help_through_the_webhook_names_the_district(world, twilio, client, django_capture_on_commit_callbacks):
    _message_to_washington(world, django_capture_on_commit_callbacks)
    body = _text(client, world.rosa.mobile_phone, "HELP").content.decode()
    assert world.district.name in body and "+12035550142" in body
