"""The one E.164 normaliser: imports, the portal, staff edits and sign-in all read phone numbers through it.

It lives in core because sign-in (core) needs it; roster.reachability, which owns everything about reaching a
guardian, exposes it to the apps above.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from django.conf import settings

# Most numbers in a US district arrive in one of a few North American shapes; reading them without the full
# parser keeps a 100,000-guardian import fast. The validity check below is the same for both paths.
NANP = re.compile(r"^(?:\+?1[ .-]?)?\(?([2-9]\d{2})\)?[ .-]?([2-9]\d{2})[ .-]?(\d{4})$")


@lru_cache(maxsize=65536)
def _normalise(raw: str, region: str) -> str | None:
    match = NANP.match(raw) if region in {"US", "CA"} else None
    if match:
        number = phonenumbers.PhoneNumber(country_code=1, national_number=int("".join(match.groups())))
    else:
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            return None
    # A valid number (an assigned range), not merely a possible one (the right length): a number that cannot
    # exist would only be marked bad after the first send failed.
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def to_e164(raw: str, region: str | None = None) -> str | None:
    """'(203) 555-0142' → '+12035550142'; None when it is not a valid phone number."""
    raw = (raw or "").strip()[:64]
    if not raw:
        return None
    return _normalise(raw, region or settings.PHONE_DEFAULT_REGION)
