"""A sent message's families counted by their own home language, and the language each actually received."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from homeroom.access.i18n import language_key, language_key_expression
from homeroom.core.words import language_name
from homeroom.languages.cache import same_language
from homeroom.languages.models import FallbackAcknowledgement, MachineContent

NOT_SENT = {"skipped"}


@dataclass
class ReceivedRow:
    home_language: str
    received: str  # "" when nothing went out to these families
    machine: bool
    families: int

    @property
    def home_name(self) -> str:
        return language_name(self.home_language)

    @property
    def received_name(self) -> str:
        if not self.received:
            return _("Nothing sent")
        name = language_name(self.received)
        return _("%(language)s (machine translation)") % {"language": name} if self.machine else name

    @property
    def own_language(self) -> bool:
        return bool(self.received) and same_language(self.received, self.home_language)


def machine_languages(message: Any) -> set[str]:
    return set(MachineContent.objects.filter(content__message=message).values_list("content__language", flat=True))


def received_label(content_language: str, machine: set[str]) -> str:
    name = language_name(content_language)
    return _("%(language)s (machine translation)") % {"language": name} if content_language in machine else name


def _families(rows: Any) -> Any:
    return rows.annotate(households=Count("guardian__household_id", distinct=True),
                         singles=Count("guardian_id", distinct=True, filter=Q(guardian__household_id=None)))


def by_home_language(message: Any) -> list[ReceivedRow]:
    """Families per (home language, language received); families none of whose deliveries went out are
    counted under "Nothing sent". Counted in the database, so a district-wide message costs two queries."""
    from homeroom.messaging.models import Delivery

    machine = machine_languages(message)
    deliveries = Delivery.objects.filter(message=message)
    # Guardians' codes vary ('en', 'en-US', 'eng'): each is mapped to its language before grouping, so a language
    # is one row and a family with two spellings of it is counted once (one more query, over the few codes).
    codes = set(deliveries.values_list("language", "content_language").distinct().order_by())
    home = language_key_expression("language", {code for code, _got in codes})
    got = language_key_expression("content_language", {got for _code, got in codes})
    machine = {language_key(code) for code in machine}
    received: dict[tuple[str, str], int] = {}
    went_out = deliveries.exclude(state__in=NOT_SENT).annotate(home=home, got=got)
    for row in _families(went_out.values("home", "got").order_by()):
        received[(row["home"], row["got"])] = row["households"] + row["singles"]
    reached_ids = deliveries.exclude(state__in=NOT_SENT).values("guardian_id")
    for row in _families(deliveries.exclude(guardian_id__in=reached_ids).annotate(home=home).values("home")
                         .order_by()):
        received[(row["home"], "")] = row["households"] + row["singles"]
    rows = [ReceivedRow(home, got, got in machine, n) for (home, got), n in received.items()]
    rows.sort(key=lambda r: (r.home_language, not r.own_language, r.received))
    return rows


@dataclass
class FallbackRecipient:
    guardian_id: int
    name: str
    home_language: str
    received: str

    @property
    def home_name(self) -> str:
        return language_name(self.home_language)

    @property
    def received_name(self) -> str:
        return language_name(self.received)


def fallback_recipients(message: Any, *, limit: int = 500) -> list[FallbackRecipient]:
    """Family members who were sent another language than their own (urgent messages go out before anyone can
    write or translate the text; the list says who to follow up with)."""
    from homeroom.messaging.models import Delivery
    from homeroom.roster.models import Guardian

    # Three narrow columns first (a district-wide message has tens of thousands of such deliveries), the names of
    # the few hundred listed after: joining every delivery to its guardian cost 0.3-0.6 s at 100,000 students.
    chosen: dict[int, tuple[str, str]] = {}
    rows = (
        Delivery.objects.filter(message=message).exclude(state__in=NOT_SENT)
        .exclude(content_language=F("language"))
        .order_by("guardian_id", "id").values_list("guardian_id", "language", "content_language")
    )
    for guardian_id, language, content_language in rows.iterator(chunk_size=2000):
        if guardian_id in chosen or same_language(language, content_language):
            continue
        chosen[guardian_id] = (language, content_language)
        if len(chosen) >= limit:
            break
    names = Guardian.objects.in_bulk(list(chosen))
    return [FallbackRecipient(pk, str(names[pk]), language, received)
            for pk, (language, received) in chosen.items() if pk in names]


def acknowledgements(message: Any) -> list[FallbackAcknowledgement]:
    return list(FallbackAcknowledgement.objects.filter(message=message).select_related("acknowledged_by__staff"))


def report_context(message: Any, *, figures: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the message report page shows about languages (messaging's report view adds it). `figures` holds
    the home-language rows and the fallback list when the report has them counted already (its cache); the
    acknowledgements are always read afresh."""
    figures = figures or {}
    return {
        "home_languages": figures["home_languages"] if "home_languages" in figures else by_home_language(message),
        "fallback_recipients": (figures["fallback_recipients"] if "fallback_recipients" in figures
                                else fallback_recipients(message)),
        "fallback_acks": acknowledgements(message),
    }
