"""List, per app, the interface strings families read (core.family_text), for translators and reviewers."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from homeroom.core import family_text


def render() -> str:
    """One block per app: `## <app>`, then one JSON-escaped msgid per line.

    A plural entry reads `PLURAL <msgid> | <msgid_plural>`; an entry with a context reads
    `CONTEXT <context> | <msgid>` (both JSON strings)."""
    lines: list[str] = []
    for app, entries in family_text.family_msgids().items():
        if lines:
            lines.append("")
        lines.append(f"## {app}")
        for entry in entries:
            text = json.dumps(entry.msgid, ensure_ascii=False)
            if entry.msgid_plural:
                text = f"PLURAL {text} | {json.dumps(entry.msgid_plural, ensure_ascii=False)}"
            if entry.msgctxt is not None:
                text = f"CONTEXT {json.dumps(entry.msgctxt, ensure_ascii=False)} | {text}"
            lines.append(text)
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Print the family-facing msgids of every app (see homeroom/core/family_text.py)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="write to this file instead of the standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        text = render()
        if options.get("output"):
            with open(options["output"], "w", encoding="utf-8") as out:
                out.write(text)
            self.stdout.write(f"{sum(1 for line in text.splitlines() if line and not line.startswith('##'))} "
                              f"msgids written to {options['output']}")
        else:
            self.stdout.write(text, ending="")
