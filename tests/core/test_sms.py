"""Sign-in codes by text: worded in the guardian's language, sent through a pluggable sender."""

from __future__ import annotations

from homeroom.core import sms
from homeroom.core.models import OutboxEntry

sent: list[tuple[str, str]] = []


def record(phone: str, body: str) -> None:
    sent.append((phone, body))


def test_code_goes_to_the_outbox_by_default(db):
    sms.send_login_code("+12035550142", "ABCD-EFGH", "en")
    entry = OutboxEntry.objects.get()
    assert (entry.channel, entry.to) == ("sms", "+12035550142")
    assert "ABCD-EFGH" in entry.body


def test_code_goes_through_the_sender_named_in_settings(db, settings):
    settings.HOMEROOM_LOGIN_CODE_SMS_SENDER = "tests.core.test_sms.record"
    sent.clear()
    sms.send_login_code("+12035550142", "ABCD-EFGH", "en")
    assert sent == [("+12035550142", "Your Homeroom sign-in code is ABCD-EFGH. It expires in 15 minutes.")]
    assert not OutboxEntry.objects.exists()


def test_code_text_is_in_spanish_for_a_spanish_speaker():
    assert sms.login_code_text("ABCD-EFGH", "es").startswith("Su código de Homeroom es ABCD-EFGH.")


def test_code_text_falls_back_to_english_for_a_language_we_lack():
    assert sms.login_code_text("ABCD-EFGH", "xx").startswith("Your Homeroom sign-in code")


def refuse(phone: str, body: str) -> None:
    from homeroom.messaging.channels import TransportError

    raise TransportError("21211 invalid number", permanent=True)


def test_provider_refusal_is_logged_without_the_number(db, settings, caplog):
    settings.HOMEROOM_LOGIN_CODE_SMS_SENDER = "tests.core.test_sms.refuse"
    sms.send_login_code("+12035550142", "ABCD-EFGH", "en")
    assert "could not be sent" in caplog.text
    assert "2035550142" not in caplog.text.split("Traceback")[0]


def test_twilio_is_used_for_codes_when_configured(db, settings):
    from tests.messaging.standins import TwilioStandIn

    sid, token = "AC" + "0" * 32, "secret-token"
    with TwilioStandIn(sid, token) as twilio:
        settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = sid, token
        settings.TWILIO_FROM_NUMBER, settings.TWILIO_API_BASE = "+12035550100", twilio.url
        sms.send_login_code("+12035550142", "ABCD-EFGH", "es")
    assert [(m["To"], "ABCD-EFGH" in m["Body"]) for m in twilio.sent()] == [("+12035550142", True)]
    assert not OutboxEntry.objects.exists()
