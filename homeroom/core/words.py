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
from django.utils.translation import gettext, pgettext_lazy
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


# --- Job titles ----------------------------------------------------------------------------------------------
# In Spanish, Portuguese, Polish and Arabic a job title agrees with the person: maestra or maestro, professora or
# professor, nauczycielka or nauczyciel, معلمة or معلم. The roster's staff sex (roster.Staff.sex, from OneRoster's
# demographics.csv) picks the form; when it is not known, the catalogue's inclusive form (Spanish "docente",
# "director(a)"), never a silent masculine. Each title is written three times, one per gettext context ("job
# title, gender not known", "job title of a woman", "job title of a man": literal, so makemessages finds them);
# English and the languages without grammatical gender translate the three alike.

# (not known, woman, man)
Title = tuple[Any, Any, Any]

STAFF_TITLES: dict[str, Title] = {  # core.models.Role
    "district_admin": (
        pgettext_lazy("job title, gender not known", "District administrator"),
        pgettext_lazy("job title of a woman", "District administrator"),
        pgettext_lazy("job title of a man", "District administrator"),
    ),
    "principal": (
        pgettext_lazy("job title, gender not known", "Principal"),
        pgettext_lazy("job title of a woman", "Principal"),
        pgettext_lazy("job title of a man", "Principal"),
    ),
    "teacher": (
        pgettext_lazy("job title, gender not known", "Teacher"),
        pgettext_lazy("job title of a woman", "Teacher"),
        pgettext_lazy("job title of a man", "Teacher"),
    ),
    "case_manager": (
        pgettext_lazy("job title, gender not known", "Case manager"),
        pgettext_lazy("job title of a woman", "Case manager"),
        pgettext_lazy("job title of a man", "Case manager"),
    ),
    "social_worker": (
        pgettext_lazy("job title, gender not known", "Social worker"),
        pgettext_lazy("job title of a woman", "Social worker"),
        pgettext_lazy("job title of a man", "Social worker"),
    ),
    "staff": (
        pgettext_lazy("job title, gender not known", "School staff"),
        pgettext_lazy("job title of a woman", "School staff"),
        pgettext_lazy("job title of a man", "School staff"),
    ),
}
_titles: dict[str, dict[str, Title]] = {"role": STAFF_TITLES}


def register_titles(kind: str, titles: dict[str, Title]) -> None:
    """Gendered titles for the codes of vocabulary `kind` (an app's roles, e.g. a PPT member's); see job_title."""
    _titles.setdefault(kind, {}).update(titles)


def job_title(code: Any, sex: str = "", kind: str = "role") -> str:
    """The title for `code` agreeing with a person of roster sex `sex` ("female", "male"; anything else, or
    nothing, is not known and gets the inclusive form). A code with no gendered title is said as word() says it."""
    if code is None:
        return ""
    title = _titles.get(kind, {}).get(str(code))
    if title is None:
        return word(code, kind)
    neutral, woman, man = title
    chosen = woman if sex == "female" else man if sex == "male" else neutral
    return str(chosen)


def person_title(code: Any, person: Any, kind: str = "role") -> str:
    """job_title for a person (a roster.Staff, or anyone with a `sex`; None or a guardian: not known)."""
    return job_title(code, str(getattr(person, "sex", "") or ""), kind)


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
    """The words for `code` in vocabulary `kind` ("language", "channel_state", "role" or a registered one)."""
    if code is None:
        return ""
    if kind == "language":
        return language_name(str(code))
    if kind == "channel_state":
        channel, state = split_pair(code)
        return channel_state(channel, state)
    text = str(code)
    if kind in _titles and text in _titles[kind]:
        return str(_titles[kind][text][0])  # a title with no person: the inclusive form
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
