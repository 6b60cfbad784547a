"""Every staff and family page, in a real browser: no sideways scroll on a 360 px phone in English and Spanish, and
no serious or critical problem for axe's WCAG 2.0/2.1/2.2 A and AA rules plus best practices at 360 and 1280 px.

The pages come from the URL access rules (tests/e2e/every_page.py), so a new page is walked without being listed
here. One browser context and one tab per actor, signed in once; each page is loaded twice (Spanish, then English)
and every problem on every page is reported together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction

from homeroom.contacts.defaults import load_checklist_defaults
from homeroom.contacts.models import ChecklistItem, ChecklistTemplate
from homeroom.meetings.letters import load_letter_defaults
from homeroom.meetings.models import LetterTemplate
from homeroom.portal.models import GlossaryTerm, GuideEntry
from homeroom.portal.shipped import load_shipped as load_shipped_guidance
from homeroom.surveys.models import Instrument
from homeroom.surveys.shipped import load_shipped as load_shipped_instruments
from tests.actors import World
from tests.e2e.every_page import PageVisit, is_page, visits_by_actor
from tests.e2e.helpers import axe_violations, describe

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 900}
FITS = "document.documentElement.scrollWidth <= window.innerWidth"
# What sticks out past the phone's edge, to name in the failure (the innermost elements first).
STICKING_OUT = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll')
               && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 4).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string'
                        && e.className ? '.' + e.className.split(' ').join('.') : ''))"""
VISITS = visits_by_actor()
# Addresses whose rule clashes with another rule's record in one shared world; they are downloads, not pages.
DOWNLOADS_ONLY = {"meetings:conference_ics"}
# Pages drawn by a vendored tool rather than our templates: walked for width, not held to axe.
NOT_OURS = {"api:openapi-view": "django-ninja's Swagger UI for developers (its own markup and colors)"}
# Parts of a page that htmx fetches and swaps in (walked as part of their page, not as a document of their own).
FRAGMENTS = {"messaging:progress"}
LEAST_PAGES = 80  # the walk found ~95 pages when it was written: far fewer means the list lost its source


def _addresses(world: World) -> dict[str, str]:
    """Each page's address, worked out once: some rules create the record their page shows."""
    found = {}
    for visits in VISITS.values():
        for visit in visits:
            try:
                with transaction.atomic():
                    found[visit.name] = visit.url(world)
            except Exception:  # another rule's record took its place (a booked slot)
                assert visit.name in DOWNLOADS_ONLY, f"could not build the address of {visit.name}"
    return found


def _load(tab: Any, visit: PageVisit, url: str) -> bool:
    """Open the address in the tab: True for a page, False for a download (CSV, XLSX, JSON, a file)."""
    try:
        response = tab.goto(url)
    except Exception as error:  # Playwright refuses to "navigate" to an attachment
        if "Download is starting" in str(error):
            return False
        raise
    assert response is not None and response.status == 200, (
        f"{visit.name} as {visit.actor}: {url} answered {response and response.status}")
    return is_page(response)


@pytest.fixture(autouse=True)
def _shipped_data(world: World) -> None:
    # Live-server tests flush the database between tests, which empties what the data migrations loaded; the
    # pages that show shipped instruments, guidance, letters and checklists need them back (whichever test ran
    # before).
    load_shipped_instruments(Instrument)
    load_shipped_guidance(GuideEntry, GlossaryTerm)
    load_letter_defaults(LetterTemplate)
    load_checklist_defaults(ChecklistTemplate, ChecklistItem)


@pytest.fixture
def actor_tab(new_context: Callable[..., Any], sign_in: Callable[..., None]) -> Callable[[str], Any]:
    def make(actor: str) -> Any:
        context = new_context(viewport=PHONE, accept_downloads=False)
        if actor != "anonymous":
            sign_in(context, actor)
        return context.new_page()

    return make


def test_every_page_fits_a_phone_and_passes_extended_axe(world: World, live_server: Any,
                                                         actor_tab: Callable[[str], Any]) -> None:
    too_wide: list[str] = []
    inaccessible: list[str] = []
    walked: set[str] = set()
    addresses = _addresses(world)
    for actor, visits in VISITS.items():
        tab = actor_tab(actor)
        # Spanish then English at phone width (the width check); axe in Spanish on the phone, in English on a desk.
        for language, axe_size in (("es", PHONE), ("en", DESK)):
            tab.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                                      "url": live_server.url}])
            for visit in visits:
                url = addresses.get(visit.name)
                if url is None or visit.name in FRAGMENTS:
                    continue
                tab.set_viewport_size(PHONE)
                if not _load(tab, visit, url):
                    continue
                walked.add(visit.name)
                where = f"{language} {visit.name} as {actor} ({url})"
                if not tab.evaluate(FITS):
                    width = tab.evaluate("document.documentElement.scrollWidth")
                    too_wide.append(f"{where}: {width}px wide; sticking out: {tab.evaluate(STICKING_OUT)}")
                if visit.name in NOT_OURS:
                    continue
                tab.set_viewport_size(axe_size)
                violations = axe_violations(tab, extended=True)
                if violations:
                    inaccessible.append(f"{where} at {axe_size['width']}px:\n{describe(violations)}")
    assert len(walked) >= LEAST_PAGES, f"only {len(walked)} pages walked"
    report = []
    if too_wide:
        report.append("Pages wider than a 360 px phone:\n" + "\n".join(too_wide))
    if inaccessible:
        report.append("axe (WCAG 2.x A/AA + best practice), serious or critical:\n" + "\n".join(inaccessible))
    assert not report, "\n\n".join(report)
