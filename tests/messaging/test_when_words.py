"""Scheduled times in the sender's words, on the district's calendar (DST and midnight included)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import translation

from homeroom.messaging.compose.when_words import when_in_words

NY = ZoneInfo("America/New_York")


def at(year, month, day, hour, minute=0, zone=NY):
    return dt.datetime(year, month, day, hour, minute, tzinfo=zone)


def words(when, now, zone=NY):
    with translation.override("en"):
        return when_in_words(when, now=now, zone=zone)


def test_tomorrow_morning():
    assert words(at(2026, 12, 5, 7), now=at(2026, 12, 4, 16)) == "tomorrow at 7:00 am"


def test_later_this_week_by_weekday():
    assert words(at(2026, 12, 11, 15, 30), now=at(2026, 12, 7, 9)) == "Friday at 3:30 pm"


def test_today_even_when_utc_is_already_tomorrow():
    # 9:30 pm in New York is 02:30 UTC the next day.
    assert words(at(2026, 12, 4, 21, 30), now=at(2026, 12, 4, 20)) == "today at 9:30 pm"


def test_ten_past_midnight_is_tomorrow_seen_from_ten_to_midnight():
    assert words(at(2026, 12, 5, 0, 10), now=at(2026, 12, 4, 23, 50)) == "tomorrow at 12:10 am"


def test_spring_forward_night_still_counts_one_day():
    # Clocks go forward on 8 March 2026 at 2 am: the night is 23 hours long.
    now = at(2026, 3, 7, 23, 30)
    when = at(2026, 3, 8, 7)
    assert when - now < dt.timedelta(hours=8)
    assert words(when, now=now) == "tomorrow at 7:00 am"


def test_fall_back_night_shows_the_local_clock():
    # 1 November 2026: 6:30 UTC is 1:30 am EST (after the clocks went back).
    when = dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC)
    assert words(when, now=at(2026, 10, 31, 18)) == "tomorrow at 1:30 am"


def test_district_zone_decides_the_day():
    la = ZoneInfo("America/Los_Angeles")
    when = dt.datetime(2026, 12, 5, 6, 0, tzinfo=dt.UTC)  # 1 am in New York, 10 pm the day before in LA
    now = dt.datetime(2026, 12, 4, 20, 0, tzinfo=dt.UTC)
    assert words(when, now=now, zone=NY) == "tomorrow at 1:00 am"
    assert words(when, now=now, zone=la) == "today at 10:00 pm"


def test_more_than_a_week_away_gives_the_date():
    assert words(at(2026, 12, 21, 8), now=at(2026, 12, 4, 8)) == "Monday, December 21 at 8:00 am"


def test_spanish_words():
    with translation.override("es"):
        text = when_in_words(at(2026, 12, 11, 15, 30), now=at(2026, 12, 7, 9), zone=NY)
    assert "viernes" in text.lower()
