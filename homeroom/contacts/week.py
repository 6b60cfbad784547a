"""Sections other apps add to a staff member's "My week", without contacts importing them.

An app that depends on contacts (attendance) registers a function in its AppConfig.ready; contacts only
calls what was registered, so the dependency points one way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class WeekEntry:
    title: str  # what to do, in the reader's language
    student_name: str = ""
    due_on: date | None = None
    overdue: bool = False
    detail: str = ""
    url: str = ""  # where the work is done (e.g. the form that logs the contact and closes the task)
    action_label: str = ""


@dataclass
class WeekSection:
    title: str
    entries: list[WeekEntry] = field(default_factory=list)
    empty_text: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (url, label) shown under the heading


SectionProvider = Callable[..., WeekSection | None]  # (user, *, today) -> a section, or None to show nothing
_sections: list[SectionProvider] = []


def register_section(provider: SectionProvider) -> None:
    if provider not in _sections:
        _sections.append(provider)


def sections_for(user: Any, *, today: date) -> list[WeekSection]:
    found = []
    for provider in _sections:
        section = provider(user, today=today)
        if section is not None:
            found.append(section)
    return found
