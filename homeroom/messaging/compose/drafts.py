"""Drafts and the writing aids around them: a draft back in the form, the text counters, the call script, and the
signed start keys that "Message this class" posts to compose."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core import signing

from homeroom.messaging.compose.audiences import MIXED
from homeroom.messaging.compose.picker import FAMILY_TOKEN_KEY
from homeroom.messaging.compose.sms_segments import SegmentCount, count_segments
from homeroom.messaging.family_link import compose_token
from homeroom.messaging.models import AudienceKind, Message, MessageContent
from homeroom.messaging.rendering import render
from homeroom.roster.contact_status import language_name

__all__ = ["FAMILY_TOKEN_KEY", "call_script", "draft_initial", "sms_counter", "start_key", "start_key_open",
           "text_counters"]

START_SALT = "homeroom.messaging.start"
START_MAX_AGE = 60 * 60 * 24


def start_key(key: str) -> str:
    """A picker key ("section:12", "caseload") signed for a "Message this class" button."""
    return signing.dumps(key, salt=START_SALT)


def start_key_open(token: str) -> str:
    try:
        value = signing.loads(token, salt=START_SALT, max_age=START_MAX_AGE)
    except signing.BadSignature:
        return ""
    return value if isinstance(value, str) else ""


def _picks(audience: dict[str, Any]) -> list[str]:
    """The picker keys that describe a stored audience (the reverse of picker.audience_for)."""
    parts = audience.get("parts", []) if audience.get("kind") == MIXED else [audience]
    keys: list[str] = []
    for part in parts:
        kind = part.get("kind")
        if kind == AudienceKind.DISTRICT:
            keys.append("district")
        elif kind == AudienceKind.CASELOAD:
            keys.append("caseload")
        elif kind == AudienceKind.FAMILY:
            keys += [f"family:{pk}" for pk in part.get("students", [])]
        elif kind == AudienceKind.SECTIONS:
            keys += [f"section:{pk}" for pk in part.get("sections", [])]
        elif kind == AudienceKind.LIST:
            keys += [f"list:{pk}" for pk in part.get("lists", [])]
        elif kind == AudienceKind.SCHOOLS:
            keys += [f"school:{pk}" for pk in part.get("schools", [])]
        elif kind == AudienceKind.GRADES:
            keys += [f"grade:{school}:{grade}" for school in part.get("schools", [])
                     for grade in part.get("grades", [])]
    return keys


def draft_initial(message: Message, *, zone: ZoneInfo) -> dict[str, Any]:
    """The compose form's values for a saved draft."""
    audience = message.audience or {}
    initial: dict[str, Any] = {
        "category": message.category, "callback_name": message.callback_name,
        "callback_phone": message.callback_phone, "pick": _picks(audience),
        "scheduled_for": message.scheduled_for.astimezone(zone).replace(tzinfo=None) if message.scheduled_for else None,
    }
    if audience.get("kind") == AudienceKind.FAMILY and len(audience.get("students", [])) > 1:
        # A household opened from its page: one chip for the family, as it was chosen.
        initial.update(pick=[], audience_kind=AudienceKind.FAMILY, family=compose_token(audience["students"]))
    # What staff wrote; machine translations are made again from the edited text at the next preview.
    written = list(message.contents.filter(auto_translation__isnull=True).order_by("language"))
    others = [c for c in written if c.language not in ("en", "es")]
    for content in written:
        prefix = content.language if content.language in ("en", "es") else (
            "other" if content is others[0] else "")
        if prefix:
            initial[f"subject_{prefix}"], initial[f"body_{prefix}"] = content.subject, content.body
    if others:
        initial["other_language"] = others[0].language
    return initial


@dataclass(frozen=True)
class TextCounter:
    language: str
    name: str
    count: SegmentCount


def sms_counter(message: Message, content: MessageContent) -> TextCounter:
    """The counter for the text exactly as a family reading this language gets it (subject, call-back line)."""
    text = render(message, content, "sms", content.language).text
    return TextCounter(content.language, language_name(content.language), count_segments(text))


def call_script(message: Message, content: MessageContent) -> str:
    """What the call says in this language (it is said twice)."""
    return render(message, content, "voice", content.language).text


def text_counters(data: Any) -> list[TextCounter]:
    """Counters for what is written so far in the compose form (its data or initial), one per language version."""
    message = Message(callback_name=data.get("callback_name") or "", callback_phone=data.get("callback_phone") or "",
                      category=data.get("category") or "news")
    result = []
    for prefix in ("en", "es", "other"):
        language = prefix if prefix != "other" else (data.get("other_language") or "").strip().lower()
        body = (data.get(f"body_{prefix}") or "").strip()
        if language and body:
            content = MessageContent(language=language, subject=(data.get(f"subject_{prefix}") or "").strip(),
                                     body=body)
            result.append(sms_counter(message, content))
    return result
