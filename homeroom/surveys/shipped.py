"""The instruments shipped with Homeroom (surveys/instruments/*.json), loaded as district-free rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from homeroom.surveys import schema

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"


def shipped_files() -> list[Path]:
    return sorted(INSTRUMENTS_DIR.glob("*.json"))


def load_shipped(instrument_model: Any) -> None:
    """Upsert each shipped file by (key, version); takes the model so data migrations can pass theirs."""
    for path in shipped_files():
        source = path.read_text(encoding="utf-8")
        data = schema.parse(source)
        instrument_model.objects.update_or_create(
            district=None, key=data["key"], version=data["version"],
            defaults={"kind": data["kind"], "title": data["title"].get("en") or next(iter(data["title"].values())),
                      "data": data, "source": source},
        )
