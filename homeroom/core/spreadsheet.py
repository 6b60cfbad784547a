"""Cells written to CSV files that people open in a spreadsheet program: text stays text, never a formula."""

from __future__ import annotations

import re
from typing import Any

# A cell starting with one of these is a formula to a spreadsheet (CSV injection); a leading apostrophe keeps
# it text. Tab and carriage return are included because some programs strip them and read what follows.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# An E.164 phone number starts with "+" but is not a formula, and an apostrophe would spoil it for the reader.
_PHONE = re.compile(r"\+\d{6,15}")


def safe_cell(value: Any) -> Any:
    """A value as it may go into a CSV cell: a string that a spreadsheet would run gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PHONE.fullmatch(value):
        return "'" + value
    return value


def safe_row(values: list[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]
