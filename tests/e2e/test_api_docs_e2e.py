"""The API docs page works in a real browser under our Content-Security-Policy (tests/security/test_api_docs.py)."""

from __future__ import annotations

from typing import Any

from tests.actors import World

DOCS = "/api/v1/docs"


def test_staff_read_the_api_docs_with_nothing_blocked(world: World, context: Any, sign_in: Any,
                                                      live_server: Any) -> None:
    sign_in(context, "teacher")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(("data:", live_server.url)) else None)
    page.goto(DOCS)
    page.locator(".opblock-summary-path", has_text="/api/v1/roster/students").first.wait_for()
    assert not problems, problems  # a Content-Security-Policy refusal is a console error
    assert not outside, outside
