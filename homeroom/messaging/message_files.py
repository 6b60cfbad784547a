"""The signed link a family follows to a file staff attached to a message (compose.staff_attachments stores it).

The link holds the message and the file's position, signed, so it cannot be edited into another message's file;
it names no one, and it needs no sign-in, as the text it arrives in needs none.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

LINK_SALT = "homeroom.messaging.message-file"
LINK_MAX_AGE = 60 * 60 * 24 * 120  # a school term and a bit: families look back at a permission slip


def family_file_url(message_id: int, index: int) -> str:
    """The absolute, signed link a family follows to the file (no sign-in; it names no one)."""
    token = signing.dumps([message_id, index], salt=LINK_SALT, compress=True)
    return settings.SITE_URL.rstrip("/") + reverse("messaging:family_file", args=[token])


def message_file_name(token: str) -> tuple[int, int] | None:
    """(message id, index) from a family's link; None when it was changed or is too old."""
    try:
        value = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        return None
    return value[0], value[1]
