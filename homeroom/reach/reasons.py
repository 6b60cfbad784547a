"""Why a family was not reached, and what to try next: rules over the summary row and the roster's reachability."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from homeroom.access import scoping
from homeroom.contacts.models import Method
from homeroom.reach.models import FamilyReach
from homeroom.roster import reachability
from homeroom.roster.models import Guardian, StudentGuardian

OPTED_OUT = "opted_out"
NO_CHANNEL = "no_channel"
NO_ATTEMPT = "no_attempt"
ENGLISH_ONLY = "english_only"
NOT_OPENED = "not_opened"

REASONS: dict[str, Any] = {
    NO_CHANNEL: _("No working channel"),
    OPTED_OUT: _("Opted out of everything"),
    ENGLISH_ONLY: _("Only English was sent to a family that reads another language"),
    NO_ATTEMPT: _("No contact attempted"),
    NOT_OPENED: _("Messages not opened or not delivered"),
}

CALL = "call"
INTERPRETER_CALL = "interpreter_call"
HOME_VISIT = "home_visit"
LETTER = "letter"
OTHER_GUARDIAN = "other_guardian"

TRIES: dict[str, Any] = {
    CALL: _("A call"),
    INTERPRETER_CALL: _("A call in their language with an interpreter"),
    HOME_VISIT: _("A home visit"),
    LETTER: _("A paper letter home"),
    OTHER_GUARDIAN: _("Another guardian with rights"),
}
# The contact log's method each suggestion opens the form with.
TRY_METHOD = {CALL: Method.PHONE, INTERPRETER_CALL: Method.INTERPRETER, HOME_VISIT: Method.HOME_VISIT,
              LETTER: Method.LETTER, OTHER_GUARDIAN: Method.PHONE}
CHANNELS = ("sms", "voice", "email", "portal")


def english(language: str) -> bool:
    return not language or language.lower().split("-")[0] == "en"


@dataclass
class Try:
    code: str
    guardian_id: int | None

    @property
    def label(self) -> Any:
        return TRIES[self.code]

    @property
    def method(self) -> str:
        return str(TRY_METHOD[self.code])


@dataclass
class GuardianFacts:
    guardian: Guardian
    working: list[str]  # channels that may be used
    opted_out: list[str]
    contacted: bool = False


@dataclass
class NotReached:
    """One family on the not-reached list."""

    row: FamilyReach
    guardians: list[GuardianFacts]
    reason: str
    tries: list[Try] = field(default_factory=list)

    @property
    def reason_label(self) -> Any:
        return REASONS[self.reason]

    @property
    def first_guardian_id(self) -> int | None:
        return self.guardians[0].guardian.pk if self.guardians else None


def guardian_facts(student_ids: Iterable[int]) -> dict[int, list[GuardianFacts]]:
    """student id → the guardians with rights (custody rule), each with the channels that work and those refused."""
    by_student: dict[int, list[GuardianFacts]] = defaultdict(list)
    links = list(StudentGuardian.objects.filter(
        scoping.family_access(), student_id__in=list(student_ids), guardian__is_active=True,
    ).select_related("guardian").order_by("student_id", "-is_primary", "id"))
    suppressed = reachability.suppressed_addresses([link.guardian.email for link in links if link.guardian.email])
    for link in links:
        row = reachability.facts_of(link.guardian)
        working, refused = [], []
        for channel in CHANNELS:
            _address, why = reachability.check(row, channel, reachability.Consent.MISSION, suppressed)
            if why == reachability.REACHABLE:
                working.append(channel)
            elif why == reachability.OPTED_OUT:
                refused.append(channel)
        by_student[link.student_id].append(GuardianFacts(link.guardian, working, refused))
    return by_student


def reason_for(row: FamilyReach, guardians: list[GuardianFacts], *, since: dt.datetime) -> str:
    """The first that applies: no working channel (opted out of everything when every guardian refused at least one
    channel and none works), no contact attempted, only English to a non-English family, not opened."""
    if not any(g.working for g in guardians):
        if guardians and all(g.opted_out for g in guardians):
            return OPTED_OUT
        return NO_CHANNEL
    if row.last_attempt_at is None or row.last_attempt_at < since:
        return NO_ATTEMPT
    if not english(row.language) and (row.last_in_language_at is None or row.last_in_language_at < since):
        return ENGLISH_ONLY
    return NOT_OPENED


def tries_for(row: FamilyReach, reason: str, guardians: list[GuardianFacts]) -> list[Try]:
    first = guardians[0].guardian.pk if guardians else None
    call = INTERPRETER_CALL if not english(row.language) else CALL
    tries: list[Try] = []
    if reason in (OPTED_OUT, NO_CHANNEL):
        tries += [Try(HOME_VISIT, first), Try(LETTER, first)]
        if reason == OPTED_OUT:
            tries.insert(0, Try(call, first))
    elif reason in (ENGLISH_ONLY, NO_ATTEMPT):
        tries += [Try(call, first), Try(LETTER, first)]
    else:
        tries += [Try(call, first), Try(HOME_VISIT, first)]
    # Another guardian with rights who has a channel that works, besides the first.
    for other in guardians[1:]:
        if other.working:
            tries.append(Try(OTHER_GUARDIAN, other.guardian.pk))
            break
    return tries


def explain(rows: list[FamilyReach], *, since: dt.datetime) -> list[NotReached]:
    facts = guardian_facts([row.student_id for row in rows])
    out = []
    for row in rows:
        guardians = facts.get(row.student_id, [])
        reason = reason_for(row, guardians, since=since)
        out.append(NotReached(row, guardians, reason, tries_for(row, reason, guardians)))
    return out
