"""Translations kept per content: a text, its two languages and the provider are translated once (a table)."""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction

from homeroom.languages.models import Translation
from homeroom.languages.providers import TranslationError, Translator, get_translator


def base(code: str) -> str:
    """The language without region or script: pt-BR and pt read the same to a translator's cache key."""
    return (code or "").lower().replace("_", "-").split("-")[0]


def same_language(a: str, b: str) -> bool:
    return base(a) == base(b)


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def cached(text: str, *, source: str, target: str, provider: str | None = None) -> str | None:
    """The stored translation, if there is one (no request is made)."""
    if provider is None:
        translator = get_translator()
        if translator is None:
            return None
        provider = translator.name
    return (
        Translation.objects.filter(provider=provider, source_language=source.lower(), target_language=target.lower(),
                                   source_hash=_key(text))
        .values_list("text", flat=True)
        .first()
    )


def translate(text: str, *, source: str, target: str, translator: Translator | None = None) -> str:
    """`text` in `target`: from the table when it was translated before, else from the provider (then kept).

    Raises TranslationError when machine translation is off or the provider fails.
    """
    translator = translator or get_translator()
    if translator is None:
        raise TranslationError("none", "unavailable", "not configured")
    source, target = source.lower(), target.lower()
    if not text.strip() or same_language(source, target):
        return text
    known = cached(text, source=source, target=target, provider=translator.name)
    if known is not None:
        return known
    result = translator.translate(text, source=source, target=target)
    try:
        with transaction.atomic():
            Translation.objects.create(provider=translator.name, source_language=source, target_language=target,
                                       source_hash=_key(text), text=result)
    except IntegrityError:  # another request translated the same text at the same moment
        pass
    return result
