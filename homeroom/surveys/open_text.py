"""Open answers translated for staff when machine translation is configured (messaging's translator)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from homeroom.messaging.channels import TransportError
from homeroom.messaging.translation import get_translator
from homeroom.surveys.results import Results

MAX_TRANSLATED = 200  # per page view; the rest stay as written
CACHE_SECONDS = 7 * 24 * 3600


def _base(code: str) -> str:
    return code.split("-")[0].lower()


def translate_open_text(results: Results, *, target: str) -> bool:
    """Fill `translated` on answers written in another language; False when no translator is configured."""
    translator = get_translator()
    if translator is None:
        return False
    done = 0
    for _question, answers in results.open_text:
        for answer in answers:
            if done >= MAX_TRANSLATED or _base(answer.language) == _base(target):
                continue
            key = "surveys:mt:" + hashlib.sha256(f"{answer.language}:{target}:{answer.text}".encode()).hexdigest()
            translated = cache.get(key)
            if translated is None:
                try:
                    translated = translator.translate(answer.text, source=_base(answer.language),
                                                      target=_base(target))
                except TransportError:
                    continue  # shown as written; the page still works when the service is down
                cache.set(key, translated, CACHE_SECONDS)
            answer.translated = translated
            done += 1
    return True
