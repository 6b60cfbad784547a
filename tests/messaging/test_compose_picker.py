"""The audience picker: search (accents ignored), chips with counts, scoped per role, role defaults; POST only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homeroom.messaging.compose import picker
from homeroom.messaging.compose.audiences import AudienceError, audience_students
from homeroom.messaging.models import Message

pytestmark = pytest.mark.django_db
COMPOSE = "/messaging/new/"


def _keys(choices):
    return [c.key for c in choices]


def test_fold_ignores_accents_and_case():
    assert picker.fold("José NÚÑEZ") == "jose nunez"
    assert picker.matches("jose nunez", "José", "Núñez")
    assert picker.matches("núñez", "Jose", "Nunez")
    assert not picker.matches("jose", "Josefa"[:3])


def test_search_finds_a_student_by_name_without_accents_and_by_number(world):
    # A number outside the factories' sequences (students 100000 + n, phones +1475555nnnn), so no other family matches.
    world.sofia.given_name, world.sofia.identifier = "Sofía", "900234"
    world.sofia.save()
    teacher = world.user("teacher")
    assert f"family:{world.sofia.pk}" in _keys(picker.search(teacher, "sofia garcia"))
    assert _keys(picker.search(teacher, "90023")) == [f"family:{world.sofia.pk}"]


def test_a_teacher_cannot_add_a_school_a_grade_the_district_or_another_teachers_class(world):
    teacher = world.user("teacher")
    assert picker.choice_for_key(teacher, f"section:{world.section_5a.pk}") is not None
    assert picker.choice_for_key(teacher, f"section:{world.section_7b.pk}") is None
    assert picker.choice_for_key(teacher, f"school:{world.lincoln.pk}") is None
    assert picker.choice_for_key(teacher, f"grade:{world.lincoln.pk}:05") is None
    assert picker.choice_for_key(teacher, "district") is None
    assert picker.choice_for_key(teacher, f"family:{world.liam.pk}") is None
    offered = _keys(picker.suggestions(teacher)) + _keys(picker.search(teacher, "Lincoln")) + _keys(
        picker.search(teacher, "7B")) + _keys(picker.search(teacher, "grade 5"))
    assert f"section:{world.section_7b.pk}" not in offered
    assert not [k for k in offered if k.startswith(("school:", "grade:", "district"))]


def test_a_principal_may_add_their_school_and_its_grades_but_not_another_school(world):
    principal = world.user("principal")
    assert picker.choice_for_key(principal, f"school:{world.lincoln.pk}") is not None
    assert picker.choice_for_key(principal, f"school:{world.washington.pk}") is None
    assert f"grade:{world.lincoln.pk}:5" in _keys(picker.search(principal, "grade 5"))
    assert picker.choice_for_key(principal, "district") is None
    assert "district" in _keys(picker.suggestions(world.user("admin")))


def test_chips_count_families_and_students(world):
    chip = picker.chips(world.user("teacher"), [f"section:{world.section_5a.pk}"])[0]
    assert (chip.label, chip.students, chip.families) == ("5A", 2, 2)


def test_chips_of_several_kinds_make_one_mixed_audience_within_scope(world):
    teacher = world.user("case_manager")
    chips = picker.chips(teacher, ["caseload", f"family:{world.sofia.pk}"]) if picker.choice_for_key(
        teacher, f"family:{world.sofia.pk}") else picker.chips(teacher, ["caseload"])
    audience = picker.audience_for(chips)
    assert set(audience_students(teacher, audience)) >= {world.mateo}
    with pytest.raises(AudienceError):
        audience_students(world.user("teacher"), {"kind": "mixed", "parts": [
            {"kind": "sections", "sections": [world.section_5a.pk]},
            {"kind": "sections", "sections": [world.section_7b.pk]}]})


def test_a_teacher_starts_on_my_classes_and_news(world, client_for):
    page = client_for("teacher").get(COMPOSE)
    form = page.context["form"]
    assert [c.key for c in form.chips] == [f"section:{world.section_5a.pk}"]
    assert form.initial["category"] == "news"
    html = page.content.decode()
    assert 'name="pick" value="section:' in html and "2 families" in html and "2 students" in html
    assert "The whole district" not in html


def test_adding_and_removing_chips_posts_and_saves_nothing(world, client_for):
    client = client_for("teacher")
    data = {"pick": [f"section:{world.section_5a.pk}"], "category": "news", "find": "mateo", "do_find": "1"}
    page = client.post(COMPOSE, data)
    assert [c.key for c in page.context["offered"]] == [f"family:{world.mateo.pk}"]
    page = client.post(COMPOSE, {**data, "add": f"family:{world.mateo.pk}"})
    assert [c.key for c in page.context["form"].chips] == [f"section:{world.section_5a.pk}", f"family:{world.mateo.pk}"]
    page = client.post(COMPOSE, {**data, "pick": [f"section:{world.section_5a.pk}", f"family:{world.mateo.pk}"],
                                 "remove": f"section:{world.section_5a.pk}"})
    assert [c.key for c in page.context["form"].chips] == [f"family:{world.mateo.pk}"]
    assert not Message.objects.exists()


def test_a_forged_chip_for_another_teachers_class_is_dropped(world, client_for):
    response = client_for("teacher").post(COMPOSE, {
        "pick": [f"section:{world.section_7b.pk}"], "category": "news", "callback_name": "Ms. Rivera",
        "callback_phone": "+12035550100", "subject_en": "Hi", "body_en": "Hello", "do_preview": "1"})
    assert response.status_code == 200 and not Message.objects.exists()
    assert "Add at least one family" in response.content.decode()


def test_compose_with_chips_creates_the_message_for_those_chips(world, client_for):
    response = client_for("teacher").post(COMPOSE, {
        "pick": [f"section:{world.section_5a.pk}"], "category": "news", "callback_name": "Ms. Rivera",
        "callback_phone": "+12035550100", "subject_en": "Hi", "body_en": "Hello", "do_preview": "1"})
    assert response.status_code == 302
    assert Message.objects.get().audience == {"kind": "sections", "sections": [world.section_5a.pk]}


def test_message_this_class_opens_compose_on_the_class(world, client_for):
    client = client_for("teacher")
    html = client.get(reverse("roster:section", args=[world.section_5a.pk])).content.decode()
    assert "Message this class" in html
    from homeroom.messaging.compose.drafts import start_key

    page = client.post(COMPOSE, {"start": start_key(f"section:{world.section_5a.pk}"), "open_pick": "1"})
    assert [c.key for c in page.context["form"].chips] == [f"section:{world.section_5a.pk}"]
    forged = client.post(COMPOSE, {"start": start_key(f"section:{world.section_7b.pk}"), "open_pick": "1"})
    assert f"section:{world.section_7b.pk}" not in [c.key for c in forged.context["form"].chips]
