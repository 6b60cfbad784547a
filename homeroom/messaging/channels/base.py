"""The one interface every channel implements, and the one error type providers raise."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from homeroom.messaging.models import Delivery
    from homeroom.messaging.rendering import Rendered


class TransportError(Exception):
    """A provider refused or failed; `permanent` means retrying cannot help (bad number, hard bounce).

    `throttled` means the provider asked us to slow down (HTTP 429): not the message's fault, so it is not
    counted as an attempt, and the rest of the batch on that sending number waits for the next run.
    """

    def __init__(self, message: str, *, permanent: bool = False, code: str = "", throttled: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.code = code
        self.throttled = throttled


class Transport:
    """Sends one rendered message to one delivery's address; returns the provider's id for status updates."""

    channel = ""
    # Channels whose provider confirms delivery by itself (the portal inbox is delivered when written).
    delivered_on_send = False

    def open(self) -> None:
        """Called once per batch, so a batch reuses one connection."""

    def close(self) -> None:
        """Called once per batch, after the last send."""

    def rate_key(self) -> str | None:
        """The sending number whose rate limit applies, or None when the channel has none."""
        return None

    def send(self, delivery: Delivery, rendered: Rendered) -> str:
        raise NotImplementedError

    @property
    def recoverable(self) -> bool:
        """True when `already_sent` can tell after a crash; only then may outcomes be recorded in groups."""
        return False

    def already_sent(self, delivery: Delivery, rendered: Rendered) -> str | None:
        """After a crash between sending and recording: the provider's id if it took this one, else None."""
        return None

    def handed_over_id(self, delivery: Delivery) -> str:
        """For a channel that cannot be asked (not `recoverable`): the id to record for a row the batch's
        mark says was handed over before a crash, when the provider's own answer was never recorded."""
        return ""


def first_unrecorded(provider_ids: list[str]) -> str | None:
    """The first id no delivery has recorded yet (two deliveries never claim one provider message)."""
    from homeroom.messaging.models import Delivery

    if not provider_ids:
        return None
    taken = set(Delivery.objects.filter(provider_id__in=provider_ids).values_list("provider_id", flat=True))
    return next((i for i in provider_ids if i not in taken), None)
