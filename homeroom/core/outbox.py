"""The development outbox: what would have been sent, kept in core.OutboxEntry (DEBUG and tests only).

Sign-in messages (codes, password-reset and unlock links) are marked, so the outbox page can keep them from
everyone but the person they were for; in DEBUG they are also printed on the server console, which is how the
demo's families read their code.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from homeroom.core.models import OutboxEntry

logger = logging.getLogger("homeroom.outbox")

SIGN_IN = "sign_in"  # OutboxEntry.meta["kind"] of sign-in messages
SIGN_IN_HEADER = "X-Homeroom-Sign-In"  # set by the account adapter on every sign-in email


def require_dev_outbox() -> None:
    """Nothing is kept silently in a table when debug is off: the process should not even have started."""
    if not settings.HOMEROOM_DEV_OUTBOX:
        raise ImproperlyConfigured("The dev outbox is off (debug is off): configure an email and SMS provider.")


def store(entries: Sequence[OutboxEntry]) -> list[OutboxEntry]:
    require_dev_outbox()
    stored = OutboxEntry.objects.bulk_create(entries)
    if settings.DEBUG:
        for entry in stored:
            if entry.meta.get("kind") == SIGN_IN:
                logger.warning("Dev outbox: sign-in %s to %s\n%s", entry.channel, entry.to, entry.body)
    return stored
