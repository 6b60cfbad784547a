"""Rules by category (FCC 2016 school-calls ruling) and quiet hours: data, not `if` chains."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from homeroom.messaging.models import AudienceKind, Category
from homeroom.roster.reachability import Consent

StrOrPromise = str | Promise


@dataclass(frozen=True)
class CategoryRule:
    consent: str
    max_channels: int  # how many of the guardian's channels, in their order, to use
    quiet_hours: bool  # whether calls and texts wait for the end of quiet hours


CATEGORY_RULES: dict[str, CategoryRule] = {
    Category.URGENT: CategoryRule(Consent.EMERGENCY, max_channels=4, quiet_hours=False),
    Category.ATTENDANCE: CategoryRule(Consent.EMERGENCY, max_channels=2, quiet_hours=True),
    Category.REMINDER: CategoryRule(Consent.MISSION, max_channels=1, quiet_hours=True),
    Category.NEWS: CategoryRule(Consent.MISSION, max_channels=1, quiet_hours=True),
    Category.OTHER: CategoryRule(Consent.EXPLICIT, max_channels=1, quiet_hours=True),
    # A staff answer to a family who wrote in: on the channel they wrote by, every opt-out honoured.
    Category.REPLY: CategoryRule(Consent.MISSION, max_channels=1, quiet_hours=True),
}
# Priority lanes: these categories' batches run ahead of everything else queued (see engine.tasks).
URGENT_LANE = frozenset({Category.URGENT})
# Categories staff choose when composing (an answer is written in its conversation instead).
COMPOSE_CATEGORIES = [(value, label) for value, label in Category.choices if value != Category.REPLY]

# How a text names each category in a sentence ("except urgent alerts and attendance notices").
SHORT_NAMES: dict[str, StrOrPromise] = {
    Category.URGENT: _("urgent alerts"),
    Category.ATTENDANCE: _("attendance notices"),
    Category.REMINDER: _("reminders"),
    Category.NEWS: _("news"),
    Category.OTHER: _("other messages"),
}


def opt_outs_ignored() -> list[str]:
    """Categories that still reach a family that opted out (the law allows emergency messages)."""
    return [category for category, rule in CATEGORY_RULES.items() if rule.consent == Consent.EMERGENCY]


# Sends to a whole school or more: one copy per household address, English and Spanish both required.
WIDE_AUDIENCES = {AudienceKind.DISTRICT, AudienceKind.SCHOOLS, AudienceKind.GRADES}
REQUIRED_WIDE_LANGUAGES = ("en", "es")
PHONE_CHANNELS = {"sms", "voice"}


def is_child_specific(category: str, audience_kind: str) -> bool:
    return category == Category.ATTENDANCE or audience_kind == AudienceKind.FAMILY


def quiet_until(
    now: dt.datetime, *, time_zone: str, start: dt.time | None, end: dt.time | None
) -> dt.datetime | None:
    """The end of the quiet window `now` falls in (aware datetime), or None outside quiet hours."""
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(ZoneInfo(time_zone))
    t = local.time()
    if start < end:
        inside = start <= t < end
        end_day = local.date()
    else:  # the window wraps midnight, e.g. 21:00-07:30
        inside = t >= start or t < end
        end_day = local.date() + dt.timedelta(days=1) if t >= start else local.date()
    if not inside:
        return None
    return dt.datetime.combine(end_day, end, tzinfo=ZoneInfo(time_zone))
