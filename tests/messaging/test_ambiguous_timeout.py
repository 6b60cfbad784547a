"""A text Twilio took before the connection timed out or was reset is checked with Twilio, never sent twice."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections import Counter
from typing import Any

import pytest
from django.utils import timezone
from freezegun import freeze_time

from homeroom.messaging import services
from homeroom.messaging.models import Delivery
from tests.messaging.conftest import FROM, SID, TOKEN
from tests.messaging.helpers import compose, send
from tests.messaging.standins import HANG_UP, TwilioStandIn

pytestmark = pytest.mark.django_db
TIMEOUT = 0.5  # seconds the app waits for Twilio's answer in these tests


class UnansweredTwilio(TwilioStandIn):
    """Takes every text, but for the numbers in `unanswered` the worker never hears back: the answer comes
    after the app's timeout (`stall`) or the connection is closed instead (`hang_up`)."""

    def __init__(self, how: str) -> None:
        super().__init__(SID, TOKEN)
        self.how, self.unanswered = how, set()
        report = self.server.handle_error

        def handle_error(request: Any, client_address: Any) -> None:
            if not isinstance(sys.exc_info()[1], ConnectionError):  # the app gave up on a stalled answer
                report(request, client_address)

        self.server.handle_error = handle_error  # type: ignore[method-assign]

    def handle(self, path: str, headers: dict[str, str], raw: str) -> tuple[int, dict[str, Any]]:
        status, payload = super().handle(path, headers, raw)
        if status == 201 and payload.get("to") in self.unanswered:
            self.unanswered.discard(payload["to"])  # only the first try goes unanswered
            if self.how == "hang_up":
                return HANG_UP, {}
            time.sleep(TIMEOUT * 3)
        return status, payload


@pytest.fixture(params=["stall", "hang_up"])
def unanswered_twilio(request, settings):
    with UnansweredTwilio(request.param) as standin:
        settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM_NUMBER = SID, TOKEN, FROM
        settings.TWILIO_API_BASE = standin.url
        settings.MESSAGING_HTTP_TIMEOUT = TIMEOUT
        settings.MESSAGING_WEBHOOK_BASE_URL = "http://testserver"
        yield standin


def test_a_text_taken_before_the_timeout_or_reset_is_asked_about_then_recorded_not_resent(
    world, unanswered_twilio, django_capture_on_commit_callbacks
):
    unanswered_twilio.unanswered.add(world.ana.mobile_phone)
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    text = Delivery.objects.get(message=message, guardian=world.ana, channel="sms")
    assert text.state == "sending" and text.attempts == 1  # not queued again: it may have gone out

    with freeze_time(timezone.now() + dt.timedelta(seconds=10)), django_capture_on_commit_callbacks(execute=True):
        services.messages_sweep()

    sent_to = Counter(form["To"] for form in unanswered_twilio.sent())
    assert sent_to[world.ana.mobile_phone] == 1
    text.refresh_from_db()
    taken = next(item for item in unanswered_twilio.created if item["to"] == world.ana.mobile_phone)
    assert (text.state, text.provider_id) == ("sent", taken["sid"])


def test_a_text_twilio_never_took_is_sent_after_the_check(world, unanswered_twilio, monkeypatch,
                                                          django_capture_on_commit_callbacks):
    """The check must not lose a text: when Twilio has nothing, the row is sent again."""
    unanswered_twilio.unanswered.add(world.ana.mobile_phone)
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    unanswered_twilio.created.clear()  # as if Twilio had dropped the request it was sent
    with freeze_time(timezone.now() + dt.timedelta(seconds=10)), django_capture_on_commit_callbacks(execute=True):
        services.messages_sweep()
    text = Delivery.objects.get(message=message, guardian=world.ana, channel="sms")
    assert text.state == "sent"
    assert Counter(form["To"] for form in unanswered_twilio.sent())[world.ana.mobile_phone] == 2


def test_a_server_error_on_the_post_is_asked_about_before_the_text_is_sent_again(world, twilio,
                                                                                  django_capture_on_commit_callbacks):
    twilio.refusals[world.ana.mobile_phone] = (503, {"code": 0, "message": "Service Unavailable", "status": 503})
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    text = Delivery.objects.get(message=message, guardian=world.ana, channel="sms")
    assert (text.state, text.attempts) == ("sending", 1)
    del twilio.refusals[world.ana.mobile_phone]
    with freeze_time(timezone.now() + dt.timedelta(seconds=10)), django_capture_on_commit_callbacks(execute=True):
        services.messages_sweep()
    text.refresh_from_db()
    assert text.state == "sent"  # Twilio had not taken it: asked, then sent once
    assert [item["to"] for item in twilio.created].count(world.ana.mobile_phone) == 1
