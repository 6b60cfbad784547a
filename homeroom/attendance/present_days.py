"""PresentDays' `days`: a character per day of a school year from July 1, "1" for a day the student was simply
present. In Python the same days are the bits of an int (bit i: July 1 + i days), as classify.PlainDays holds them.

The SQL here is the database's half: a day's position in its year, and a group of rows gathered into one year's
days (a bit string on PostgreSQL, a list of positions on SQLite, which has no bit strings).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.db import connection

LENGTH = 366  # July 1 to June 30 of a leap year


def origin(school_year: int) -> date:
    """The day of the first character: school years start on July 1 and are named by the year they start in."""
    return date(school_year, 7, 1)


def as_text(bits: int) -> str:
    return format(bits, f"0{LENGTH}b")[::-1]


def as_bits(text: str) -> int:
    return int(text[::-1], 2)


def days_of(school_year: int, text: str) -> Iterator[date]:
    """The days a `days` text marks present, in order."""
    return _marked(origin(school_year), text)


def days_after(day: date, rest: str) -> Iterator[date]:
    """The days marked present in `rest`, the characters of a `days` text after `day`'s."""
    return _marked(day + timedelta(days=1), rest)


def last_of(school_year: int, text: str) -> date | None:
    """The last day a `days` text marks present."""
    position = text.rfind("1")
    return origin(school_year) + timedelta(days=position) if position >= 0 else None


def _marked(first: date, text: str) -> Iterator[date]:
    position = text.find("1")
    while position >= 0:
        yield first + timedelta(days=position)
        position = text.find("1", position + 1)


def position_sql(day: str, school_year: str) -> str:
    """SQL: the day's position in its school year (0 for July 1). Goes through cursor.execute: % is doubled."""
    if connection.vendor == "postgresql":
        return f"({day} - make_date({school_year}, 7, 1))"
    return f"CAST(julianday({day}) - julianday(printf('%%04d-07-01', {school_year})) AS INTEGER)"


def gathered_sql(day: str, school_year: str, where: str = "") -> str:
    """SQL: an aggregate of a group of rows' days (only those `where` says, if given), for `gathered`."""
    position = position_sql(day, school_year)
    if connection.vendor == "postgresql":
        only = f" FILTER (WHERE {where})" if where else ""
        return f"(bit_or(B'1'::bit({LENGTH}) >> {position}){only})::text"
    if where:
        return f"group_concat(CASE WHEN {where} THEN {position} END)"
    return f"group_concat({position})"


def gathered(value: str | None) -> int:
    """gathered_sql's value → bits (nothing gathered → 0)."""
    if not value:
        return 0
    if connection.vendor == "postgresql":
        return as_bits(value)
    bits = 0
    for number in value.split(","):
        bits |= 1 << int(number)
    return bits
