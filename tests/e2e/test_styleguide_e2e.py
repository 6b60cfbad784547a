"""The style guide (DEBUG only) draws every component accessibly: extended axe at 360 and 1280 px, no sideways
scroll on a phone, and each checkbox on its label's line with a 24 px box."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e.helpers import axe_violations, describe

pytestmark = pytest.mark.e2e


def test_the_style_guide_is_accessible_at_both_sizes(world, new_context, sign_in, settings):
    settings.DEBUG = True
    context = new_context(viewport={"width": 360, "height": 740})
    sign_in(context, "teacher")
    page = context.new_page()
    page.goto(reverse("styleguide"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = page.locator("#id_interpreter").bounding_box()
    label = page.locator("label[for=id_interpreter]").bounding_box()
    assert box and label and box["width"] >= 24 and box["height"] >= 24
    assert abs((box["y"] + box["height"] / 2) - (label["y"] + label["height"] / 2)) < 8  # one line
    for size in ({"width": 360, "height": 740}, {"width": 1280, "height": 900}):
        page.set_viewport_size(size)
        violations = axe_violations(page, extended=True)
        assert not violations, describe(violations)
