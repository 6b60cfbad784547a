"""Every portal page stays under 100 KB of HTML for a family's phone (CSS and htmx are cached static files)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homeroom.portal.urls import urlpatterns
from tests.portal.helpers import conversation_with, document_for, sofia_gradebook

PAGE_BUDGET_BYTES = 100 * 1024
# Downloads, a redirect to a thread, and POST-only targets (their pages: child_attendance, content_edit).
FILES_NOT_PAGES = {"document_download", "conversation_attachment", "message", "child_absence_note", "content_restore"}


def _pages(world):
    sofia = [world.sofia.pk]
    conversation = conversation_with(world, world.ana, body="Hola " * 200)
    return {
        "home": ("ana", []),
        "child": ("ana", sofia),
        "child_grades": ("ana", sofia),
        "child_attendance": ("ana", sofia),
        "child_profile": ("ana", sofia),
        "inbox": ("ana", []),
        "conversation": ("ana", [conversation.pk]),
        "conversation_start": ("ana", []),
        "preferences": ("ana", []),
        "documents": ("ana", []),
        "expectations": ("ana", []),
        "resources": ("ana", []),
        "glossary": ("ana", []),
        "feedback": ("ana", []),
        "section_notes_index": ("teacher", []),
        "section_notes": ("teacher", [world.section_5a.pk]),
        "feedback_list": ("principal", []),
        "content_index": ("admin", []),
        "content_edit": ("admin", ["glossary", "iep"]),
    }


def test_every_portal_page_is_measured(world):
    names = {p.name for p in urlpatterns} - FILES_NOT_PAGES
    assert names == set(_pages(world))


@pytest.mark.parametrize("name", sorted({p.name for p in urlpatterns} - FILES_NOT_PAGES))
def test_page_html_is_under_the_budget(world, client_for, name):
    sofia_gradebook(world)
    for i in range(10):
        document_for(world, guardian=world.ana, student=world.sofia, title=f"Carta {i}")
    actor, args = _pages(world)[name]
    response = client_for(actor).get(reverse(f"portal:{name}", args=args), follow=True)  # feedback → surveys
    assert response.status_code == 200
    assert len(response.content) < PAGE_BUDGET_BYTES, f"{name}: {len(response.content)} bytes"


@pytest.mark.parametrize("name", ["home", "child_grades", "glossary", "conversation"])
def test_first_visit_with_scripts_and_images_is_under_the_budget(world, client_for, name):
    """A family's first visit: the page plus every script and image it loads (only the CSS may come from cache)."""
    import re
    from pathlib import Path

    from django.contrib.staticfiles import finders

    sofia_gradebook(world)
    actor, args = _pages(world)[name]
    html = client_for(actor).get(reverse(f"portal:{name}", args=args)).content
    assets = re.findall(rb'<(?:script|img)[^>]+src="/static/([^"?]+)', html)
    assert assets, "expected at least htmx to be loaded"
    total = len(html) + sum(Path(finders.find(a.decode())).stat().st_size for a in assets)
    assert total < PAGE_BUDGET_BYTES, f"{name}: {total} bytes with {assets}"
