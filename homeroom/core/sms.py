"""Sign-in codes by text message: one pluggable sender, the development outbox by default."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from homeroom.core import outbox
from homeroom.core.models import OutboxEntry

logger = logging.getLogger(__name__)

LoginCodeSender = Callable[[str, str], None]


def login_code_text(code: str, language: str) -> str:
    """The text of the message, in the recipient's language."""
    with translation.override(language or settings.LANGUAGE_CODE):
        minutes = settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT // 60
        return gettext("Your Homeroom sign-in code is %(code)s. It expires in %(minutes)s minutes.") % {
            "code": code,
            "minutes": minutes,
        }


def outbox_sender(phone_e164: str, body: str) -> None:
    """Keeps the text in the outbox table instead of sending it (the embedded default)."""
    outbox.store([OutboxEntry(channel="sms", to=phone_e164, body=body, meta={"kind": outbox.SIGN_IN})])


def _sender() -> LoginCodeSender:
    # The messaging app routes this through its SMS provider by naming its own function here.
    path = getattr(settings, "HOMEROOM_LOGIN_CODE_SMS_SENDER", "homeroom.core.sms.outbox_sender")
    sender: LoginCodeSender = import_string(path)
    return sender


def send_login_code(phone_e164: str, code: str, language: str) -> None:
    """Send a one-time sign-in code to a mobile number, worded in `language`.

    A provider failure is logged (without the number) and not shown: the page a person sees next must not
    reveal whether the number is on file.
    """
    try:
        _sender()(phone_e164, login_code_text(code, language))
    except Exception:
        logger.exception("sign-in code text could not be sent")
