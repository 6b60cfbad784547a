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
