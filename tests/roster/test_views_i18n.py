"""The roster pages in Spanish, and a complete Spanish catalogue for the roster app."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

import homeroom.roster

PO_FILE = Path(homeroom.roster.__file__).parent / "locale" / "es" / "LC_MESSAGES" / "django.po"


def spanish_client(client_for, actor):
    client = client_for(actor)
    client.cookies["django_language"] = "es"
    return client


def test_student_page_in_spanish_flags_non_custodial_parent(world, client_for):
    response = spanish_client(client_for, "teacher").get(reverse("roster:student", args=[world.sofia.pk]))
    html = response.content.decode()
    assert 'lang="es"' in html
    assert "No compartir información" in html
    assert "Padres y tutores" in html
    assert "Madre" in html


def test_staff_member_who_chose_spanish_gets_spanish_pages(world, client_for):
    world.teacher.user.language = "es"
    world.teacher.user.save()
    html = client_for("teacher").get(reverse("roster:dashboard")).content.decode()
    assert "Mis escuelas" in html


def test_school_page_names_languages_in_spanish(world, client_for):
    response = spanish_client(client_for, "principal").get(reverse("roster:school", args=[world.lincoln.pk]))
    assert dict(response.context["overview"].languages) == {"Español": 3}


def test_every_roster_string_has_a_spanish_translation():
    text = PO_FILE.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    untranslated = [e for e in entries if re.search(r'^msgstr(\[\d\])? ""$(?!\n")', e, re.M)]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert not untranslated, f"{len(untranslated)} empty msgstr in {PO_FILE}: {untranslated[:3]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries in {PO_FILE}: {fuzzy[:3]}"
