"""When a scheduled message goes out, in the school district's time zone and in the sender's words."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import dateformat
from django.utils.translation import gettext as _


def district_zone(district: object) -> ZoneInfo:
    """The district's time zone (roster.District.time_zone), New York when it is unknown."""
    try:
        return ZoneInfo(str(getattr(district, "time_zone", "") or "America/New_York"))
    except (KeyError, ValueError):
        return ZoneInfo("America/New_York")


def _clock(local: dt.datetime) -> str:
    return dateformat.format(local, "g:i A").lower()  # "7:00 am", in the active language's words for am/pm


def when_in_words(when: dt.datetime, *, now: dt.datetime, zone: ZoneInfo) -> str:
    """"today at 3:30 pm", "tomorrow at 7:00 am", "Friday at 3:30 pm" within the week, else the date.

    Days are counted on the district's calendar, not in UTC: 11:50 pm to 12:10 am is "tomorrow", and a
    change to or from daylight saving time does not shift the day.
    """
    local = when.astimezone(zone)
    days = (local.date() - now.astimezone(zone).date()).days
    clock = _clock(local)
    if days < 0:
        return _("%(date)s at %(time)s (already past)") % {"date": dateformat.format(local, "l, F j"),
                                                           "time": clock}
    if days == 0:
        return _("today at %(time)s") % {"time": clock}
    if days == 1:
        return _("tomorrow at %(time)s") % {"time": clock}
    if days < 7:
        return _("%(weekday)s at %(time)s") % {"weekday": dateformat.format(local, "l"), "time": clock}
    return _("%(date)s at %(time)s") % {"date": dateformat.format(local, "l, F j"), "time": clock}
