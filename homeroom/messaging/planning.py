"""Planning: a message becomes one Delivery per guardian × channel, by consent, opt-outs, custody and quiet hours."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from homeroom.messaging import policy
from homeroom.messaging.audiences import audience_students
from homeroom.messaging.models import Delivery, DeliveryState, Message, SkipReason, Suppression
from homeroom.roster.models import StudentGuardian

GUARDIAN_FIELDS = (
    "guardian_id",
    "student_id",
    "guardian__household_id",
    "guardian__language",
    "guardian__email",
    "guardian__mobile_phone",
    "guardian__home_phone",
    "guardian__channel_order",
    "guardian__user_id",
    "guardian__sms_consent_at",
    "guardian__voice_consent_at",
    "guardian__sms_opted_out_at",
    "guardian__voice_opted_out_at",
    "guardian__email_opted_out_at",
    "guardian__email_bad_at",
    "guardian__mobile_phone_bad_at",
    "guardian__home_phone_bad_at",
)
KNOWN_CHANNELS = ("sms", "email", "voice", "portal")


@dataclass
class Plan:
    deliveries: list[Delivery]
    by_language: Counter[str] = field(default_factory=Counter)
    by_channel: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    guardians: int = 0

    @property
    def sendable(self) -> int:
        return sum(self.by_channel.values())


def _channel_check(row: dict[str, Any], channel: str, consent: str, suppressed: set[str]) -> tuple[str, str]:
    """(address, skip reason) for one guardian and channel; an empty reason means the channel may be used."""
    if channel == "email":
        address = (row["guardian__email"] or "").strip().lower()
        if not address:
            return "", SkipReason.NO_ADDRESS
        if row["guardian__email_bad_at"]:
            return address, SkipReason.BAD_ADDRESS
        if address in suppressed:
            return address, SkipReason.SUPPRESSED
        if row["guardian__email_opted_out_at"] and consent != policy.Consent.EMERGENCY:
            return address, SkipReason.OPTED_OUT
        return address, SkipReason.NONE
    if channel == "portal":
        return ("", SkipReason.NONE) if row["guardian__user_id"] else ("", SkipReason.NO_ADDRESS)
    if channel == "sms":
        address, bad = row["guardian__mobile_phone"], row["guardian__mobile_phone_bad_at"]
    else:
        # Calls go to the home phone when there is a good one, else the mobile.
        if row["guardian__home_phone"] and not row["guardian__home_phone_bad_at"]:
            address, bad = row["guardian__home_phone"], None
        else:
            address, bad = row["guardian__mobile_phone"], row["guardian__mobile_phone_bad_at"]
    if not address:
        return "", SkipReason.NO_ADDRESS
    if bad:
        return address, SkipReason.BAD_ADDRESS
    if consent == policy.Consent.EMERGENCY:
        return address, SkipReason.NONE
    if row[f"guardian__{channel}_opted_out_at"]:
        return address, SkipReason.OPTED_OUT
    if consent == policy.Consent.EXPLICIT and not row[f"guardian__{channel}_consent_at"]:
        return address, SkipReason.NO_CONSENT
    return address, SkipReason.NONE


def _content_language(guardian_language: str, available: set[str], fallback: str) -> str:
    if guardian_language in available:
        return guardian_language
    base = guardian_language.split("-")[0]
    if base in available:
        return base
    if fallback in available:
        return fallback
    return "en" if "en" in available else sorted(available)[0]


def plan_message(message: Message, *, user: Any, now: dt.datetime | None = None, batch_size: int = 500) -> Plan:
    """Work out every delivery (unsaved) for `message` as sent by `user`; nothing is written."""
    now = now or timezone.now()
    district = message.district
    rule = policy.CATEGORY_RULES[message.category]
    kind = message.audience.get("kind", "")
    per_guardian = policy.is_child_specific(message.category, kind)
    available = set(message.contents.values_list("language", flat=True))
    quiet_end = (
        policy.quiet_until(
            now, time_zone=district.time_zone, start=district.quiet_hours_start, end=district.quiet_hours_end
        )
        if rule.quiet_hours
        else None
    )
    students = audience_students(user, message.audience)
    # The custody rule lives here: only links that grant family access bring a guardian in.
    links = StudentGuardian.objects.filter(
        student__in=students,
        is_active=True,
        has_educational_rights=True,
        may_receive_information=True,
        guardian__is_active=True,
    ).values(*GUARDIAN_FIELDS)
    guardians: dict[int, dict[str, Any]] = {}
    children: dict[int, list[int]] = defaultdict(list)
    for row in links.iterator(chunk_size=5000):
        guardians.setdefault(row["guardian_id"], row)
        children[row["guardian_id"]].append(row["student_id"])
    suppressed = set(Suppression.objects.values_list("address", flat=True))

    plan = Plan(deliveries=[], guardians=len(guardians))
    seen_addresses: set[tuple[Any, str, str]] = set()
    sendable = 0
    for guardian_id in sorted(guardians):
        row = guardians[guardian_id]
        language = row["guardian__language"] or district.fallback_language
        content_language = _content_language(language, available, district.fallback_language)
        order = [c for c in (row["guardian__channel_order"] or KNOWN_CHANNELS) if c in KNOWN_CHANNELS]
        used = 0
        first_reason = ""
        made: list[Delivery] = []
        for channel in order:
            if used >= rule.max_channels:
                break
            address, reason = _channel_check(row, channel, rule.consent, suppressed)
            household = row["guardian__household_id"]
            if not reason and not per_guardian and household and address:
                dedupe_key = (household, channel, address)
                if dedupe_key in seen_addresses:
                    used += 1  # someone in the household already gets it at this address
                    continue
                seen_addresses.add(dedupe_key)
            if reason == SkipReason.NO_ADDRESS:
                first_reason = first_reason or reason
                continue
            delivery = Delivery(
                message_id=message.pk,
                guardian_id=guardian_id,
                channel=channel,
                address=address,
                language=language,
                content_language=content_language,
                student_ids=sorted(children[guardian_id]),
                idempotency_key=f"m{message.pk}-g{guardian_id}-{channel}",
            )
            if reason:
                delivery.state, delivery.reason = DeliveryState.SKIPPED, reason
                plan.skipped[reason] += 1
                first_reason = first_reason or reason
            else:
                used += 1
                delivery.batch = sendable // batch_size
                sendable += 1
                if quiet_end and channel in policy.PHONE_CHANNELS:
                    delivery.not_before = quiet_end
                plan.by_channel[channel] += 1
                plan.by_language[content_language] += 1
            made.append(delivery)
        if used == 0 and not made:
            plan.skipped[first_reason or SkipReason.NO_CHANNEL] += 1
            made.append(
                Delivery(
                    message_id=message.pk,
                    guardian_id=guardian_id,
                    channel=order[0] if order else "portal",
                    language=language,
                    content_language=content_language,
                    student_ids=sorted(children[guardian_id]),
                    idempotency_key=f"m{message.pk}-g{guardian_id}-none",
                    state=DeliveryState.SKIPPED,
                    reason=first_reason or SkipReason.NO_CHANNEL,
                )
            )
        plan.deliveries.extend(made)
    return plan
