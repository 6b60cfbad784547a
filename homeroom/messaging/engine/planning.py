"""Planning: a message becomes one Delivery per guardian × channel, by consent, opt-outs, custody and quiet hours.

Whether a guardian can be reached on a channel is roster.reachability's answer; the category's rule comes
from policy (data), the custody rule from core.scoping.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.utils import timezone

from homeroom.access import scoping
from homeroom.access.i18n import interface_language
from homeroom.messaging import policy
from homeroom.messaging.compose.audiences import audience_students
from homeroom.messaging.models import DeliveryState, Message, SkipReason
from homeroom.roster import reachability
from homeroom.roster.models import StudentGuardian

# The reachability columns first (roster.reachability.check reads them by position), then planning's own.
GUARDIAN_FIELDS = (
    *(f"guardian__{name}" for name in reachability.FIELDS),
    "guardian_id",
    "student_id",
    "guardian__household_id",
    "guardian__language",
    "guardian__channel_order",
)
KNOWN_CHANNELS = ("sms", "email", "voice", "portal")
_GUARDIAN, _STUDENT, _HOUSEHOLD, _LANGUAGE, _ORDER = range(len(reachability.FIELDS), len(GUARDIAN_FIELDS))
_NONE, _NO_ADDRESS, _NO_CHANNEL = SkipReason.NONE.value, SkipReason.NO_ADDRESS.value, SkipReason.NO_CHANNEL.value
_SKIPPED = DeliveryState.SKIPPED.value

# One planned delivery, in the column order the bulk insert writes (message id and timestamps are added there).
Row = tuple[int, str, str, str, str, str, str, str, str, int, "dt.datetime | None"]


class PlannedDelivery(NamedTuple):
    """A planned delivery as callers read it (the preview, tests); the send path keeps plain tuples."""

    guardian_id: int
    channel: str
    address: str
    language: str
    content_language: str
    student_ids_json: str
    state: str
    reason: str
    idempotency_key: str
    batch: int
    not_before: dt.datetime | None

    @property
    def student_ids(self) -> list[int]:
        ids: list[int] = json.loads(self.student_ids_json)
        return ids


@dataclass
class Plan:
    rows: list[Row]
    by_language: Counter[str] = field(default_factory=Counter)
    by_channel: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    guardians: int = 0
    batches: int = 0  # sendable rows are numbered into batches 0 .. batches - 1

    @property
    def sendable(self) -> int:
        return sum(self.by_channel.values())

    @property
    def deliveries(self) -> list[PlannedDelivery]:
        return [PlannedDelivery(*row) for row in self.rows]


def _content_language(guardian_language: str, available: set[str], fallback: str) -> str:
    if guardian_language in available:
        return guardian_language
    mapped = interface_language(guardian_language, available)  # es-MX → es, pt → pt-br, hat → ht
    if mapped:
        return mapped
    if fallback in available:
        return fallback
    return "en" if "en" in available else sorted(available)[0]


def _audience_rows(user: Any, audience: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Every (guardian × student) link the message reaches, as raw GUARDIAN_FIELDS tuples.

    Read straight from the cursor: planning only tests timestamps for presence and decodes the few distinct
    channel orders itself, so the ORM's per-value converters (most of the cost at 150,000 rows) are skipped.
    """
    students = audience_students(user, audience)
    # The custody rule (core.scoping): only links that grant family access bring a guardian in.
    links = StudentGuardian.objects.filter(
        scoping.family_access(), student__in=students, guardian__is_active=True
    ).values_list(*GUARDIAN_FIELDS)
    try:
        sql, params = links.query.get_compiler(using=links.db).as_sql()
    except EmptyResultSet:
        return []
    with connections[links.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _channel_orders() -> Any:
    """Decodes a stored channel order once per distinct value (a district has a handful)."""
    cache: dict[Any, tuple[str, ...]] = {}

    def order_of(raw: Any) -> tuple[str, ...]:
        key = raw if isinstance(raw, str) or raw is None else json.dumps(raw)
        order = cache.get(key)
        if order is None:
            value = json.loads(raw) if isinstance(raw, str) else raw
            order = tuple(c for c in (value or KNOWN_CHANNELS) if c in KNOWN_CHANNELS)
            cache[key] = order
        return order

    return order_of


def plan_message(
    message: Message,
    *,
    user: Any,
    now: dt.datetime | None = None,
    batch_size: int = 500,
    sendable_state: str = DeliveryState.PLANNED,
) -> Plan:
    """Work out every delivery for `message` as sent by `user`; nothing is written.

    `sendable_state` is the state given to deliveries that will be sent (dispatch writes them straight as
    queued, in the same transaction, instead of updating every row afterwards).
    """
    now = now or timezone.now()
    district = message.district
    rule = policy.CATEGORY_RULES[message.category]
    consent, max_channels = rule.consent, rule.max_channels
    kind = message.audience.get("kind", "")
    per_guardian = policy.is_child_specific(message.category, kind)
    available = set(message.contents.values_list("language", flat=True))
    fallback = district.fallback_language
    quiet_end = (
        policy.quiet_until(
            now, time_zone=district.time_zone, start=district.quiet_hours_start, end=district.quiet_hours_end
        )
        if rule.quiet_hours
        else None
    )
    phone_channels = policy.PHONE_CHANNELS if quiet_end else set()
    guardians: dict[int, tuple[Any, ...]] = {}
    children: dict[int, list[int]] = {}
    for link in _audience_rows(user, message.audience):
        guardian_id = link[_GUARDIAN]
        if guardian_id in guardians:
            children[guardian_id].append(link[_STUDENT])
        else:
            guardians[guardian_id] = link
            children[guardian_id] = [link[_STUDENT]]
    check = reachability.check
    suppressed = reachability.suppressed_addresses()
    choices = reachability.choices_for(message.category, district_id=district.pk)
    no_choices = reachability.NO_CHOICES
    order_of = _channel_orders()
    content_for: dict[str, str] = {}
    state = str(sendable_state)

    rows: list[Row] = []
    append = rows.append
    skipped: Counter[str] = Counter()
    by_channel: Counter[str] = Counter()
    by_language: Counter[str] = Counter()
    seen_addresses: set[tuple[Any, str, str]] = set()
    sendable = 0
    prefix = f"m{message.pk}-g"
    for guardian_id in sorted(guardians):
        row = guardians[guardian_id]
        language = row[_LANGUAGE] or fallback
        content_language = content_for.get(language)
        if content_language is None:
            content_language = content_for[language] = _content_language(language, available, fallback)
        kids = children[guardian_id]
        student_ids = f"[{kids[0]}]" if len(kids) == 1 else json.dumps(sorted(kids))
        order = order_of(row[_ORDER])
        household = row[_HOUSEHOLD]
        guardian_choices = choices.get(guardian_id, no_choices)
        used = made = 0
        first_reason = ""
        for channel in order:
            if used >= max_channels:
                break
            address, reason = check(row, channel, consent, suppressed, guardian_choices)
            if not reason and not per_guardian and household and address:
                dedupe_key = (household, channel, address)
                if dedupe_key in seen_addresses:
                    used += 1  # someone in the household already gets it at this address
                    continue
                seen_addresses.add(dedupe_key)
            if reason == _NO_ADDRESS:
                first_reason = first_reason or reason
                continue
            made += 1
            key = f"{prefix}{guardian_id}-{channel}"
            if reason:
                append((guardian_id, channel, address, language, content_language, student_ids, _SKIPPED, reason,
                        key, 0, None))
                skipped[reason] += 1
                first_reason = first_reason or reason
            else:
                used += 1
                append((guardian_id, channel, address, language, content_language, student_ids, state, _NONE, key,
                        sendable // batch_size, quiet_end if channel in phone_channels else None))
                sendable += 1
                by_channel[channel] += 1
                by_language[content_language] += 1
        if used == 0 and not made:
            reason = first_reason or _NO_CHANNEL
            skipped[reason] += 1
            append((guardian_id, order[0] if order else "portal", "", language, content_language, student_ids,
                    _SKIPPED, reason, f"{prefix}{guardian_id}-none", 0, None))
    return Plan(
        rows=rows,
        by_language=by_language,
        by_channel=by_channel,
        skipped=skipped,
        guardians=len(guardians),
        batches=-(-sendable // batch_size),
    )
