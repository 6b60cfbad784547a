"""What the "log a contact" form starts with for a family: their language and the way they prefer to be reached."""

from __future__ import annotations

from typing import Any

from homeroom.contacts.models import Method
from homeroom.roster.models import DEFAULT_CHANNEL_ORDER, Channel, Guardian

# How staff reach a family on each channel; the portal is not something staff "log a contact" by.
METHOD_FOR_CHANNEL = {Channel.SMS.value: Method.TEXT.value, Channel.EMAIL.value: Method.EMAIL.value,
                      Channel.VOICE.value: Method.PHONE.value}


def contact_language(guardian: Guardian, offered: list[str]) -> str:
    """The family's language as one of the form's choices: 'es-MX' → 'es'; one the form lacks → 'other'."""
    code = (guardian.language or "").lower()
    for candidate in (code, code.split("-")[0]):
        if candidate in offered:
            return candidate
    return "other" if code and "other" in offered else (offered[0] if offered else "")


def _address(guardian: Guardian, channel: str) -> str:
    if channel == Channel.SMS:
        return guardian.mobile_phone
    if channel == Channel.EMAIL:
        return guardian.email
    if channel == Channel.VOICE:
        return guardian.mobile_phone or guardian.home_phone
    return ""


def contact_initial(guardian: Guardian, offered_languages: list[str]) -> dict[str, Any]:
    """Initial language, method and address: the first channel in the family's order that has an address."""
    initial: dict[str, Any] = {"language": contact_language(guardian, offered_languages)}
    order = guardian.channel_order if isinstance(guardian.channel_order, list) and guardian.channel_order else (
        DEFAULT_CHANNEL_ORDER)
    for channel in order:
        address = _address(guardian, channel)
        if channel in METHOD_FOR_CHANNEL and address:
            initial.update(method=METHOD_FOR_CHANNEL[channel], channel_address=address)
            break
    return initial
