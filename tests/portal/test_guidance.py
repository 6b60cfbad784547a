"""Expectations, resources and the glossary: shipped in every language, editable by the district, searchable."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from homeroom.portal.content import stored_language
from homeroom.portal.models import GlossaryTerm, GuideEntry
from homeroom.portal.shipped import _read


def test_every_shipped_glossary_term_is_loaded_in_english_and_spanish(db):
    keys = {item["key"] for item in _read("glossary.json")}
    for language in ("en", "es"):
        loaded = set(GlossaryTerm.objects.filter(district=None, language=language).values_list("key", flat=True))
        assert loaded == keys


@pytest.mark.parametrize("filename", ["glossary.json", "expectations.json", "resources.json"])
def test_every_shipped_entry_is_written_in_every_interface_language(filename):
    fields = ("term", "definition") if filename == "glossary.json" else ("title", "body")
    for item in _read(filename):
        for code, _name in settings.LANGUAGES:
            text = item.get(stored_language(code))
            assert text, f"{filename} {item['key']}: no {code}"
            assert all(text.get(field, "").strip() for field in fields), f"{filename} {item['key']}: {code} empty"
            if code != "en":
                assert text != item["en"], f"{filename} {item['key']}: {code} is the English text"


def test_every_shipped_entry_is_loaded_in_every_interface_language(db):
    languages = {stored_language(code) for code, _name in settings.LANGUAGES}
    for language in languages:
        glossary = set(GlossaryTerm.objects.filter(district=None, language=language).values_list("key", flat=True))
        assert glossary == {item["key"] for item in _read("glossary.json")}, language
        for kind, filename in (("expectation", "expectations.json"), ("resource", "resources.json")):
            guide = set(GuideEntry.objects.filter(district=None, kind=kind, language=language)
                        .values_list("key", flat=True))
            assert guide == {item["key"] for item in _read(filename)}, (language, kind)


def test_shipped_glossary_covers_the_special_education_terms(db):
    keys = set(GlossaryTerm.objects.values_list("key", flat=True))
    assert {"ppt", "iep", "504-plan", "lre", "fape", "chronic-absence", "truancy", "marking-period"} <= keys


def test_glossary_search_finds_ppt(world, client_for):
    body = client_for("paul").get(reverse("portal:glossary"), {"q": "PPT"}).content.decode()
    assert "Planning and Placement Team" in body
    assert "Least Restrictive Environment" not in body


def test_glossary_is_in_spanish_for_a_spanish_speaking_guardian(world, client_for):
    body = client_for("ana").get(reverse("portal:glossary"), {"q": "IEP"}).content.decode()
    assert "Programa de Educación Individualizado" in body


def test_spanish_search_matches_an_english_abbreviation(world, client_for):
    body = client_for("ana").get(reverse("portal:glossary"), {"q": "absence"}).content.decode()
    assert "Ausentismo crónico" in body


def test_a_districts_own_definition_replaces_the_shipped_one(world, client_for):
    GlossaryTerm.objects.create(district=world.district, key="ppt", language="en", term="PPT",
                                definition="Riverside own words about the PPT")
    body = client_for("paul").get(reverse("portal:glossary"), {"q": "PPT"}).content.decode()
    assert "Riverside own words about the PPT" in body
    assert "In Connecticut, the team (including the family)" not in body


def test_another_districts_terms_are_not_shown(world, client_for):
    from tests import factories as f

    other = f.DistrictFactory(slug="elsewhere", name="Elsewhere")
    GlossaryTerm.objects.create(district=other, key="zzz", language="en", term="Elsewhere term", definition="x")
    assert "Elsewhere term" not in client_for("paul").get(reverse("portal:glossary")).content.decode()


def test_expectations_explain_chronic_absence_and_truancy(world, client_for):
    body = client_for("paul").get(reverse("portal:expectations")).content.decode()
    assert "10% or more" in body
    assert "4 unexcused absences in one month" in body


def test_expectations_link_the_schools_handbook(world, client_for):
    world.washington.handbook_url = "https://washington.example/handbook.pdf"
    world.washington.save()
    body = client_for("paul").get(reverse("portal:expectations")).content.decode()
    assert "https://washington.example/handbook.pdf" in body


def test_attendance_page_without_records_says_so_and_explains_the_rules(world, client_for):
    body = client_for("paul").get(reverse("portal:child_attendance", args=[world.liam.pk])).content.decode()
    assert "No attendance has been recorded this school year yet." in body
    assert "10% or more" in body


def test_resources_are_listed(world, client_for):
    assert GuideEntry.objects.filter(kind="resource").exists()
    body = client_for("paul").get(reverse("portal:resources")).content.decode()
    assert "Connecticut Parent Advocacy Center" in body
