"""Open answers translated for staff when machine translation is configured (homeroom.languages), with the
original kept beside them. Each text is translated the first time a page shows it and kept (languages.cache)."""

from __future__ import annotations

from homeroom.languages.providers import get_translator
from homeroom.languages.staff import for_staff
from homeroom.surveys.results import Results

MAX_TRANSLATED = 200  # fetched per page view; the rest stay as written until the next view


def translate_open_text(results: Results, *, target: str) -> bool:
    """Fill `translated` on answers written in another language; False when no translator is configured."""
    if get_translator() is None:
        return False
    fetched = 0
    for _question, answers in results.open_text:
        for answer in answers:
            translated = for_staff(answer.text, answer.language, target=target, fetch=fetched < MAX_TRANSLATED)
            fetched += 1
            answer.translated = translated
    return True
