from __future__ import annotations

import pytest

from tests.messaging.standins import TwilioStandIn

SID, TOKEN, FROM = "AC" + "0" * 32, "test-auth-token", "+12035550000"


@pytest.fixture
def twilio(settings):
    """Twilio configured against a loopback stand-in; callbacks are signed for the test client's host."""
    with TwilioStandIn(SID, TOKEN) as standin:
        settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM_NUMBER = SID, TOKEN, FROM
        settings.TWILIO_API_BASE = standin.url
        settings.MESSAGING_WEBHOOK_BASE_URL = "http://testserver"
        yield standin
