"""The one interface every channel implements, and the one error type providers raise."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from homeroom.messaging.models import Delivery

if TYPE_CHECKING:
    from homeroom.messaging.rendering import Rendered


@dataclass(frozen=True, slots=True)
class Outgoing:
    """What sending reads of one claimed delivery row: its columns as plain values, not a model instance.

    A fan-out loads each row once to send it; building a model instance per row (deferred columns and all)
    cost about as much as reading the row itself. The channels read these attributes, which a `Delivery`
    has too. Each field is named after the `Delivery` column it is read from (OUTGOING_COLUMNS).
    """

    pk: int
    message_id: int
    guardian_id: int
    channel: str
    address: str
    language: str
    content_language: str
    state: str
    idempotency_key: str
    attempts: int
    error: str
    created_at: dt.datetime


# The columns to read for an Outgoing, in the order of its fields (`Outgoing(*row)`).
OUTGOING_COLUMNS = tuple(field.name for field in fields(Outgoing))


class Fault:
    """Whose fault a failed send is, which decides what happens next (see dispatch)."""

    TRANSIENT = "transient"  # the network or the provider hiccupped: try again later (an attempt is used)
    THROTTLED = "throttled"  # the provider asked us to slow down (HTTP 429): no attempt is used
    PROVIDER = "provider"  # the district's own setup (wrong token, closed account): the send pauses
    RECIPIENT = "recipient"  # the address itself is wrong or unreachable: marked bad, the fallback is tried
    MESSAGE = "message"  # this one message can never go (it could not be built, or was refused as it is)
    AMBIGUOUS = "ambiguous"  # the request went out and no answer came: ask the provider before resending


class TransportError(Exception):
    """A provider refused or failed; `fault` says whose fault it was (see Fault).

    `permanent` (the address is wrong) and `throttled` remain as shorthands for the commonest two.
    """

    def __init__(self, message: str, *, permanent: bool = False, code: str = "", throttled: bool = False,
                 fault: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.fault = fault or (Fault.THROTTLED if throttled else Fault.RECIPIENT if permanent else Fault.TRANSIENT)

    @property
    def permanent(self) -> bool:
        """Retrying cannot help this delivery (the address is wrong, or the message cannot be sent as it is)."""
        return self.fault in (Fault.RECIPIENT, Fault.MESSAGE)

    @property
    def throttled(self) -> bool:
        return self.fault == Fault.THROTTLED

    @property
    def against_address(self) -> bool:
        """Only this counts against a family's address (a bad mark and the fallback)."""
        return self.fault == Fault.RECIPIENT


class Transport:
    """Sends one rendered message to one delivery's address; returns the provider's id for status updates."""

    channel = ""
    # Channels whose provider confirms delivery by itself (the portal inbox is delivered when written).
    delivered_on_send = False

    @property
    def concurrent(self) -> bool:
        """True when `send` may run on several threads at once (it touches no database, only the provider)."""
        return False

    def open(self) -> None:
        """Called once per batch, so a batch reuses one connection."""

    def close(self) -> None:
        """Called once per batch, after the last send."""

    def rate_key(self) -> str | None:
        """The sender whose rate limit applies, or None when the channel has none."""
        return None

    def rate(self) -> tuple[float, float]:
        """(per second, burst) of the rate limit named by `rate_key`."""
        return 0.0, 0.0

    def provider_key(self) -> str:
        """The provider this channel sends through ("twilio", "email"…), paused as a whole when it is set up
        wrong; empty for a channel that cannot be (the portal inbox)."""
        return ""

    def probe(self) -> None:
        """Raises TransportError unless the provider would take a message now (its credentials and account)."""

    def send(self, delivery: Outgoing, rendered: Rendered) -> str:
        raise NotImplementedError

    @property
    def recoverable(self) -> bool:
        """True when `already_sent` can tell after a crash; only then may outcomes be recorded in groups."""
        return False

    def already_sent(self, delivery: Outgoing, rendered: Rendered) -> str | None:
        """After a crash between sending and recording: the provider's id if it took this one, else None."""
        return None


def first_unrecorded(provider_ids: list[str]) -> str | None:
    """The first id no delivery has recorded yet (two deliveries never claim one provider message)."""
    if not provider_ids:
        return None
    taken = set(Delivery.objects.filter(provider_id__in=provider_ids).values_list("provider_id", flat=True))
    return next((i for i in provider_ids if i not in taken), None)
