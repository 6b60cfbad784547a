"""`{% load words %}` … `{{ guardian.language|words:"language" }}`: codes shown as words (see core.words);
`{% job_title "teacher" staff %}`: a job title agreeing with the person."""

from __future__ import annotations

from typing import Any

from django import template

from homeroom.core import words as vocabulary

register = template.Library()


@register.filter(name="words")
def words(code: Any, kind: str) -> str:
    """A list of codes becomes its words joined by commas: ["en", "es"] → "English, Spanish"."""
    if isinstance(code, (list, tuple)) and kind != "channel_state":
        return ", ".join(vocabulary.word(each, kind) for each in code)
    return vocabulary.word(code, kind)


@register.simple_tag(name="channel_state")
def channel_state(channel: str, state: str) -> str:
    return vocabulary.channel_state(channel, state)


@register.simple_tag(name="job_title")
def job_title(code: Any, person: Any = None, kind: str = "role") -> str:
    """`{% job_title "teacher" staff %}`: the title agreeing with the person where the roster knows their sex
    (core.words.job_title); `{% job_title member.role member.staff "ppt_role" %}` for an app's roles."""
    return vocabulary.person_title(code, person, kind)
