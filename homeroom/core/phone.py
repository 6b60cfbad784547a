"""Phone numbers as families type them, turned into E.164 the way the roster stores them."""

from __future__ import annotations

import phonenumbers
from django.conf import settings


def to_e164(raw: str, region: str | None = None) -> str | None:
    """'(203) 555-0142' → '+12035550142'; None when it is not a possible phone number."""
    try:
        number = phonenumbers.parse(raw, region or settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
