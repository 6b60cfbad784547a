"""The BCP 47 language tags Homeroom recognises for what staff write to families (and how to check one)."""

from __future__ import annotations

import re

from django.conf import settings
from django.conf.locale import LANG_INFO

# Languages families in US districts often read that Django has no interface translation for (so they are
# missing from django.conf.locale.LANG_INFO). Data, not rules: add a district's languages here or through
# HOMEROOM_EXTRA_LANGUAGES (which also puts them in settings.LANGUAGES).
EXTRA_LANGUAGE_TAGS = frozenset({
    "am",  # Amharic
    "ceb",  # Cebuano
    "chk",  # Chuukese
    "ha",  # Hausa
    "hmn",  # Hmong
    "ht",  # Haitian Creole
    "ilo",  # Ilocano
    "kar",  # Karen
    "kea",  # Cape Verdean Creole
    "ku",  # Kurdish
    "lo",  # Lao
    "mh",  # Marshallese
    "prs",  # Dari
    "ps",  # Pashto
    "rw",  # Kinyarwanda
    "sm",  # Samoan
    "so",  # Somali
    "ti",  # Tigrinya
    "tl",  # Tagalog
    "to",  # Tongan
    "yo",  # Yoruba
})

# language, then an optional script (Hans) and region (BR, 419); private-use and extensions are not content
# languages and are refused.
_TAG = re.compile(r"^(?P<language>[a-z]{2,3})(?:-(?P<script>[a-z]{4}))?(?:-(?P<region>[a-z]{2}|\d{3}))?$")


def known_languages() -> frozenset[str]:
    """Primary language subtags we recognise: the interface languages, Django's list and the extras above."""
    interface = {code.lower().split("-")[0] for code, _name in settings.LANGUAGES}
    django_known = {code.lower().split("-")[0] for code in LANG_INFO}
    return frozenset(interface | django_known | EXTRA_LANGUAGE_TAGS)


def normalize_language_tag(value: str) -> str | None:
    """'PT-br' → 'pt-br'; None for anything that is not a well-formed tag of a language we know."""
    tag = (value or "").strip().lower()
    if len(tag) > 35:
        return None
    match = _TAG.match(tag)
    if match is None or match["language"] not in known_languages():
        return None
    return tag
