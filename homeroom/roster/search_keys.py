"""The normalised search column of students and guardians, and how a staff search reads against it.

A person's `search_key` holds their names, student number and email folded (lowercase, accents stripped) and
their phone numbers as E.164 digits, each word after a space: " jose garcia-lopez 10234 jose@x.org 12035550142".
Searching it with a plain `contains` gives the same rows on SQLite and PostgreSQL (both sides are already
folded, so the engines' case rules never come into play), and on PostgreSQL a trigram GIN index answers it
(migration 0007). The model's `save` and the importer's bulk upsert keep the column current.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from django.db.models import Q

from homeroom.core.phone import to_e164

STUDENT_FIELDS = ("given_name", "family_name", "preferred_name", "identifier", "email")
GUARDIAN_NAME_FIELDS = ("given_name", "family_name", "email")
GUARDIAN_PHONE_FIELDS = ("mobile_phone", "home_phone", "work_phone")
GUARDIAN_FIELDS = GUARDIAN_NAME_FIELDS + GUARDIAN_PHONE_FIELDS

# A query made only of digits and the punctuation people write phone numbers with is a number: a phone
# number in any format, or a student number.
NUMBER_QUERY = re.compile(r"^[\d\s().+\-/]+$")
MIN_DIGITS = 3
MAX_TERMS = 4


def fold(text: str) -> str:
    """'José GARCÍA' → 'jose garcia': casefolded, with the accents (combining marks) taken off."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _key(words: list[str]) -> str:
    return "".join(f" {word}" for word in " ".join(w for w in words if w).split())


def student_search_key(values: Mapping[str, Any]) -> str:
    return _key([fold(str(values.get(name) or "")) for name in STUDENT_FIELDS])


def guardian_search_key(values: Mapping[str, Any]) -> str:
    words = [fold(str(values.get(name) or "")) for name in GUARDIAN_NAME_FIELDS]
    words += [_digits(str(values.get(name) or "")) for name in GUARDIAN_PHONE_FIELDS]
    return _key(words)


def search_condition(query: str, column: str = "search_key") -> Q | None:
    """A Q matching `query` against the search column; None when the query has nothing to look for.

    A number (phone or student number) matches anywhere in the key, so '555-0142' finds +1 203 555 0142. Words
    each match the start of a word ('ana gar' finds Ana García); one with '@' in it (an email) matches anywhere.
    """
    query = query.strip()
    if NUMBER_QUERY.match(query):
        digits = _digits(query)
        if len(digits) < MIN_DIGITS:
            return None
        # The digits as typed also find a student number; those of the E.164 form also find a number typed
        # with an international prefix ('011 1 203 555 0142' from abroad).
        condition = Q(**{f"{column}__contains": digits})
        e164 = _digits(to_e164(query) or "") if len(digits) >= 10 else ""
        if e164 and digits not in e164:
            condition |= Q(**{f"{column}__contains": e164})
        return condition
    terms = fold(query).split()[:MAX_TERMS]
    if not terms:
        return None
    condition = Q()
    for term in terms:
        condition &= Q(**{f"{column}__contains": term if "@" in term else f" {term}"})
    return condition
