"""Loopback stand-ins for LibreTranslate and DeepL, speaking their documented request and response formats.

LibreTranslate: POST /translate with JSON {q, source, target, format, api_key} → 200 {"translatedText": …};
errors are {"error": …} with 400 (bad request, a language it does not offer), 403 (bad or missing API key),
429 (slow down) and 500.

DeepL: POST /v2/translate, form fields text, source_lang, target_lang and the header
`Authorization: DeepL-Auth-Key <key>` → 200 {"translations": [{"detected_source_language", "text"}]}; errors
are {"message": …} with 400 (a language it does not offer), 403 (bad key, or a free key on the pro host), 429
(too many requests) and 456 (quota exceeded).

Each translates by tagging the text with the target ("[ht] Hello"), so a test can tell what it got.
`status` forces an error answer, `delay` holds the answer back (a timeout), `unsupported` lists languages
the service answers 400 for.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qs

from tests.messaging.standins import StandIn


class _TranslateStandIn(StandIn):
    def __init__(self, *, key: str = "", status: int = 200, delay: float = 0.0,
                 unsupported: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.key, self.status, self.delay, self.unsupported = key, status, delay, set(unsupported)

    @property
    def texts(self) -> list[str]:
        return [r["text"] for r in self.requests]


class LibreTranslateStandIn(_TranslateStandIn):
    def handle(self, path: str, headers: dict[str, str], raw: str) -> tuple[int, dict[str, Any]]:
        data = json.loads(raw or "{}")
        self.requests.append({"path": path, "json": data, "text": data.get("q", "")})
        if self.delay:
            time.sleep(self.delay)
        if path != "/translate":
            return 404, {"error": "Not Found"}
        if self.status != 200:
            return self.status, {"error": {403: "Invalid API key", 429: "Slowdown: 1 per 1 minute"}.get(
                self.status, "Cannot translate text")}
        if self.key and data.get("api_key") != self.key:
            return 403, {"error": "Invalid API key"}
        if not data.get("q") or not data.get("source") or not data.get("target"):
            return 400, {"error": "Invalid request: missing q parameter"}
        if data["target"] in self.unsupported:
            return 400, {"error": f"{data['target']} is not supported"}
        return 200, {"translatedText": f"[{data['target']}] {data['q']}"}


class DeepLStandIn(_TranslateStandIn):
    def __init__(self, *, key: str = "test-key", free: bool = False, **kwargs: Any) -> None:
        super().__init__(key=key, **kwargs)
        self.free = free  # which DeepL host this stands in for

    def handle(self, path: str, headers: dict[str, str], raw: str) -> tuple[int, dict[str, Any]]:
        form = {k: v[0] for k, v in parse_qs(raw).items()}
        self.requests.append({"path": path, "form": form, "auth": headers.get("Authorization"),
                              "text": form.get("text", "")})
        if self.delay:
            time.sleep(self.delay)
        if path != "/v2/translate":
            return 404, {"message": "Not found"}
        if headers.get("Authorization") != f"DeepL-Auth-Key {self.key}":
            return 403, {"message": "Forbidden"}
        if self.key.endswith(":fx") != self.free:
            return 403, {"message": "Wrong endpoint. Use https://api-free.deepl.com" if self.key.endswith(":fx")
                         else "Wrong endpoint. Use https://api.deepl.com"}
        if self.status != 200:
            return self.status, {"message": {456: "Quota Exceeded", 429: "Too many requests"}.get(self.status, "")}
        if form.get("target_lang") in self.unsupported:
            return 400, {"message": "Value for 'target_lang' not supported."}
        return 200, {"translations": [{"detected_source_language": form.get("source_lang", "EN"),
                                       "text": f"[{form['target_lang']}] {form['text']}"}]}
