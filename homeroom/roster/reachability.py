"""Whether a guardian can be reached: addresses, bad marks, the suppression list, consent and opt-outs.

Everything that asks "can this guardian be reached on this channel for this category?" asks here: message
planning, fallback and call retries (messaging), the staff contact-status panel (roster), the portal's
preferences page and the contact log. The law by category (FCC 2016, Connecticut) stays data in
messaging.policy, which hands its consent rule for a category to `check`.

Consent, its absence and an opt-out are three states (ConsentState). They are kept per channel × category
(ConsentChoice) on top of two channel-wide facts: an opt-out (a STOP text: `<channel>_opted_out_at`) and a
channel-wide consent (`<channel>_consent_at`, e.g. from the SIS). Every change is a ConsentChange row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from homeroom.core.phone import to_e164 as to_e164  # the one E.164 normaliser, for the apps above the roster
from homeroom.roster.models import (
    CHOOSABLE_CATEGORIES,
    Channel,
    ConsentChange,
    ConsentChoice,
    ConsentState,
    ConsentVia,
    Guardian,
    Suppression,
)


class Consent:
    """What a category needs before a call or text (messaging.policy assigns one to each category)."""

    EMERGENCY = "emergency"  # no prior consent needed; opt-outs do not apply
    MISSION = "mission"  # numbers the family gave the school; every opt-out honoured
    EXPLICIT = "explicit"  # only with a recorded consent


# Why a guardian cannot be reached on a channel; the same strings as messaging's SkipReason.
REACHABLE = ""
OPTED_OUT = "opted_out"
NO_CONSENT = "no_consent"
NO_ADDRESS = "no_address"
BAD_ADDRESS = "bad_address"
SUPPRESSED = "suppressed"

CONSENT_CHANNELS = (Channel.SMS.value, Channel.VOICE.value, Channel.EMAIL.value)  # the portal needs none
NEEDS_EXPLICIT_CONSENT = {Channel.SMS.value, Channel.VOICE.value}  # the law asks it of calls and texts only
GIVEN, REFUSED, NONE = ConsentState.GIVEN.value, ConsentState.REFUSED.value, ConsentState.NONE.value

# The guardian columns `check` reads, in this order (planning reads them straight from the cursor).
FIELDS = (
    "email", "mobile_phone", "home_phone", "user_id",
    "sms_consent_at", "voice_consent_at", "sms_opted_out_at", "voice_opted_out_at", "email_opted_out_at",
    "email_bad_at", "email_bad_value", "mobile_phone_bad_at", "mobile_phone_bad_value",
    "home_phone_bad_at", "home_phone_bad_value",
)
(_EMAIL, _MOBILE, _HOME, _USER, _SMS_CONSENT, _VOICE_CONSENT, _SMS_OUT, _VOICE_OUT, _EMAIL_OUT, _EMAIL_BAD,
 _EMAIL_BAD_VALUE, _MOBILE_BAD, _MOBILE_BAD_VALUE, _HOME_BAD, _HOME_BAD_VALUE) = range(len(FIELDS))
_OPT_OUT = {"sms": _SMS_OUT, "voice": _VOICE_OUT, "email": _EMAIL_OUT}
_CONSENT = {"sms": _SMS_CONSENT, "voice": _VOICE_CONSENT}
# Address field → (mark time, marked address) columns.
MARKS = {
    "email": ("email_bad_at", "email_bad_value"),
    "mobile_phone": ("mobile_phone_bad_at", "mobile_phone_bad_value"),
    "home_phone": ("home_phone_bad_at", "home_phone_bad_value"),
}
NO_CHOICES: Mapping[str, bool] = {}


def _email_key(address: str) -> str:
    return (address or "").strip().lower()


# --- Facts about one guardian -------------------------------------------------------------------------------


def facts_of(guardian: Guardian) -> tuple[Any, ...]:
    """A guardian instance as the tuple `check` reads."""
    return tuple(getattr(guardian, name) for name in FIELDS)


def facts_for(guardian_id: int) -> tuple[Any, ...] | None:
    return Guardian.objects.filter(pk=guardian_id).values_list(*FIELDS).first()


def _marked(value: str, marked_at: Any, marked_value: str) -> bool:
    """A mark applies only to the address it was recorded for: a corrected address starts clean."""
    return bool(value and marked_at and marked_value == value)


def _email_marked(row: tuple[Any, ...]) -> bool:
    return bool(row[_EMAIL_BAD] and row[_EMAIL_BAD_VALUE] and _email_key(row[_EMAIL_BAD_VALUE]) ==
                _email_key(row[_EMAIL]))


def call_number(row: tuple[Any, ...]) -> tuple[str, bool]:
    """(number, marked bad) a call goes to: the home phone when there is a good one, else the mobile."""
    home = row[_HOME]
    if home and not _marked(home, row[_HOME_BAD], row[_HOME_BAD_VALUE]):
        return home, False
    mobile = row[_MOBILE]
    if mobile:
        return mobile, _marked(mobile, row[_MOBILE_BAD], row[_MOBILE_BAD_VALUE])
    return home, bool(home)


def consent_state(row: tuple[Any, ...], channel: str, choice: bool | None = None) -> str:
    """GIVEN, REFUSED or NONE on `channel` for a category whose ConsentChoice (if any) is `choice`.

    A channel-wide opt-out (STOP) outweighs every category; a family's own choice for a category outweighs
    a channel-wide consent from the SIS.
    """
    out = _OPT_OUT.get(channel)
    if out is not None and row[out]:
        return REFUSED
    if choice is not None:
        return GIVEN if choice else REFUSED
    consent = _CONSENT.get(channel)
    return GIVEN if consent is not None and row[consent] else NONE


def check(row: tuple[Any, ...], channel: str, rule: str, suppressed: set[str] | frozenset[str],
          choices: Mapping[str, bool] = NO_CHOICES) -> tuple[str, str]:
    """(address, reason) for one guardian on one channel; an empty reason means the channel may be used.

    `rule` is the category's Consent rule; `choices` maps channel → the family's choice for that category;
    `suppressed` holds the (lower-case) email addresses on the suppression list.
    """
    if channel == "email":
        address = _email_key(row[_EMAIL])
        if not address:
            return "", NO_ADDRESS
        if _email_marked(row):
            return address, BAD_ADDRESS
        if address in suppressed:
            return address, SUPPRESSED
        if rule != Consent.EMERGENCY and consent_state(row, channel, choices.get(channel)) == REFUSED:
            return address, OPTED_OUT
        return address, REACHABLE
    if channel == "portal":
        return ("", REACHABLE) if row[_USER] else ("", NO_ADDRESS)
    if channel == "sms":
        address = row[_MOBILE]
        bad = _marked(address, row[_MOBILE_BAD], row[_MOBILE_BAD_VALUE])
    else:
        address, bad = call_number(row)
    if not address:
        return "", NO_ADDRESS
    if bad:
        return address, BAD_ADDRESS
    if rule == Consent.EMERGENCY:
        return address, REACHABLE
    state = consent_state(row, channel, choices.get(channel))
    if state == REFUSED:
        return address, OPTED_OUT
    if rule == Consent.EXPLICIT and state != GIVEN:
        return address, NO_CONSENT
    return address, REACHABLE


def suppressed_addresses(emails: Iterable[str] | None = None) -> set[str]:
    """The suppression list (all of it, or as far as it holds `emails`)."""
    rows = Suppression.objects.all()
    if emails is not None:
        rows = rows.filter(address__in=[_email_key(e) for e in emails if e])
    return set(rows.values_list("address", flat=True))


def choices_for(category: str, *, guardian_ids: Iterable[int] | None = None,
                district_id: int | None = None) -> dict[int, dict[str, bool]]:
    """guardian id → {channel: given} for one category."""
    rows = ConsentChoice.objects.filter(category=category)
    if guardian_ids is not None:
        rows = rows.filter(guardian_id__in=list(guardian_ids))
    if district_id is not None:
        rows = rows.filter(guardian__district_id=district_id)
    found: dict[int, dict[str, bool]] = {}
    for guardian_id, channel, given in rows.values_list("guardian_id", "channel", "given"):
        found.setdefault(guardian_id, {})[channel] = given
    return found


@dataclass(frozen=True)
class Reach:
    address: str
    reason: str  # REACHABLE ("") or why not

    @property
    def ok(self) -> bool:
        return not self.reason


def can_reach(*, guardian_id: int, channel: str, category: str, rule: str) -> Reach:
    """The single check for one guardian: can they be reached on `channel` for a message of `category`?"""
    row = facts_for(guardian_id)
    if row is None:
        return Reach("", NO_ADDRESS)
    choices = choices_for(category, guardian_ids=[guardian_id]).get(guardian_id, NO_CHOICES)
    suppressed = suppressed_addresses([row[_EMAIL]]) if channel == "email" else set()
    return Reach(*check(row, channel, rule, suppressed, choices))


# --- Bad marks --------------------------------------------------------------------------------------------


def mark_bad(*, guardian_ids: Iterable[int], channel: str, address: str, now: dt.datetime | None = None) -> int:
    """A provider said `address` does not work: mark it on these guardians, for that address only."""
    now = now or timezone.now()
    guardians = Guardian.objects.filter(pk__in=list(guardian_ids))
    if not address:
        return 0
    if channel == "email":
        return guardians.filter(email__iexact=address.strip()).update(
            email_bad_at=now, email_bad_value=_email_key(address))
    fields = ["mobile_phone"] if channel == "sms" else ["home_phone", "mobile_phone"]
    changed = 0
    for field in fields:
        marked_at, marked_value = MARKS[field]
        changed += guardians.filter(**{field: address}).update(**{marked_at: now, marked_value: address})
    return changed


def mark_field_bad(guardian: Guardian, field: str, *, now: dt.datetime | None = None) -> bool:
    """Mark the address the guardian holds in `field` (a wrong number, returned mail); False if already marked."""
    value = getattr(guardian, field)
    if not value or is_marked(guardian, field):
        return False
    marked_at, marked_value = MARKS[field]
    setattr(guardian, marked_at, now or timezone.now())
    setattr(guardian, marked_value, _email_key(value) if field == "email" else value)
    guardian.save(update_fields=[marked_at, marked_value, "updated_at"])
    return True


def is_marked(guardian: Guardian, field: str) -> bool:
    marked_at, marked_value = MARKS[field]
    value = getattr(guardian, field)
    if field == "email":
        return bool(value and getattr(guardian, marked_at) and
                    _email_key(getattr(guardian, marked_value)) == _email_key(value))
    return _marked(value, getattr(guardian, marked_at), getattr(guardian, marked_value))


def marked_since(guardian: Guardian, field: str) -> dt.datetime | None:
    """When the address the guardian holds now was marked bad, or None if it is not (or a former one was)."""
    return getattr(guardian, MARKS[field][0]) if is_marked(guardian, field) else None


# --- Consent ----------------------------------------------------------------------------------------------


def consent_states(guardian: Guardian) -> dict[tuple[str, str], str]:
    """(channel, category) → GIVEN / REFUSED / NONE, as the family stands today."""
    row = facts_of(guardian)
    chosen = {(c.channel, c.category): c.given for c in ConsentChoice.objects.filter(guardian=guardian)}
    return {
        (channel, category): consent_state(row, channel, chosen.get((channel, category)))
        for channel in CONSENT_CHANNELS
        for category, _label in CHOOSABLE_CATEGORIES
    }


def reachable_categories(guardian: Guardian, channel: str, rules: Mapping[str, str]) -> list[str]:
    """The categories (of `rules`: category → Consent rule) that would reach the guardian on `channel` today."""
    row = facts_of(guardian)
    chosen = {c.category: c.given for c in ConsentChoice.objects.filter(guardian=guardian, channel=channel)}
    suppressed = suppressed_addresses([guardian.email]) if channel == "email" else set()
    return [category for category, rule in rules.items()
            if not check(row, channel, rule, suppressed, {channel: chosen[category]} if category in chosen
                         else NO_CHOICES)[1]]


def consent_history(guardian: Guardian) -> QuerySet[ConsentChange]:
    return (ConsentChange.objects.filter(guardian=guardian).select_related("by__staff", "by__guardian")
            .order_by("-at", "-id"))


def _channel_state(guardian: Guardian, channel: str) -> str:
    return consent_state(facts_of(guardian), channel)


@transaction.atomic
def consent_record(*, guardian: Guardian, channel: str, category: str, state: str, via: str, by: Any = None,
                   detail: str = "", now: dt.datetime | None = None) -> ConsentChange | None:
    """Record one consent change and its ledger row; None (and nothing written) when nothing changes.

    `category` "" is the whole channel: REFUSED is an opt-out (STOP), NONE lifts it (START) or, from the SIS,
    withdraws its consent; GIVEN is a channel-wide consent (an SIS import never lifts an opt-out with it).
    """
    now = now or timezone.now()
    if channel not in CONSENT_CHANNELS:
        raise ValueError(f"no consent is kept for channel {channel!r}")
    if category:
        previous = consent_states(guardian)[(channel, category)]
        if previous == state:
            return None
        _set_choice(guardian, channel, category, state, now)
    else:
        previous = _channel_state(guardian, channel)
        if not _set_channel(guardian, channel, state, via, now):
            return None
    return ConsentChange.objects.create(guardian=guardian, channel=channel, category=category, state=state,
                                        previous=previous, via=via, by=by if getattr(by, "pk", None) else None,
                                        detail=detail[:120], at=now)


def _set_choice(guardian: Guardian, channel: str, category: str, state: str, now: dt.datetime) -> None:
    out_field = f"{channel}_opted_out_at"
    if state == GIVEN and getattr(guardian, out_field):
        # The family says yes to one category of a channel it had stopped: every other category keeps the
        # "no" the opt-out gave it, written out so that lifting the opt-out changes nothing else.
        for other, _label in CHOOSABLE_CATEGORIES:
            if other != category:
                ConsentChoice.objects.update_or_create(guardian=guardian, channel=channel, category=other,
                                                       defaults={"given": False, "at": now})
        setattr(guardian, out_field, None)
        guardian.save(update_fields=[out_field, "updated_at"])
    if state == NONE:
        ConsentChoice.objects.filter(guardian=guardian, channel=channel, category=category).delete()
    else:
        ConsentChoice.objects.update_or_create(guardian=guardian, channel=channel, category=category,
                                               defaults={"given": state == GIVEN, "at": now})


def _set_channel(guardian: Guardian, channel: str, state: str, via: str, now: dt.datetime) -> bool:
    out_field = f"{channel}_opted_out_at"
    consent_field = f"{channel}_consent_at" if channel in _CONSENT else ""
    changes: dict[str, Any] = {}
    if state == REFUSED:
        if getattr(guardian, out_field) is None:
            changes[out_field] = now
    elif state == NONE:
        if via == ConsentVia.SIS_IMPORT:
            if consent_field and getattr(guardian, consent_field):
                changes[consent_field], changes[f"{channel}_consent_source"] = None, ""
        elif getattr(guardian, out_field) is not None:
            changes[out_field] = None
    elif state == GIVEN:
        if consent_field and not getattr(guardian, consent_field):
            changes[consent_field], changes[f"{channel}_consent_source"] = now, str(via)
        if via != ConsentVia.SIS_IMPORT and getattr(guardian, out_field) is not None:
            changes[out_field] = None
    if not changes:
        return False
    for name, value in changes.items():
        setattr(guardian, name, value)
    guardian.save(update_fields=[*changes, "updated_at"])
    return True


def email_unsubscribed(*, address: str, now: dt.datetime | None = None) -> int:
    """The family used an email's unsubscribe link (reported by the ESP): an opt-out of email, in the ledger."""
    address = _email_key(address)
    if not address:
        return 0
    guardians = Guardian.objects.filter(email__iexact=address, is_active=True)
    return sum(1 for guardian in guardians
               if consent_record(guardian=guardian, channel="email", category="", state=REFUSED,
                                 via=ConsentVia.EMAIL_UNSUBSCRIBE, now=now))
