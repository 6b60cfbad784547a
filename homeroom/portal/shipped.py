"""Loads the guidance shipped in portal/data/ (expectations, resources, glossary) as district-free rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
# An item's languages are its keys other than these, by primary subtag ("pt", "zh"), as the portal reads them.
NOT_LANGUAGES = frozenset({"key", "url", "topic"})


def _read(name: str) -> list[dict[str, Any]]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def load_shipped(guide_model: Any, glossary_model: Any) -> None:
    """Upsert the shipped rows; takes model classes so data migrations can pass historical models."""
    for kind, filename in (("expectation", "expectations.json"), ("resource", "resources.json")):
        for position, item in enumerate(_read(filename)):
            for language in sorted(set(item) - NOT_LANGUAGES):
                text = item.get(language)
                if not text:
                    continue
                guide_model.objects.update_or_create(
                    district=None,
                    kind=kind,
                    key=item["key"],
                    language=language,
                    defaults={
                        "title": text["title"],
                        "body": text.get("body", ""),
                        "url": item.get("url", ""),
                        "topic": item.get("topic", ""),
                        "position": position,
                    },
                )
    for item in _read("glossary.json"):
        for language in sorted(set(item) - NOT_LANGUAGES):
            text = item.get(language)
            if text:
                glossary_model.objects.update_or_create(
                    district=None,
                    key=item["key"],
                    language=language,
                    defaults={"term": text["term"], "definition": text["definition"]},
                )
