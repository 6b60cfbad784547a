"""Job titles agree with the person where the roster knows their sex (roster.Staff.sex, from demographics.csv):
"maestra" or "maestro" in Spanish; when it does not, the inclusive form ("docente"), never a silent masculine."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from homeroom.core.words import job_title, person_title, word
from homeroom.meetings.texts import invitation_context
from homeroom.messaging.family_start import recipients_for
from tests.actors import build_world
from tests.meetings.helpers import schedule
from tests.programs.helpers import lincoln_team

SPANISH = {"female": "Maestra", "male": "Maestro", "": "Docente", "other": "Docente", "unspecified": "Docente"}


@pytest.mark.parametrize("sex, title", SPANISH.items())
def test_a_spanish_teacher_title_agrees_with_the_person_and_is_inclusive_when_unknown(sex, title):
    with translation.override("es"):
        assert job_title("teacher", sex) == title


@pytest.mark.parametrize("language, titles", [
    ("es", {"principal": ("Directora", "Director", "Director(a)"),
            "social_worker": ("Trabajadora social", "Trabajador social", "Trabajador(a) social"),
            "district_admin": ("Administradora del distrito", "Administrador del distrito",
                               "Administrador(a) del distrito"),
            "case_manager": ("Coordinadora de caso", "Coordinador de caso", "Coordinador(a) de caso")}),
    ("pt-br", {"teacher": ("Professora", "Professor", "Professor(a)"), "principal": ("Diretora", "Diretor",
                                                                                    "Diretor(a)")}),
    ("pl", {"teacher": ("Nauczycielka", "Nauczyciel", "Nauczyciel(ka)")}),
    ("ar", {"teacher": ("معلمة", "معلم", "معلم/ة")}),
    ("en", {"teacher": ("Teacher", "Teacher", "Teacher"), "principal": ("Principal", "Principal", "Principal")}),
])
def test_languages_with_gendered_titles_have_three_forms(language, titles):
    with translation.override(language):
        for role, (woman, man, unknown) in titles.items():
            assert (job_title(role, "female"), job_title(role, "male"), job_title(role, "")) == (woman, man, unknown)


def test_the_codes_to_words_filter_says_a_role_inclusively_and_the_tag_follows_the_person():
    class Person:
        sex = "female"

    with translation.override("es"):
        assert word("teacher", "role") == "Docente" and word("principal", "role") == "Director(a)"
        rendered = Template('{% load words %}{{ "teacher"|words:"role" }} · {% job_title "teacher" person %} · '
                            '{% job_title "teacher" nobody %}').render(Context({"person": Person(), "nobody": None}))
    assert rendered == "Docente · Maestra · Docente"
    assert person_title("teacher", None) == "Teacher"


@pytest.mark.django_db
def test_the_portal_lists_the_childs_teachers_with_titles_that_agree_in_spanish():
    w = build_world()
    w.teacher.sex = "female"
    w.teacher.save(update_fields=["sex"])
    w.principal.sex = "male"
    w.principal.save(update_fields=["sex"])
    client = Client()
    client.force_login(w.ana.user)  # reads Spanish
    body = client.get(reverse("portal:child", args=[w.sofia.pk])).content.decode()
    assert "Maestra, 5A" in body and re.search(r"Grace Okafor</strong> · Director(?![a(])", body)
    assert "Maestro" not in body  # no masculine by default, nor in the heading ("Docentes y personal")
    w.teacher.sex = ""
    w.teacher.save(update_fields=["sex"])
    body = client.get(reverse("portal:child", args=[w.sofia.pk])).content.decode()
    assert "Docente, 5A" in body
    w.teacher.sex = "male"
    w.teacher.save(update_fields=["sex"])
    assert "Maestro, 5A" in client.get(reverse("portal:child", args=[w.sofia.pk])).content.decode()


@pytest.mark.django_db
def test_a_family_writing_to_a_teacher_reads_the_title_that_agrees():
    w = build_world()
    w.teacher.sex = "female"
    w.teacher.save(update_fields=["sex"])
    with translation.override("es"):
        [recipient] = recipients_for(w.ana)
        assert recipient.label == "Elena Rivera (maestra, 5A) — Sofia"
    w.teacher.sex = ""
    w.teacher.save(update_fields=["sex"])
    with translation.override("es"):
        assert recipients_for(w.ana)[0].label == "Elena Rivera (docente, 5A) — Sofia"


@pytest.mark.django_db
def test_a_ppt_invitation_names_each_staff_member_by_a_title_that_agrees():
    w = build_world()
    w.teacher.sex = "female"
    w.teacher.save(update_fields=["sex"])
    w.case_manager.sex = "male"
    w.case_manager.save(update_fields=["sex"])
    meeting = schedule(w, w.mateo)
    members = invitation_context(meeting, [w.rosa], "es", "Wei Chen")["members"].splitlines()
    assert "Elena Rivera: Maestra de educación general" in members
    assert "Wei Chen: Maestro o especialista de educación especial" in members
    assert "Grace Okafor: Representante del distrito" in members  # a title that reads the same for everyone


@pytest.mark.django_db
def test_a_team_chair_is_presidenta_when_the_roster_says_she_is_a_woman_and_presidencia_when_it_does_not():
    w = build_world()
    team = lincoln_team(w)
    client = Client()
    client.force_login(w.ana.user)
    url = reverse("programs:family_team", args=[team.pk])
    assert "Presidencia" in client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    w.teacher.sex = "female"
    w.teacher.save(update_fields=["sex"])
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Presidenta" in body and "Presidencia" not in body
