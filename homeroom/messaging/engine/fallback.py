"""Which channel to try after one fails for good: the district's own rule, else settings.MESSAGING_FALLBACK."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from homeroom.messaging.models import DistrictMessagingPolicy
from homeroom.roster.models import District

# The pairs a district decides for itself; any other pair in the setting applies to every district.
DISTRICT_CHANNELS = ("sms", "email")  # see DistrictMessagingPolicy.fallback


def fallback_rules(*, district_id: int) -> dict[str, str]:
    """channel → the channel to try next, for one district."""
    rules = dict(settings.MESSAGING_FALLBACK)
    policy = DistrictMessagingPolicy.objects.filter(district_id=district_id).first()
    if policy is None:
        return rules
    for channel in DISTRICT_CHANNELS:
        rules.pop(channel, None)
    return rules | policy.fallback()


def fallback_channel(*, district_id: int, channel: str) -> str | None:
    return fallback_rules(district_id=district_id).get(channel) or None


@dataclass(frozen=True)
class DistrictMessagingSettings:
    sms_to_voice: bool
    email_to_sms: bool
    quiet_hours_start: dt.time | None
    quiet_hours_end: dt.time | None


def district_settings_current(*, district: District) -> DistrictMessagingSettings:
    """What the settings page shows: the district's record, or the default it follows without one."""
    rules = fallback_rules(district_id=district.pk)
    return DistrictMessagingSettings(
        sms_to_voice=rules.get("sms") == "voice",
        email_to_sms=rules.get("email") == "sms",
        quiet_hours_start=district.quiet_hours_start,
        quiet_hours_end=district.quiet_hours_end,
    )


@transaction.atomic
def district_settings_save(*, district: District, user: Any, values: DistrictMessagingSettings) -> None:
    """Store the district's fallback rule and quiet hours (permission checks belong to the caller)."""
    DistrictMessagingPolicy.objects.update_or_create(
        district=district,
        defaults={"sms_to_voice": values.sms_to_voice, "email_to_sms": values.email_to_sms, "updated_by": user},
    )
    district.quiet_hours_start = values.quiet_hours_start
    district.quiet_hours_end = values.quiet_hours_end
    district.save(update_fields=["quiet_hours_start", "quiet_hours_end"])
