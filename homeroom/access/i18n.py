"""Which of our interface languages a person reads, from their account and roster record."""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.db import DatabaseError
from django.db.models import Case, CharField, F, Value, When
from django.utils import translation

from homeroom.core.language_tags import known_languages
from homeroom.core.words import EXTRA_LANGUAGE_NAMES
from homeroom.roster.models import Guardian

# ISO 639-2/B, 639-2/T and 639-3 codes a student information system may send, as the two-letter subtags the
# rest of Homeroom uses (BCP 47 prefers the shortest code). Data: add a district's languages here.
THREE_LETTER_CODES = {
    "eng": "en", "spa": "es", "por": "pt", "hat": "ht", "ara": "ar", "chi": "zh", "zho": "zh", "cmn": "zh",
    "vie": "vi", "pol": "pl", "fre": "fr", "fra": "fr", "ger": "de", "deu": "de", "ita": "it", "rus": "ru",
    "ukr": "uk", "kor": "ko", "jpn": "ja", "tgl": "tl", "fil": "tl", "alb": "sq", "sqi": "sq", "ben": "bn",
    "hin": "hi", "urd": "ur", "per": "fa", "fas": "fa", "tur": "tr", "gre": "el", "ell": "el", "som": "so",
    "swa": "sw", "amh": "am", "nep": "ne", "pus": "ps", "prs": "prs", "khm": "km", "lao": "lo", "tha": "th",
    "bur": "my", "mya": "my", "guj": "gu", "pan": "pa", "tam": "ta", "tel": "te", "kea": "kea",
}

# Tags that read as one of our interface languages though they are not spelled like it. Portuguese readers
# read the Brazilian catalogue; Chinese without a script is Simplified (mainland and Singapore).
INTERFACE_ALIASES = {
    "pt": "pt-br", "pt-pt": "pt-br", "pt-ao": "pt-br", "pt-mz": "pt-br", "pt-cv": "pt-br",
    "zh": "zh-hans", "zh-cn": "zh-hans", "zh-sg": "zh-hans", "zh-my": "zh-hans",
}
# Traditional Chinese readers are not shown Simplified as if it were their language.
NOT_INTERFACE = frozenset({"zh-hant", "zh-tw", "zh-hk", "zh-mo"})


def canonical_language_tag(value: str) -> str:
    """'PT_br' → 'pt-br', 'hat' → 'ht', 'zh-Hans-CN' → 'zh-hans-cn': lower case, hyphens, two-letter languages."""
    tag = (value or "").strip().replace("_", "-").lower()
    if not tag:
        return ""
    language, _sep, rest = tag.partition("-")
    language = THREE_LETTER_CODES.get(language, language)
    return f"{language}-{rest}" if rest else language


def two_letter_language(value: str) -> str:
    """'hat' → 'ht', 'POR-BR' → 'pt-BR': an ISO 639-2/3 language subtag as its two-letter code, the rest kept."""
    language, sep, rest = (value or "").strip().partition("-")
    short = THREE_LETTER_CODES.get(language.lower())
    return f"{short}{sep}{rest}" if short else value.strip()


def interface_language(code: str, offered: Iterable[str] | None = None) -> str | None:
    """The interface language a person with language tag `code` reads, or None when we have none for them.

    The one mapping from a roster's language codes to ours: 'pt', 'pt-BR' and 'por' → 'pt-br'; 'zh', 'zh-CN'
    and 'zh-Hans-CN' → 'zh-hans'; 'hat' → 'ht'; 'es-MX' → 'es'. `offered` narrows the languages (default:
    settings.LANGUAGES)."""
    codes = {c.lower() for c in offered} if offered is not None else {c for c, _name in settings.LANGUAGES}
    tag = canonical_language_tag(code)
    if not tag:
        return None
    subtags = tag.split("-")
    for length in range(len(subtags), 0, -1):  # zh-hans-cn, then zh-hans, then zh
        candidate = "-".join(subtags[:length])
        if candidate in NOT_INTERFACE:
            return None
        for option in (candidate, INTERFACE_ALIASES.get(candidate)):
            if option and option in codes:
                return option
    return None


def roster_language(value: str) -> str:
    """What the roster stores for a guardian's language: our interface code when we have one, else the tag."""
    return interface_language(value) or canonical_language_tag(value)


@functools.cache
def _codes_by_name() -> dict[str, str]:
    """'english' → 'en', 'español' → 'es', 'haitian creole' → 'ht': a language's English and own names (some
    exports and hand-kept lists carry the name instead of a tag)."""
    names: dict[str, str] = {}
    for code, info in LANG_INFO.items():
        if "name" in info and "fallback" not in info:
            for name in (info["name"], info.get("name_local", "")):
                names.setdefault(str(name).strip().lower(), code)
    with translation.override("en"):
        for code, name in EXTRA_LANGUAGE_NAMES.items():
            names.setdefault(str(name).lower(), code)
    for code, name in settings.LANGUAGES:
        names.setdefault(name.strip().lower(), code.lower())
    return names


def language_key(code: str) -> str:
    """The one key a report groups a home language under, so each language is one row whatever the roster wrote.

    'en', 'eng', 'en-US', 'EN_us' and 'English' → 'en'; 'pt', 'pt-BR' and 'por' → 'pt-br'; 'zh-CN' → 'zh-hans';
    'es-MX' → 'es'; 'zh-TW' → 'zh-hant': our interface language when there is one (interface_language), else the
    primary language subtag ('so-SO' → 'so'); a language's name ('Spanish', 'Español') counts as its code; '' stays ''.
    Anything else is kept, lower-cased, as its own group."""
    value = (code or "").strip()
    if not value:
        return ""
    tag = canonical_language_tag(value)
    if any(tag == name or tag.startswith(name + "-") for name in NOT_INTERFACE):
        return "zh-hant"  # Traditional Chinese ('zh-TW', 'zh-Hant-HK') is its own language, not Simplified
    primary = tag.split("-")[0]
    if primary not in known_languages():
        named = _codes_by_name().get(value.lower())
        if named is None:
            return tag
        tag = canonical_language_tag(named)
        primary = tag.split("-")[0]
    return interface_language(tag) or primary


def language_key_expression(field: str, codes: Iterable[str]) -> Any:
    """A SQL expression of `field` mapped to its language_key, for the `codes` it holds (read them first, e.g. the
    distinct values of a message's deliveries): grouping by it gives one row per language in the database, so
    counts of distinct families stay exact (summing two rows' distinct counts afterwards would not be)."""
    groups: dict[str, list[str]] = {}
    for code in {c or "" for c in codes}:
        groups.setdefault(language_key(code), []).append(code)
    whens = [When(**{f"{field}__in": sorted(members)}, then=Value(key))
             for key, members in sorted(groups.items()) if members != [key]]
    if not whens:
        return F(field)
    return Case(*whens, default=F(field), output_field=CharField())


def supported_language(code: str) -> str | None:
    """'es-MX' → 'es', 'pt' → 'pt-br' (see interface_language); None when we have nothing close."""
    return interface_language(code)


def language_for_user(user: Any) -> str | None:
    """The user's own choice first, then the language the roster has for them as a guardian."""
    if user is None:
        return None
    chosen = supported_language(getattr(user, "language", "") or "")
    if chosen:
        return chosen
    if not hasattr(user, "_homeroom_roster_language"):  # once per request, not once per call
        rows = Guardian.objects.filter(user_id=user.pk, is_active=True).values_list("language", flat=True)
        user._homeroom_roster_language = supported_language(rows.first() or "")
    roster_language: str | None = user._homeroom_roster_language
    return roster_language


def enabled_languages(per_district: list[list[str]] | None) -> list[tuple[str, str]]:
    """settings.LANGUAGES narrowed to what the districts enable (each district's list; an empty list: all).

    English stays: it is the interface's own language and every fallback's."""
    shipped = list(settings.LANGUAGES)
    if not per_district or any(not codes for codes in per_district):
        return shipped
    wanted = {settings.LANGUAGE_CODE} | {interface_language(code) or code for codes in per_district for code in codes}
    return [(code, name) for code, name in shipped if code in wanted]


# {district id, or None for "the only district"}: (when read, that district's family_languages). Read at most
# once a minute per process, so the picker costs no query; roster.District's post_save clears it.
_DISTRICT_MEMO: dict[int | None, tuple[float, list[list[str]]]] = {}
MEMO_SECONDS = 60.0


def forget_district_languages(**_kwargs: Any) -> None:
    _DISTRICT_MEMO.clear()


def _district_rows(district_id: int | None) -> list[list[str]]:
    from homeroom.roster.models import District

    now = time.monotonic()
    memo = _DISTRICT_MEMO.get(district_id)
    if memo is not None and now - memo[0] < MEMO_SECONDS:
        return memo[1]
    rows = District.objects.all() if district_id is None else District.objects.filter(pk=district_id)
    try:
        values = list(rows.values_list("family_languages", flat=True)[:2])
    except DatabaseError:  # the language picker never breaks a page: without the database, offer them all
        return []
    _DISTRICT_MEMO[district_id] = (now, values)
    return values


def offered_languages(user: Any) -> list[tuple[str, str]]:
    """The languages the language picker offers this reader (code, name in itself).

    A family: their district's (roster.District.family_languages). Signed out: the district's, when the
    installation serves one district; otherwise, and for staff (whose pages are English and Spanish, other
    languages falling back to English), every shipped language."""
    from homeroom.access.scoping import scope_for

    scope = scope_for(user)
    if scope.guardian_district_id is not None:
        return enabled_languages(_district_rows(scope.guardian_district_id))
    if scope.user_id is None:
        rows = _district_rows(None)
        return enabled_languages(rows) if len(rows) == 1 else list(settings.LANGUAGES)
    return list(settings.LANGUAGES)
