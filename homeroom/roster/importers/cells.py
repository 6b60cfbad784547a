"""Turning one CSV cell into a typed value, or into a Problem that says why it cannot be."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from homeroom.access.i18n import two_letter_language
from homeroom.roster.importers.i18n import gettext as _
from homeroom.roster.importers.problems import Problems
from homeroom.roster.reachability import to_e164

TRUE = frozenset({"true", "t", "yes", "y", "1"})
FALSE = frozenset({"false", "f", "no", "n", "0"})
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
MAX_NUMBER = Decimal("100000000")


def shown(value: str) -> str:
    """A cell as quoted back to a person: short, and without invisible characters."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in value)
    return clean if len(clean) <= 40 else clean[:37] + "…"


@lru_cache(maxsize=4096)
def _date(value: str) -> date:
    if len(value) != 10:
        raise ValueError(value)
    return date.fromisoformat(value)


@lru_cache(maxsize=4096)
def _datetime(value: str) -> datetime:
    if len(value) < 10 or value[4] != "-":
        raise ValueError(value)
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


class Row:
    """One row of one file; each accessor records a Problem instead of raising."""

    __slots__ = ("file", "number", "problems", "values")

    def __init__(self, file: str, number: int, values: dict[str, str], problems: Problems) -> None:
        self.file = file
        self.number = number
        self.values = values
        self.problems = problems

    def error(self, column: str, message: str) -> None:
        self.problems.error(self.file, self.number, column, message)

    def warn(self, column: str, message: str) -> None:
        self.problems.warn(self.file, self.number, column, message)

    def text(self, column: str, *, required: bool = False, max_length: int = 255) -> str:
        value = self.values.get(column, "").strip()
        if not value:
            if required:
                self.error(column, _("A value is required."))
            return ""
        if len(value) > max_length:
            self.error(column, _("This value is longer than %(max)s characters.") % {"max": max_length})
            return value[:max_length]
        if self._has_nul(column, value):
            return ""
        return value

    def _has_nul(self, column: str, value: str) -> bool:
        """PostgreSQL stores neither text nor JSON with a NUL in it: such a cell is a problem, not a crash."""
        if "\x00" not in value:
            return False
        self.error(column, _("This value contains a NUL character."))
        return True

    def refs(self, column: str, *, max_length: int | None = None) -> list[str]:
        """A multi-value cell: comma-separated, as OneRoster writes lists."""
        value = self.values.get(column, "")
        if not value:
            return []
        if self._has_nul(column, value):
            return []
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if max_length is not None and any(len(part) > max_length for part in parts):
            self.error(column, _("This value is longer than %(max)s characters.") % {"max": max_length})
            return []
        return parts

    def boolean(self, column: str) -> bool | None:
        value = self.values.get(column, "").strip().lower()
        if not value:
            return None
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        self.error(column, _("“%(value)s” is not true or false.") % {"value": shown(value)})
        return None

    def _when(self, column: str, required: bool, parse: Callable[[str], Any], problem: str) -> Any:
        value = self.values.get(column, "").strip()
        if not value:
            if required:
                self.error(column, _("A date is required."))
            return None
        try:
            return parse(value)
        except (ValueError, IndexError):
            self.error(column, problem % {"value": shown(value)})
            return None

    def date(self, column: str, *, required: bool = False) -> date | None:
        return self._when(column, required, _date, _("“%(value)s” is not a date in the form YYYY-MM-DD."))

    def datetime(self, column: str, *, required: bool = False) -> datetime | None:
        return self._when(column, required, _datetime, _(
            "“%(value)s” is not an ISO 8601 date-time such as 2024-08-30T14:05:00Z (or a date, YYYY-MM-DD)."))

    def decimal(self, column: str) -> Decimal | None:
        value = self.values.get(column, "").strip()
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or abs(number) >= MAX_NUMBER:
            self.error(column, _("“%(value)s” is not a number.") % {"value": shown(value)})
            return None
        return number.quantize(Decimal("0.0001"))

    def choice(self, column: str, choices: dict[str, str], *, default: str = "") -> str:
        """A value from a fixed list (matched without regard to case)."""
        value = self.values.get(column, "").strip()
        if not value:
            return default
        found = choices.get(value.lower())
        if found is None:
            options = ", ".join(sorted(set(choices)))
            self.error(column, _("“%(value)s” is not one of: %(options)s.")
                       % {"value": shown(value), "options": options})
            return default
        return found

    def email(self, column: str) -> str:
        value = self.text(column, max_length=254)
        if not value:
            return ""
        try:
            validate_email(value)
        except ValidationError:
            self.warn(column, _("“%(value)s” is not an email address; left blank.") % {"value": shown(value)})
            return ""
        return value

    def phone(self, column: str) -> str:
        value = self.values.get(column, "").strip()
        if not value:
            return ""
        parsed = to_e164(value)
        if parsed is None:
            self.warn(column, _("“%(value)s” is not a phone number we can dial; left blank.") % {"value": shown(value)})
            return ""
        return parsed

    def language(self, column: str) -> str:
        value = self.values.get(column, "").strip()
        if not value:
            return ""
        if len(value) > 35 or not LANGUAGE_TAG.match(value):
            self.warn(column, _("“%(value)s” is not a language tag such as es or pt-BR; the language already on "
                                "file was kept.") % {"value": shown(value)})
            return ""
        return two_letter_language(value)  # an SIS's "hat" or "por" is the "ht" or "pt" every other file sends
