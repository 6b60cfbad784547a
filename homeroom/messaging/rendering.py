"""Renders a message once per content language × channel × reader language, with the call-back line."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from twilio.twiml.voice_response import VoiceResponse

from homeroom.access.i18n import interface_language
from homeroom.messaging.conversations.attachments import attachment_label
from homeroom.messaging.message_files import family_file_url
from homeroom.messaging.models import Category, Message, MessageContent

SMS_MAX = 1600  # Twilio's limit for one concatenated message


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    twiml: str = ""
    headers: tuple[tuple[str, str], ...] = ()  # email threading headers of an answer (In-Reply-To, References)


def _base(code: str) -> str:
    """The language without its region or script: es-MX and es are one language to a reader."""
    return code.split("-")[0].split("_")[0].strip().lower()


def _ui_language(code: str) -> str | None:
    return interface_language(code)


def render(message: Message, content: MessageContent, channel: str, reader_language: str) -> Rendered:
    lines = [content.body.strip()]
    if files := list(message.attachments or []):  # staff's files, as signed links (compose.staff_attachments)
        with translation.override(content.language):
            if channel == "voice":
                lines += ["", _("This message comes with a file. You can open it from the text or email we sent, "
                                "or on the Homeroom family website.")]
            else:
                lines.append("")
                lines += [_("Attached file: %(name)s %(url)s") % {"name": attachment_label(name),
                                                                  "url": family_file_url(message.pk, index)}
                          for index, name in enumerate(files)]
    if message.callback_phone:  # every message has one, except an answer in a conversation
        with translation.override(content.language):
            lines += ["", _("Questions? Call %(name)s at %(phone)s.") % {
                "name": message.callback_name,
                "phone": message.callback_phone,
            }]
    if _base(reader_language) != _base(content.language):
        # Said in the reader's own language when the interface has it, so they can ask for a translation.
        with translation.override(_ui_language(reader_language) or content.language):
            lines.append(_("A translation of this message can be requested from the school."))
    from homeroom.languages.notices import machine_notice  # a machine translation says so, in the reader's language

    if notice := machine_notice(content, channel):
        lines += ["", notice]
    text = "\n".join(lines)
    answer = message.category == Category.REPLY
    if channel == "sms":
        # An answer continues a text conversation: no subject line before it.
        return Rendered(subject=content.subject, text=(text if answer else f"{content.subject}\n{text}")[:SMS_MAX])
    if channel == "voice":
        voice_language, voice = voice_for(content.language)
        response = VoiceResponse()
        spoken = f"{content.subject}. {text}"
        response.say(spoken, language=voice_language, voice=voice)
        response.pause(length=1)
        response.say(spoken, language=voice_language, voice=voice)
        return Rendered(subject=content.subject, text=spoken, twiml=str(response))
    answers_to = str(message.audience.get("in_reply_to", "")) if answer else ""
    headers = (("In-Reply-To", answers_to), ("References", answers_to)) if answers_to else ()
    return Rendered(subject=content.subject, text=text, headers=headers)


@lru_cache(maxsize=64)
def voice_for(language: str) -> tuple[str, str]:
    voices: dict[str, tuple[str, str]] = settings.MESSAGING_VOICES
    return voices.get(language) or voices.get(language.split("-")[0]) or voices["en"]


class RenderCache:
    """Each (content language, channel, reader language) is rendered once per send."""

    def __init__(self, message: Message) -> None:
        self.message = message
        # With its machine-translation mark (homeroom.languages), read in the same query.
        self.contents = {c.language: c for c in message.contents.select_related("auto_translation")}
        self._cache: dict[tuple[str, str, str], Rendered] = {}

    def get(self, content_language: str, channel: str, reader_language: str) -> Rendered:
        key = (content_language, channel, reader_language)
        if key not in self._cache:
            content = self.contents.get(content_language) or next(iter(self.contents.values()))
            self._cache[key] = render(self.message, content, channel, reader_language)
        return self._cache[key]
