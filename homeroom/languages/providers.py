"""Machine translation providers at the HTTP boundary: LibreTranslate (self-hosted) and DeepL (free or pro).

Each adapter turns one text into another language, or raises `TranslationError` with a `kind` that says what
went wrong in words staff can act on (a wrong key, a spent quota, a language the service does not offer, a
service that did not answer). Callers go through `homeroom.languages.cache.translate`, which keeps every
translation so the same text is never sent twice.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

import httpx
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from homeroom.core.per_thread import per_thread


class TranslationError(Exception):
    """A translation that did not come back; `kind` is one of KINDS."""

    KINDS = {
        "auth": _("the translation service refused the key"),
        "quota": _("the translation service's quota is used up or it is busy"),
        "unsupported": _("the translation service does not offer this language"),
        "timeout": _("the translation service did not answer in time"),
        "unavailable": _("the translation service is not available"),
    }

    def __init__(self, provider: str, kind: str, detail: str = "") -> None:
        super().__init__(f"{provider}: {kind}{f' ({detail})' if detail else ''}")
        self.provider = provider
        self.kind = kind if kind in self.KINDS else "unavailable"

    @property
    def explanation(self) -> str:
        return str(self.KINDS[self.kind])


def _kind_of_status(status: int) -> str:
    if status in (401, 403):
        return "auth"
    if status in (429, 456):  # 456: DeepL's "quota exceeded"; 429: too many requests (both services)
        return "quota"
    if status == 400:
        return "unsupported"  # both services answer 400 for a language they do not offer
    return "unavailable"


def _base(code: str) -> str:
    return code.lower().replace("_", "-").split("-")[0]


class Translator(Protocol):
    name: str

    def translate(self, text: str, *, source: str, target: str) -> str: ...


MAX_RESPONSE_BYTES = 1024 * 1024  # a translated message is a few kilobytes; more is not a translation


class _Http:
    """One keep-alive httpx client per translator (the project's one HTTP stack, as for Twilio)."""

    name = ""

    def __init__(self, client: httpx.Client | None = None) -> None:
        timeout = settings.MESSAGING_TRANSLATION_TIMEOUT
        self.client = client or httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)))

    def _post(self, url: str, **kwargs: Any) -> dict[str, object]:
        try:
            with self.client.stream("POST", url, **kwargs) as response:
                body = b""
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_RESPONSE_BYTES:
                        raise TranslationError(self.name, "unavailable", "answer too large")
        except httpx.TimeoutException as exc:
            raise TranslationError(self.name, "timeout") from exc
        except httpx.HTTPError as exc:
            raise TranslationError(self.name, "unavailable", type(exc).__name__) from exc
        if response.status_code != 200:
            raise TranslationError(self.name, _kind_of_status(response.status_code), str(response.status_code))
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise TranslationError(self.name, "unavailable", "not JSON") from exc
        if not isinstance(data, dict):
            raise TranslationError(self.name, "unavailable", "unexpected answer")
        return data


class LibreTranslate(_Http):
    """POST /translate, JSON {q, source, target, format, api_key} → {"translatedText": …}."""

    name = "libretranslate"
    # LibreTranslate's own codes where they differ from the primary subtag.
    CODES = {"zh-hans": "zh", "zh-cn": "zh", "zh-hant": "zt", "zh-tw": "zt"}

    def __init__(self, base_url: str, api_key: str = "", client: httpx.Client | None = None) -> None:
        super().__init__(client)
        self.url = base_url.rstrip("/") + "/translate"
        self.api_key = api_key

    @classmethod
    def code(cls, tag: str) -> str:
        tag = tag.lower().replace("_", "-")
        return cls.CODES.get(tag, _base(tag))

    def translate(self, text: str, *, source: str, target: str) -> str:
        payload = {"q": text, "source": self.code(source), "target": self.code(target), "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        data = self._post(self.url, json=payload)
        translated = data.get("translatedText")
        if not isinstance(translated, str):
            raise TranslationError(self.name, "unavailable", "no translatedText")
        return translated


class DeepL(_Http):
    """POST /v2/translate (form: text, source_lang, target_lang), header `Authorization: DeepL-Auth-Key …`.

    A key ending in ":fx" belongs to the free API (api-free.deepl.com), any other to the pro API
    (api.deepl.com); a configured URL (a proxy, the tests' stand-in) wins over both.
    """

    name = "deepl"
    FREE_URL = "https://api-free.deepl.com"
    PRO_URL = "https://api.deepl.com"
    # Target languages DeepL names with a variant; sources are always the bare language.
    TARGETS = {"en": "EN-US", "pt": "PT-BR", "zh": "ZH-HANS", "zh-cn": "ZH-HANS", "zh-tw": "ZH-HANT"}
    VARIANTS = {"en-us", "en-gb", "pt-br", "pt-pt", "zh-hans", "zh-hant"}

    def __init__(self, base_url: str, auth_key: str, client: httpx.Client | None = None) -> None:
        super().__init__(client)
        host = base_url or (self.FREE_URL if auth_key.endswith(":fx") else self.PRO_URL)
        self.url = host.rstrip("/") + "/v2/translate"
        self.auth_key = auth_key

    @classmethod
    def target_code(cls, tag: str) -> str:
        tag = tag.lower().replace("_", "-")
        if tag in cls.VARIANTS:
            return tag.upper()
        return cls.TARGETS.get(tag) or cls.TARGETS.get(_base(tag)) or _base(tag).upper()

    def translate(self, text: str, *, source: str, target: str) -> str:
        data = self._post(
            self.url,
            data={"text": text, "source_lang": _base(source).upper(),
                  "target_lang": self.target_code(target)},
            headers={"Authorization": f"DeepL-Auth-Key {self.auth_key}"},
        )
        try:
            return str(data["translations"][0]["text"])  # type: ignore[index]
        except (KeyError, IndexError, TypeError) as exc:
            raise TranslationError(self.name, "unavailable", "no translations") from exc


def get_translator() -> Translator | None:
    """The configured provider, or None when machine translation is off (the default).

    One translator, and so one keep-alive client, per thread and configuration (`core.per_thread`): a threaded
    web server or worker translates on several threads at once, and httpcore's pool must not be shared by them.
    """
    config = (settings.MESSAGING_TRANSLATION_PROVIDER, settings.MESSAGING_TRANSLATION_URL,
              settings.MESSAGING_TRANSLATION_API_KEY, settings.MESSAGING_TRANSLATION_TIMEOUT)
    return per_thread(("translator", *config), lambda: _translator(*config))


def _translator(provider: str, url: str, key: str, timeout: float) -> Translator | None:
    if provider == "libretranslate" and url:
        return LibreTranslate(url, key)
    if provider == "deepl" and key:
        return DeepL(url, key)
    return None


def is_configured() -> bool:
    return get_translator() is not None
