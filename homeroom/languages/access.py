"""No silent English: the audience by home language, machine translation of what is missing, and the sender's
explicit acknowledgement before anyone is sent another language than their own.

A *family* here is a household (a guardian without one counts alone); a household whose members read two
languages counts under each. The status of a language says what its families will read:

- `written`: staff wrote the text in it (or in its base language: pt for pt-BR);
- `machine`: it is machine-translated (non-urgent messages, when machine translation is configured);
- `fallback`: they get another language (the district's fallback, else English). For a non-urgent message sent
  from the compose page, the sender must tick "Send in English to N families who read X" first; urgent
  messages go out at once and the report lists who got a fallback language.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import ngettext

from homeroom.access import scoping
from homeroom.access.i18n import interface_language, language_key
from homeroom.core.words import language_name
from homeroom.languages import cache
from homeroom.languages.models import FallbackAcknowledgement, MachineContent
from homeroom.languages.notices import notices_for
from homeroom.languages.providers import TranslationError, get_translator
from homeroom.roster.models import StudentGuardian

WRITTEN, MACHINE, FALLBACK = "written", "machine", "fallback"


@dataclass
class LanguageLine:
    language: str
    families: int
    status: str
    receives: str  # the language they will read
    problem: str = ""  # why machine translation did not work for it
    acknowledged: bool = False

    @property
    def name(self) -> str:
        return language_name(self.language)

    @property
    def receives_name(self) -> str:
        return language_name(self.receives)

    @property
    def needs_acknowledgement(self) -> bool:
        return self.status == FALLBACK


def families_by_language(user: Any, audience: dict[str, Any], *, fallback: str = "en") -> dict[str, int]:
    """Home language → number of families the audience reaches (the custody rule applies, as in planning).

    Languages are keyed by access.i18n.language_key, so a language the roster spells two ways ('so', 'som') is
    one line and one acknowledgement."""
    from homeroom.messaging.compose.audiences import audience_students

    students = audience_students(user, audience)
    rows = (
        StudentGuardian.objects.filter(scoping.family_access(), student__in=students, guardian__is_active=True)
        .values("guardian__language")
        .annotate(households=Count("guardian__household_id", distinct=True),
                  singles=Count("guardian_id", distinct=True, filter=Q(guardian__household_id=None)))
        .order_by()
    )
    counts: dict[str, int] = {}
    for row in rows:
        language = language_key(row["guardian__language"] or fallback)
        counts[language] = counts.get(language, 0) + row["households"] + row["singles"]
    return counts


def matching_content(language: str, available: Collection[str]) -> str | None:
    """The text a reader of `language` gets, as planning chooses it: the same tag, else the interface language
    the tag maps to ('hat' → 'ht', 'pt' → 'pt-br'), else its base language."""
    if language in available:
        return language
    mapped = interface_language(language, available)
    if mapped:
        return mapped
    short = cache.base(language)
    return short if short in available else None


def fallback_content(available: Collection[str], fallback: str) -> str:
    if fallback in available:
        return fallback
    return "en" if "en" in available or not available else sorted(available)[0]


def _urgent(category: str) -> bool:
    from homeroom.messaging.models import Category

    return category in {Category.URGENT, Category.ATTENDANCE}


def language_lines(counts: dict[str, int], *, available: Collection[str], machine: Collection[str] = (),
                   category: str, fallback: str = "en", problems: dict[str, str] | None = None,
                   acknowledged: Collection[str] = ()) -> list[LanguageLine]:
    """One line per home language, most families first. `machine` are the texts that are machine translations;
    with machine translation configured, a non-urgent message's missing languages count as `machine` too."""
    problems = problems or {}
    translate_missing = get_translator() is not None and not _urgent(category)
    lines = []
    for language, families in counts.items():
        match = matching_content(language, available)
        if match is not None:
            status = MACHINE if match in machine else WRITTEN
            receives = match
        elif translate_missing and language not in problems:
            status, receives = MACHINE, language
        else:
            status, receives = FALLBACK, fallback_content(available, fallback)
        lines.append(LanguageLine(language=language, families=families, status=status, receives=receives,
                                  problem=problems.get(language, ""), acknowledged=language in acknowledged))
    lines.sort(key=lambda line: (-line.families, line.language))
    return lines


def message_language_lines(message: Any, *, user: Any, problems: dict[str, str] | None = None) -> list[LanguageLine]:
    """The audience of a message by home language, with what each language will read."""
    contents = {c.language: c for c in message.contents.select_related("auto_translation")}
    machine = {code for code, c in contents.items() if _is_machine(c)}
    acknowledged = set(FallbackAcknowledgement.objects.filter(message=message).values_list("language", flat=True))
    counts = families_by_language(user, message.audience, fallback=message.district.fallback_language)
    return language_lines(counts, available=set(contents), machine=machine, category=message.category,
                          fallback=message.district.fallback_language, problems=problems, acknowledged=acknowledged)


def _is_machine(content: Any) -> bool:
    try:
        return content.auto_translation is not None
    except MachineContent.DoesNotExist:
        return False


def _source_content(contents: dict[str, Any], fallback: str) -> Any:
    written = {code: c for code, c in contents.items() if not _is_machine(c) and not c.machine_translated}
    for code in ("en", fallback):
        if code in written:
            return written[code]
    return next(iter(sorted(written.items())))[1] if written else None


def ensure_machine_contents(message: Any, *, user: Any) -> dict[str, str]:
    """Machine-translate the message into every home language of its audience that has no text yet (non-urgent
    messages, machine translation configured). Returns {language: problem} for those that failed; each one
    done is a MessageContent marked by a MachineContent (with the family's notices), so planning and
    rendering treat it as any text. Every translation goes through the cache."""
    from homeroom.messaging.models import MessageContent

    translator = get_translator()
    if translator is None or _urgent(message.category):
        return {}
    contents = {c.language: c for c in message.contents.select_related("auto_translation")}
    source = _source_content(contents, message.district.fallback_language)
    if source is None:
        return {}
    counts = families_by_language(user, message.audience, fallback=message.district.fallback_language)
    problems: dict[str, str] = {}
    for language in sorted(counts):
        if matching_content(language, contents) is not None:
            continue
        try:
            subject = cache.translate(source.subject, source=source.language, target=language, translator=translator)
            body = cache.translate(source.body, source=source.language, target=language, translator=translator)
        except TranslationError as exc:
            problems[language] = exc.explanation
            continue
        short, long = notices_for(language, translator=translator)
        with transaction.atomic():
            content, _created = MessageContent.objects.update_or_create(
                message=message, language=language,
                defaults={"subject": subject.replace("\n", " ").replace("\r", " ")[:200], "body": body,
                          "machine_translated": False},
            )
            MachineContent.objects.update_or_create(
                content=content, defaults={"source_language": source.language, "provider": translator.name,
                                           "notice_short": short[:300], "notice_long": long},
            )
        contents[language] = content
    return problems


def check_and_record(message: Any, *, user: Any, acknowledged: Iterable[str] | None) -> list[LanguageLine]:
    """Before a send: translate what is missing, then refuse (ValueError, text for the sender) a non-urgent
    message that would send families another language without the sender's acknowledgement for it; record
    each acknowledgement used (who, when, which language, how many families).

    `acknowledged` is None for messages the system sends itself (attendance notices, surveys, meeting
    invitations): they are translated when they can be, and the report lists who got a fallback language.
    """
    problems = ensure_machine_contents(message, user=user)
    lines = message_language_lines(message, user=user, problems=problems)
    if acknowledged is None or _urgent(message.category):
        return lines
    ticked = set(acknowledged)
    missing = [line for line in lines if line.needs_acknowledgement and line.language not in ticked]
    if missing:
        raise ValueError(" ".join(
            ngettext(
                "%(families)s family reads %(language)s and there is no %(language)s text%(why)s: tick “Send in "
                "%(receives)s to %(families)s family who reads %(language)s”, or add a %(language)s text.",
                "%(families)s families read %(language)s and there is no %(language)s text%(why)s: tick “Send in "
                "%(receives)s to %(families)s families who read %(language)s”, or add a %(language)s text.",
                line.families,
            ) % {
                "families": line.families, "language": line.name, "receives": line.receives_name,
                "why": f" ({line.problem})" if line.problem else "",
            }
            for line in missing
        ))
    for line in lines:
        if line.needs_acknowledgement:
            FallbackAcknowledgement.objects.update_or_create(
                message=message, language=line.language,
                defaults={"sent_in": line.receives, "families": line.families, "acknowledged_by": user},
            )
    return lines


def compose_language_lines(user: Any, audience: dict[str, Any], *, languages: Collection[str], category: str,
                           fallback: str) -> list[LanguageLine]:
    """The compose page's check, before the message exists: the texts written so far against the audience."""
    return language_lines(families_by_language(user, audience, fallback=fallback), available=set(languages),
                          category=category, fallback=fallback)
