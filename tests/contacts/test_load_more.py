"""The monthly log and the family timeline show one page at a time, with "Load more" (htmx, or a plain link)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from homeroom.contacts import log_views, views
from tests.contacts.helpers import aware, log_contact

OCTOBER = {"month": "2025-10"}


@pytest.fixture
def three_contacts(world):
    for day in (3, 4, 5):
        log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], when=aware(2025, 10, day, 9),
                    notes=f"Day {day}")


def test_the_monthly_log_shows_a_page_and_a_link_to_the_next(client_for, three_contacts, monkeypatch):
    monkeypatch.setattr(log_views, "LOG_PAGE", 2)
    response = client_for("teacher").get(reverse("contacts:monthly_log"), OCTOBER)
    assert [row.notes for row in response.context["rows"]] == ["Day 3", "Day 4"]
    assert response.context["counts"]["contacts"] == 3
    assert 'href="?month=2025-10&amp;page=2"' in response.content.decode()


def test_without_javascript_the_link_opens_the_next_page(client_for, three_contacts, monkeypatch):
    monkeypatch.setattr(log_views, "LOG_PAGE", 2)
    response = client_for("teacher").get(reverse("contacts:monthly_log"), {**OCTOBER, "page": 2})
    assert [row.notes for row in response.context["rows"]] == ["Day 5"]
    assert response.context["more"] is None
    assert "<html" in response.content.decode() and "Load more contacts" not in response.content.decode()


def test_with_htmx_only_the_next_rows_come_back(client_for, three_contacts, monkeypatch):
    monkeypatch.setattr(log_views, "LOG_PAGE", 2)
    response = client_for("teacher").get(reverse("contacts:monthly_log"), {**OCTOBER, "page": 2},
                                         HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and html.count("<tr>") == 1 and "Day 5" in html


def test_the_csv_still_has_the_whole_month(client_for, three_contacts, monkeypatch):
    monkeypatch.setattr(log_views, "LOG_PAGE", 2)
    response = client_for("teacher").get(reverse("contacts:monthly_log_csv"), OCTOBER)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1 + 3


def test_the_timeline_loads_older_entries(client_for, world, three_contacts, monkeypatch):
    monkeypatch.setattr(views, "TIMELINE_PAGE", 2)
    url = reverse("contacts:family_timeline", args=[world.ana.pk])
    first = client_for("teacher").get(url)
    assert [item.detail for item in first.context["items"]] == ["Day 5", "Day 4"]
    assert 'hx-get="?page=2"' in first.content.decode()
    older = client_for("teacher").get(url, {"page": 2}, HTTP_HX_REQUEST="true")
    assert [item.detail for item in older.context["items"]] == ["Day 3"]
    assert "<html" not in older.content.decode() and "timeline-more" not in older.content.decode()
