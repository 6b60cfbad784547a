"""What families write, shown to staff with a machine translation beside the original; staff answers sent back
in the family's language.

Family replies are translated in the background as they arrive (`tasks.translate_reply_task`, into the
district's staff languages); anything else (a "Getting to Know My Child" profile, feedback, open survey
answers) is translated the first time a staff member opens it, and kept (`cache`), so no page asks twice.
No send ever waits for a translation of a reply.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation

from homeroom.languages import cache
from homeroom.languages.models import AnswerTranslation
from homeroom.languages.providers import TranslationError, get_translator

# Staff pages are in English and Spanish: a family's reply is translated into both as it arrives.
STAFF_LANGUAGES = ("en", "es")


def for_staff(text: str, source: str, *, target: str | None = None, fetch: bool = True) -> str:
    """`text` (written in `source`) in the reader's language, or "" when it needs none, machine translation
    is off, or the provider failed. `fetch=False` reads only what is already kept."""
    target = cache.base(target or translation.get_language() or "en")
    if not text or not text.strip() or not source or cache.same_language(source, target):
        return ""
    translator = get_translator()
    if translator is None:
        return ""
    source = source.lower()
    known = cache.cached(text, source=source, target=target, provider=translator.name)
    if known is not None or not fetch:
        return known or ""
    try:
        return cache.translate(text, source=source, target=target, translator=translator)
    except TranslationError:
        return ""  # shown as written; the page works while the service is down


def entry_language(entry: Any) -> str:
    """The language a family's entry is read as written in: the guardian's home language."""
    return str(entry.conversation.guardian.language or "")


def answer_for_family(*, body: str, author_user: Any, family_language: str) -> tuple[str, dict[str, str] | None]:
    """A staff answer as the family will get it: machine-translated into their language (with the notice that
    it was) when machine translation is configured and the staff member writes in another language.

    Returns (text to send, record) where record, when not None, is kept with the entry by `record_answer`.
    """
    staff_language = str(getattr(author_user, "language", "") or settings.LANGUAGE_CODE)
    translator = get_translator()
    if translator is None or not family_language or cache.same_language(staff_language, family_language):
        return body, None
    try:
        translated = cache.translate(body, source=cache.base(staff_language), target=family_language,
                                     translator=translator)
    except TranslationError:
        return body, None  # sent as written; the rendering offers a translation from the school
    from homeroom.languages.notices import notices_for

    _short, long = notices_for(family_language, translator=translator)
    record = {"original": body, "original_language": cache.base(staff_language), "language": family_language,
              "provider": translator.name}
    return f"{translated}\n\n{long}", record


def record_answer(entry: Any, record: dict[str, str] | None) -> None:
    if record is not None:
        AnswerTranslation.objects.create(entry=entry, **record)
