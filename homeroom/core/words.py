"""Codes as words in the reader's language: the one place a page, spreadsheet or email turns a code into text.

Core knows language codes. Each app registers the vocabularies it owns ("channel", "state", "provider", …) in
its AppConfig.ready(), so core never imports the apps above it. A code nobody registered is shown as it is:
a new code must never break a page, and the tests that render pages catch it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Names of the languages in core.language_tags.EXTRA_LANGUAGE_TAGS, which Django does not know.
EXTRA_LANGUAGE_NAMES = {
    "am": _("Amharic"),
    "ceb": _("Cebuano"),
    "chk": _("Chuukese"),
    "ha": _("Hausa"),
    "hmn": _("Hmong"),
    "ht": _("Haitian Creole"),
    "ilo": _("Ilocano"),
    "kar": _("Karen"),
    "kea": _("Cape Verdean Creole"),
    "ku": _("Kurdish"),
    "lo": _("Lao"),
    "mh": _("Marshallese"),
    "prs": _("Dari"),
    "ps": _("Pashto"),
    "rw": _("Kinyarwanda"),
    "sm": _("Samoan"),
    "so": _("Somali"),
    "ti": _("Tigrinya"),
    "tl": _("Tagalog"),
    "to": _("Tongan"),
    "yo": _("Yoruba"),
}

Vocabulary = Callable[[], Iterable[tuple[str, Any]]]
_vocabularies: dict[str, list[Vocabulary]] = {}


def register(kind: str, choices: Vocabulary) -> None:
    """Add (code, label) pairs for `kind`; `choices` is called at lookup time so labels follow the language."""
    registered = _vocabularies.setdefault(kind, [])
    if choices not in registered:
        registered.append(choices)


def language_name(code: str) -> str:
    """'es' → 'Spanish' (or 'español' to a Spanish reader); 'es-MX' → the name of 'es'; unknown tags unchanged."""
    if not code:
        return gettext("Not recorded")
    lowered = str(code).lower()
    for candidate in (lowered, lowered.split("-")[0]):
        if candidate in EXTRA_LANGUAGE_NAMES:
            return str(EXTRA_LANGUAGE_NAMES[candidate])
        try:
            info: dict[str, Any] = translation.get_language_info(candidate)
        except KeyError:
            continue
        if info.get("name_translated"):
            return str(info["name_translated"])
    configured = dict(settings.LANGUAGES)
    return str(configured.get(lowered, code))


def word(code: Any, kind: str) -> str:
    """The words for `code` in vocabulary `kind` ("language", "channel_state" or a registered one)."""
    if code is None:
        return ""
    if kind == "language":
        return language_name(str(code))
    if kind == "channel_state":
        channel, state = split_pair(code)
        return channel_state(channel, state)
    text = str(code)
    for choices in _vocabularies.get(kind, []):
        for value, label in choices():
            if value == text and str(label):
                return str(label)
    return text


def split_pair(value: Any) -> tuple[str, str]:
    """("sms", "sent"), "sms · sent", "sms:sent" or an object with .channel and .state → ("sms", "sent")."""
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return str(value[0]), str(value[1])
    if hasattr(value, "channel") and hasattr(value, "state"):
        return str(value.channel), str(value.state)
    text = str(value)
    for separator in (" · ", ":", "/"):
        if separator in text:
            first, _sep, second = text.partition(separator)
            return first.strip(), second.strip()
    return text, ""


def channel_state(channel: str, state: str) -> str:
    """("sms", "sent") → "Text message, sent"."""
    channel_words = word(channel, "channel")
    if not state:
        return channel_words
    state_words = word(state, "state")
    # The state follows a comma in the middle of a phrase: lower-case its first letter ("Sent" → "sent").
    state_words = state_words[:1].lower() + state_words[1:]
    return gettext("%(channel)s, %(state)s") % {"channel": channel_words, "state": state_words}
