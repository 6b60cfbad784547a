"""Checks a family's posted answers against the instrument: every value in range, nothing unknown kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from homeroom.surveys.definition import Definition

TEXT_MAX = 4000


@dataclass
class Checked:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def check(definition: Definition, data: Any) -> Checked:
    """`data` is a QueryDict (or a dict of lists): field name = item key; a multiple choice repeats it."""
    result = Checked()
    for item in definition.items:
        values = [v for v in _getlist(data, item.key) if str(v).strip()]
        if not values:
            if item.required:
                result.errors[item.key] = _("Please answer this question.")
            continue
        if item.type == "rating":
            try:
                value = int(values[0])
            except (TypeError, ValueError):
                value = 0
            if not 1 <= value <= item.points:
                result.errors[item.key] = _("Choose one of the answers.")
                continue
            result.answers[item.key] = value
        elif item.type == "single":
            keys = {option.key for option in item.options}
            if values[0] not in keys:
                result.errors[item.key] = _("Choose one of the answers.")
                continue
            result.answers[item.key] = values[0]
        elif item.type == "multiple":
            chosen = [option.key for option in item.options if option.key in values]
            if len(chosen) != len(set(values)):
                result.errors[item.key] = _("Choose among the answers shown.")
                continue
            result.answers[item.key] = chosen
        else:
            text = str(values[0]).strip()
            if len(text) > TEXT_MAX:
                result.errors[item.key] = _("Please keep this answer under %(max)d characters.") % {"max": TEXT_MAX}
                continue
            result.answers[item.key] = text
    return result


def _getlist(data: Any, key: str) -> list[Any]:
    if hasattr(data, "getlist"):
        return list(data.getlist(key))
    value = data.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]
