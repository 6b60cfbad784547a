"""Browser tests: Debian's chromium driven by Playwright's sync API against pytest-django's live server.

Never a downloaded browser: /usr/bin/chromium (`make chromium`). Without it the tests skip, unless
HOMEROOM_REQUIRE_E2E=1 (set by .ci/run), where a missing browser is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.actors import World, build_world
from tests.e2e.helpers import assert_no_serious_axe_violations

# Playwright's sync API keeps an asyncio loop in the main thread, which Django's ORM would otherwise
# refuse to run beside; the browser lives for the whole session, so this has to hold for it too.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything in this folder drives the browser: mark it e2e even if a module forgets to."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = f"browser tests need Debian's chromium at {CHROMIUM} (run `make chromium`)"
        if os.environ.get("HOMEROOM_REQUIRE_E2E") == "1":
            pytest.fail(f"{reason}; HOMEROOM_REQUIRE_E2E=1 forbids skipping them", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def world(transactional_db: None, live_server: Any) -> World:
    """The named actors, committed so the live server's thread can see them."""
    return build_world()


@pytest.fixture
def new_context(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """new_context(**options) → a fresh browser context on the live server (closed after the test)."""
    opened: list[Any] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


@pytest.fixture
def context(new_context: Callable[..., Any]) -> Any:
    return new_context()


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()


@pytest.fixture
def sign_in(world: World, live_server: Any) -> Callable[..., None]:
    """sign_in(context, 'teacher', language='es'): the actor's session cookie, copied from force_login."""

    def sign_in_as(context: Any, actor: str, *, language: str = "en") -> None:
        client = Client()
        client.force_login(world.user(actor))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [
                {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url},
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
            ]
        )

    return sign_in_as


@pytest.fixture
def assert_accessible() -> Callable[[Any], None]:
    return assert_no_serious_axe_violations
