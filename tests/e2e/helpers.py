"""Helpers for the browser tests: the axe-core accessibility check."""

from __future__ import annotations

from functools import cache
from typing import Any

BLOCKING_IMPACTS = ("serious", "critical")
# WCAG 2.0, 2.1 and 2.2, levels A and AA, plus axe's best practices (landmarks, headings, target size …).
EXTENDED_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
EXTENDED_OPTIONS = {"runOnly": {"type": "tag", "values": EXTENDED_TAGS}, "resultTypes": ["violations"]}


@cache
def _axe() -> Any:
    # axe-playwright-python ships axe-core's script inside the package: nothing is downloaded.
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def axe_violations(page: Any, impacts: tuple[str, ...] = BLOCKING_IMPACTS, *, extended: bool = False,
                   ) -> list[dict[str, Any]]:
    results = _axe().run(page, options=EXTENDED_OPTIONS) if extended else _axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in impacts]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, node.get("target", []))) for node in v.get("nodes", [])[:5]]
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} at {targets}")
    return "\n".join(lines)


def assert_no_serious_axe_violations(page: Any) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe found serious/critical problems on {page.url}:\n{describe(violations)}"
