"""What the engine hands back instead of queuing work itself: a batch to run (now or later), a provider to probe.

Planning, dispatch, outcomes and probes return these; `engine.tasks` is the one module that puts them on the task
queue, once the transaction that made them commits. So the engine never imports the task layer, and no import
loop is needed to reach it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class RunBatch:
    """Send one batch of a message: at once (`due` None or past), else at `due` on backends that can defer."""

    message_id: int
    batch: int
    due: dt.datetime | None = None


@dataclass(frozen=True)
class ProbeProvider:
    """Ask a paused provider whether it works again, at `due`."""

    provider: str
    due: dt.datetime


FollowUp = RunBatch | ProbeProvider
