"""What a family reads with a machine-translated text, in their language: that a computer translated it, and
that they may answer in their own language. Short in a text or a call, in full in an email or the portal."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import translation
from django.utils.translation import gettext as _

from homeroom.languages.cache import base, translate
from homeroom.languages.providers import TranslationError, Translator

SHORT_CHANNELS = {"sms", "voice"}


def _english_notices() -> tuple[str, str]:
    return (
        _("Translated automatically. You can reply in your language."),
        _("This message was translated automatically by a computer, so it may have mistakes. You can reply in "
          "your own language: the school will read your reply with a translation."),
    )


def _interface_language(code: str) -> str | None:
    supported = {c.lower() for c, _name in settings.LANGUAGES}
    for candidate in (code.lower(), base(code)):
        if candidate in supported:
            return candidate
    return None


def notices_for(language: str, *, translator: Translator | None = None) -> tuple[str, str]:
    """(short, long) in `language`: from Homeroom's own catalogue when it has them, else machine-translated
    (kept in the cache), else English."""
    with translation.override("en"):
        english = _english_notices()
    ui = _interface_language(language)
    if ui is not None:
        with translation.override(ui):
            own = _english_notices()
        if base(ui) == "en" or own != english:
            return own
    try:
        return (translate(english[0], source="en", target=language, translator=translator),
                translate(english[1], source="en", target=language, translator=translator))
    except TranslationError:
        return english


def machine_notice(content: object, channel: str) -> str:
    """The notice to add to a rendering of `content` on `channel`, or "" when staff wrote it.

    messaging.rendering calls this; its RenderCache loads contents with `auto_translation` selected.
    """
    try:
        auto = content.auto_translation  # type: ignore[attr-defined]
    except (ObjectDoesNotExist, AttributeError):
        return ""
    if auto is None:
        return ""
    return str(auto.notice_short if channel in SHORT_CHANNELS else auto.notice_long)
