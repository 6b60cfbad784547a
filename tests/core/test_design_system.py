"""The design system holds: one stylesheet of named components, logical properties only, every class it styles
used somewhere, every table region reachable by keyboard, and the style guide shown only to staff in DEBUG."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2] / "homeroom"
CSS = (ROOT / "static" / "homeroom" / "homeroom.css").read_text()
TEMPLATES = [path for path in ROOT.rglob("*.html") if "templates" in path.parts]
SOURCES = "\n".join(path.read_text() for path in [*TEMPLATES, *ROOT.rglob("*.py")])
COMPONENTS = ["button", "chip", "card", "badge", "table-scroll", "field", "alert", "empty", "progress", "chart"]


def test_the_stylesheet_uses_logical_properties_only():
    """Arabic pages run right to left: no left/right margins, paddings, borders, positions or text-align."""
    physical = re.findall(r"(?<![-\w])(?:(?:margin|padding|border)-(?:left|right|top|bottom)|left|right|top|bottom"
                          r"|text-align:\s*(?:left|right)|float:\s*(?:left|right))\s*:", CSS)
    assert physical == []


def test_every_class_the_stylesheet_styles_is_used_by_a_template_or_python():
    styled = set(re.findall(r"\.([a-z][a-z0-9_-]*)", re.sub(r"/\*.*?\*/", "", CSS, flags=re.S)))
    unused = sorted(name for name in styled if not re.search(rf"[\"' }}]{re.escape(name)}[\"' {{]", SOURCES))
    assert unused == [], f"dead CSS: {unused}"


@pytest.mark.parametrize("component", COMPONENTS)
def test_each_named_component_is_in_the_stylesheet(component):
    assert f".{component}" in CSS


def test_every_table_region_is_reachable_by_keyboard_and_named():
    problems = []
    for path in TEMPLATES:
        text = path.read_text()
        assert "table-wrap" not in text, f"{path}: use the table-scroll component"
        for tag in re.findall(r"<div class=\"table-scroll\"[^>]*>", text):
            if 'tabindex="0"' not in tag or 'role="region"' not in tag or "aria-label" not in tag:
                problems.append(f"{path.relative_to(ROOT)}: {tag}")
    assert problems == []


@pytest.mark.django_db
def test_the_style_guide_shows_every_component_to_staff_in_debug(world, client_for, settings):
    settings.DEBUG = True
    page = client_for("teacher").get(reverse("styleguide"))
    body = page.content.decode()
    assert page.status_code == 200
    for markup in ('class="chip"', 'class="badge ok"', 'class="table-scroll" tabindex="0" role="region"',
                   'class="field check"', 'class="alert warn" role="alert"', 'class="empty"', "<progress",
                   'class="chart"', 'class="button secondary"', 'class="cards"', "&lt;span class=&quot;badge ok"):
        assert markup in body, markup


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["ana", "anonymous"])
def test_the_style_guide_is_hidden_from_families_and_strangers(world, client_for, settings, actor):
    settings.DEBUG = True
    assert client_for(actor).get(reverse("styleguide")).status_code == 404


@pytest.mark.django_db
def test_the_style_guide_does_not_exist_without_debug(world, client_for, settings):
    settings.DEBUG = False
    assert client_for("teacher").get(reverse("styleguide")).status_code == 404
