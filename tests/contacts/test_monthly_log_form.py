"""The monthly log never shows an empty month field, and its figures are cards without stray bullets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

CSS = (Path(__file__).resolve().parents[2] / "homeroom" / "static" / "homeroom" / "homeroom.css").read_text()


def test_the_month_field_shows_the_month_on_the_page(client_for):
    body = client_for("teacher").get(reverse("contacts:monthly_log")).content.decode()
    month = timezone.localdate().strftime("%Y-%m")
    assert re.search(rf'<input type="month" name="month" value="{month}"[^>]*id="id_month"', body)


def test_a_chosen_month_stays_in_the_field(client_for):
    body = client_for("teacher").get(reverse("contacts:monthly_log"), {"month": "2026-09"}).content.decode()
    assert 'name="month" value="2026-09"' in body


def test_the_figures_are_a_list_of_cards_without_bullets(client_for):
    body = client_for("teacher").get(reverse("contacts:monthly_log")).content.decode()
    assert '<ul class="cards counts"' in body
    cards_rule = re.search(r"\.cards \{([^}]*)\}", CSS)
    assert cards_rule and "list-style:none" in cards_rule.group(1)
