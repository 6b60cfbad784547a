"""A send as it goes out: deliveries queued, sent, delivered and failed, for the live progress bar."""

from __future__ import annotations

from dataclasses import dataclass

from homeroom.messaging import selectors
from homeroom.messaging.models import DeliveryState, Message

S = DeliveryState
_BUCKET: dict[str, str] = {
    S.PLANNED: "queued", S.QUEUED: "queued", S.SENDING: "queued",
    S.SENT: "sent",
    S.DELIVERED: "delivered", S.READ: "delivered",
    S.FAILED: "failed", S.BOUNCED: "failed",
    S.SKIPPED: "not_sent",
}


@dataclass(frozen=True)
class Progress:
    queued: int = 0
    sent: int = 0
    delivered: int = 0
    failed: int = 0
    not_sent: int = 0
    running: bool = False  # still going out (or scheduled): the page keeps refreshing

    @property
    def total(self) -> int:
        return self.queued + self.sent + self.delivered + self.failed + self.not_sent

    def percent(self, part: int) -> int:
        return round(100 * part / self.total) if self.total else 0

    @property
    def done_percent(self) -> int:
        """How much of the send is settled (everything but what is still queued)."""
        return 100 - self.percent(self.queued) if self.total else (0 if self.running else 100)

    @property
    def segments(self) -> list[tuple[str, int, float, float]]:
        """(bucket, count, width, offset) in % for the stacked bar (SVG: the CSP allows no inline styles)."""
        result, offset = [], 0.0
        for name in ("delivered", "sent", "queued", "failed", "not_sent"):
            count = getattr(self, name)
            width = 100 * count / self.total if self.total else 0.0
            result.append((name, count, round(width, 2), round(offset, 2)))
            offset += width
        return result


def message_progress(message: Message, states: dict[str, int] | None = None) -> Progress:
    """From the deliveries counted by state (`selectors.state_counts`, one query on the (message, state) index)."""
    counts = {"queued": 0, "sent": 0, "delivered": 0, "failed": 0, "not_sent": 0}
    for state, n in (selectors.state_counts(message) if states is None else states).items():
        counts[_BUCKET.get(state, "queued")] += n
    running = message.status in (Message.Status.SENDING, Message.Status.SCHEDULED) or counts["queued"] > 0
    return Progress(running=running, **counts)
