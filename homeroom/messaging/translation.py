"""Machine translation that pre-fills drafts for staff review: off by default; LibreTranslate or DeepL."""

from __future__ import annotations

from typing import Protocol

import requests
from django.conf import settings

from homeroom.messaging.channels import TransportError


class Translator(Protocol):
    def translate(self, text: str, *, source: str, target: str) -> str: ...


class LibreTranslate:
    """POST /translate {q, source, target, format, api_key} → {"translatedText": ...}."""

    def __init__(self, base_url: str, api_key: str = "", session: requests.Session | None = None) -> None:
        self.url = base_url.rstrip("/") + "/translate"
        self.api_key = api_key
        self.session = session or requests.Session()

    def translate(self, text: str, *, source: str, target: str) -> str:
        payload = {"q": text, "source": source, "target": target, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        try:
            response = self.session.post(self.url, json=payload, timeout=settings.MESSAGING_HTTP_TIMEOUT)
            response.raise_for_status()
            return str(response.json()["translatedText"])
        except (requests.RequestException, ValueError, KeyError) as exc:
            raise TransportError(f"LibreTranslate: {type(exc).__name__}") from exc


class DeepL:
    """POST /v2/translate (form: text, source_lang, target_lang), header `Authorization: DeepL-Auth-Key …`."""

    def __init__(self, base_url: str, auth_key: str, session: requests.Session | None = None) -> None:
        self.url = (base_url or "https://api-free.deepl.com").rstrip("/") + "/v2/translate"
        self.auth_key = auth_key
        self.session = session or requests.Session()

    def translate(self, text: str, *, source: str, target: str) -> str:
        try:
            response = self.session.post(
                self.url,
                data={"text": text, "source_lang": source.upper(), "target_lang": target.upper()},
                headers={"Authorization": f"DeepL-Auth-Key {self.auth_key}"},
                timeout=settings.MESSAGING_HTTP_TIMEOUT,
            )
            response.raise_for_status()
            return str(response.json()["translations"][0]["text"])
        except (requests.RequestException, ValueError, KeyError, IndexError) as exc:
            raise TransportError(f"DeepL: {type(exc).__name__}") from exc


def get_translator() -> Translator | None:
    provider = settings.MESSAGING_TRANSLATION_PROVIDER
    if provider == "libretranslate" and settings.MESSAGING_TRANSLATION_URL:
        return LibreTranslate(settings.MESSAGING_TRANSLATION_URL, settings.MESSAGING_TRANSLATION_API_KEY)
    if provider == "deepl" and settings.MESSAGING_TRANSLATION_API_KEY:
        return DeepL(settings.MESSAGING_TRANSLATION_URL, settings.MESSAGING_TRANSLATION_API_KEY)
    return None
