"""The instrument file format (version 1) and its validator: every error names its path in the file.

An instrument is JSON:

    {"format": 1, "key": "family-partnership", "version": 1, "kind": "family",
     "languages": ["en", "es"], "title": {"en": "...", "es": "..."}, "intro": {...},
     "scales": {"agree4": [{"en": "Strongly disagree", "es": "..."}, ...]},
     "sections": [{"key": "welcome", "title": {...}, "items": [
         {"key": "welcome-1", "type": "rating", "text": {...}, "scale": "agree4"},
         {"key": "contact", "type": "single", "text": {...}, "options": [{"key": "email", "label": {...}}, ...]},
         {"key": "topics", "type": "multiple", "text": {...}, "options": [...]},
         {"key": "ideas", "type": "text", "text": {...}}]}],
     "reflection": [{"key": "r1", "text": {...}}],
     "low_rating": 2}

`kind` is "family" (families answer it), "self_assessment" (a school team rates it) or "staff". Every text is a
translation object holding every language in `languages`. An item's `scale` is a list of 2–10 labels (lowest
first) or the name of one in `scales`. Ratings at or below `low_rating` become action-plan items.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

FORMAT = 1
KINDS = ("family", "self_assessment", "staff")
ITEM_TYPES = ("rating", "single", "multiple", "text")
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
MIN_LABELS, MAX_LABELS = 2, 10
MIN_OPTIONS, MAX_OPTIONS = 2, 20
TOP_FIELDS = {"format", "key", "version", "kind", "languages", "title", "intro", "scales", "sections", "reflection",
              "low_rating"}
SECTION_FIELDS = {"key", "title", "items"}
ITEM_FIELDS = {"key", "type", "text", "help", "scale", "options", "required"}
OPTION_FIELDS = {"key", "label"}
REFLECTION_FIELDS = {"key", "text"}


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InstrumentInvalid(ValueError):
    """The file is not a valid instrument; `problems` lists each one with its path."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.languages: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def fields(self, value: Any, path: str, allowed: set[str], required: tuple[str, ...]) -> bool:
        if not isinstance(value, dict):
            self.fail(path, _("expected an object"))
            return False
        for name in sorted(set(value) - allowed):
            self.fail(_join(path, name), _("unknown field"))
        for name in required:
            if value.get(name) is None:
                self.fail(_join(path, name), _("required"))
        return True

    def key(self, value: Any, path: str) -> None:
        if not isinstance(value, str) or not KEY_RE.match(value):
            self.fail(path, _("expected lower-case letters, digits and hyphens (at most 60)"))

    def text(self, value: Any, path: str) -> None:
        if value is None:
            return  # a missing required text is reported once, as "required"
        if not isinstance(value, dict):
            self.fail(path, _("expected a translation for each language, e.g. {\"en\": \"…\"}"))
            return
        for language in self.languages:
            if not isinstance(value.get(language), str) or not value[language].strip():
                self.fail(path, _("missing the “%(language)s” translation") % {"language": language})
        for language in sorted(set(value) - set(self.languages)):
            self.fail(_join(path, language), _("this language is not in “languages”"))

    def count(self, value: Any, path: str, low: int, high: int, what: str) -> bool:
        if not isinstance(value, list) or not low <= len(value) <= high:
            self.fail(path, _("expected %(low)d–%(high)d %(what)s") % {"low": low, "high": high, "what": what})
            return False
        return True


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def validate(data: Any) -> dict[str, Any]:
    """Return the instrument unchanged if it is valid; otherwise raise InstrumentInvalid with every problem."""
    check = _Checker()
    if not check.fields(data, "", TOP_FIELDS, ("format", "key", "version", "kind", "languages", "title",
                                                 "sections")):
        raise InstrumentInvalid(check.problems)
    if data.get("format") != FORMAT:
        check.fail("format", _("expected %(format)d") % {"format": FORMAT})
    check.key(data.get("key"), "key")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        check.fail("version", _("expected a whole number from 1"))
    if data.get("kind") not in KINDS:
        check.fail("kind", _("expected one of: %(kinds)s") % {"kinds": ", ".join(KINDS)})
    languages = data.get("languages")
    if not isinstance(languages, list) or not languages or not all(
        isinstance(code, str) and LANGUAGE_RE.match(code) for code in languages
    ):
        check.fail("languages", _("expected a list of language codes, e.g. [\"en\", \"es\"]"))
        raise InstrumentInvalid(check.problems)  # every text below is checked against the languages
    if len(set(languages)) != len(languages):
        check.fail("languages", _("a language is listed twice"))
    check.languages = list(languages)
    check.text(data.get("title"), "title")
    if "intro" in data:
        check.text(data["intro"], "intro")
    scales = data.get("scales", {})
    if not isinstance(scales, dict):
        check.fail("scales", _("expected an object of named scales"))
        scales = {}
    for name, labels in scales.items():
        _check_labels(check, labels, f"scales.{name}")
    keys: dict[str, str] = {}

    def unique(key: Any, path: str) -> None:
        if isinstance(key, str):
            if key in keys:
                check.fail(path, _("“%(key)s” is already used at %(where)s") % {"key": key, "where": keys[key]})
            else:
                keys[key] = path

    sections = data.get("sections")
    if check.count(sections, "sections", 1, 50, _("sections")):
        for s, section in enumerate(sections):
            path = f"sections[{s}]"
            if not check.fields(section, path, SECTION_FIELDS, ("key", "title", "items")):
                continue
            check.key(section.get("key"), f"{path}.key")
            unique(section.get("key"), f"{path}.key")
            check.text(section.get("title"), f"{path}.title")
            items = section.get("items")
            if check.count(items, f"{path}.items", 1, 100, _("items")):
                for i, item in enumerate(items):
                    _check_item(check, item, f"{path}.items[{i}]", scales, unique)
    reflection = data.get("reflection", [])
    if check.count(reflection, "reflection", 0, 30, _("reflection questions")):
        for r, question in enumerate(reflection):
            path = f"reflection[{r}]"
            if check.fields(question, path, REFLECTION_FIELDS, ("key", "text")):
                check.key(question.get("key"), f"{path}.key")
                unique(question.get("key"), f"{path}.key")
                check.text(question.get("text"), f"{path}.text")
    if "low_rating" in data:
        low = data["low_rating"]
        if not isinstance(low, int) or isinstance(low, bool) or not 1 <= low < MAX_LABELS:
            check.fail("low_rating", _("expected a whole number from 1 to 9"))
    if check.problems:
        raise InstrumentInvalid(check.problems)
    return data


def _check_labels(check: _Checker, labels: Any, path: str) -> None:
    if check.count(labels, path, MIN_LABELS, MAX_LABELS, _("labels")):
        for n, label in enumerate(labels):
            check.text(label, f"{path}[{n}]")


def _check_item(check: _Checker, item: Any, path: str, scales: dict[str, Any], unique: Any) -> None:
    if not check.fields(item, path, ITEM_FIELDS, ("key", "type", "text")):
        return
    check.key(item.get("key"), f"{path}.key")
    unique(item.get("key"), f"{path}.key")
    check.text(item.get("text"), f"{path}.text")
    if "help" in item:
        check.text(item["help"], f"{path}.help")
    if "required" in item and not isinstance(item["required"], bool):
        check.fail(f"{path}.required", _("expected true or false"))
    kind = item.get("type")
    if kind not in ITEM_TYPES:
        check.fail(f"{path}.type", _("expected one of: %(types)s") % {"types": ", ".join(ITEM_TYPES)})
        return
    if kind == "rating":
        scale = item.get("scale")
        if isinstance(scale, str):
            if scale not in scales:
                check.fail(f"{path}.scale", _("no scale named “%(name)s” in “scales”") % {"name": scale})
        elif scale is None:
            check.fail(f"{path}.scale", _("required"))
        else:
            _check_labels(check, scale, f"{path}.scale")
    elif "scale" in item:
        check.fail(f"{path}.scale", _("only rating items have a scale"))
    if kind in ("single", "multiple"):
        options = item.get("options")
        if check.count(options, f"{path}.options", MIN_OPTIONS, MAX_OPTIONS, _("options")):
            seen: set[str] = set()
            for o, option in enumerate(options):
                where = f"{path}.options[{o}]"
                if check.fields(option, where, OPTION_FIELDS, ("key", "label")):
                    check.key(option.get("key"), f"{where}.key")
                    if option.get("key") in seen:
                        check.fail(f"{where}.key", _("this option key is used twice"))
                    seen.add(option.get("key"))
                    check.text(option.get("label"), f"{where}.label")
    elif "options" in item:
        check.fail(f"{path}.options", _("only choice items have options"))


def parse(source: str) -> dict[str, Any]:
    """Parse and validate the text of an instrument file."""
    try:
        data = json.loads(source)
    except json.JSONDecodeError as exc:
        raise InstrumentInvalid(
            [Problem("", _("not valid JSON: line %(line)d, column %(column)d: %(error)s")
                     % {"line": exc.lineno, "column": exc.colno, "error": exc.msg})]
        ) from exc
    return validate(data)
