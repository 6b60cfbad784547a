"""A validated instrument as objects: sections, items with their resolved scales, reflection questions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeroom.access.i18n import interface_language


def pick(text: dict[str, str], language: str) -> str:
    """The text in `language`; a validated instrument holds every one of its languages."""
    return text.get(language) or text.get(language.split("-")[0]) or next(iter(text.values()), "")


@dataclass(frozen=True)
class Option:
    key: str
    label: dict[str, str]


@dataclass(frozen=True)
class Item:
    key: str
    type: str
    text: dict[str, str]
    section: str
    help: dict[str, str] | None = None
    labels: tuple[dict[str, str], ...] = ()  # rating: lowest first, the value of labels[i] is i + 1
    options: tuple[Option, ...] = ()
    required: bool = False

    @property
    def points(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class Section:
    key: str
    title: dict[str, str]
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Reflection:
    key: str
    text: dict[str, str]


@dataclass(frozen=True)
class Definition:
    key: str
    version: int
    kind: str
    languages: tuple[str, ...]
    title: dict[str, str]
    intro: dict[str, str] | None
    sections: tuple[Section, ...]
    reflection: tuple[Reflection, ...]
    low_rating: int

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def item(self, key: str) -> Item | None:
        return next((item for item in self.items if item.key == key), None)

    def language_for(self, wanted: str) -> str | None:
        """The instrument language a reader of `wanted` gets, or None when it has none of theirs.

        A roster's tag reaches the instrument's as everywhere else (access.i18n.interface_language): 'es-MX' →
        'es', 'pt' and 'por' → 'pt-br', 'zh-CN' → 'zh-hans', 'hat' → 'ht'; Traditional Chinese gets None."""
        if wanted in self.languages:
            return wanted
        found = interface_language(wanted, self.languages)
        return next((code for code in self.languages if code.lower() == found), None) if found else None


def build(data: dict[str, Any]) -> Definition:
    """Objects from a dict that schema.validate accepted."""
    scales = data.get("scales", {})
    sections = []
    for section in data["sections"]:
        items = []
        for raw in section["items"]:
            scale = raw.get("scale")
            labels = scales[scale] if isinstance(scale, str) else (scale or [])
            items.append(Item(
                key=raw["key"], type=raw["type"], text=raw["text"], section=section["key"], help=raw.get("help"),
                labels=tuple(labels), options=tuple(Option(o["key"], o["label"]) for o in raw.get("options", [])),
                required=bool(raw.get("required", False)),
            ))
        sections.append(Section(key=section["key"], title=section["title"], items=tuple(items)))
    return Definition(
        key=data["key"], version=data["version"], kind=data["kind"], languages=tuple(data["languages"]),
        title=data["title"], intro=data.get("intro"), sections=tuple(sections),
        reflection=tuple(Reflection(r["key"], r["text"]) for r in data.get("reflection", [])),
        low_rating=int(data.get("low_rating", 2)),
    )
