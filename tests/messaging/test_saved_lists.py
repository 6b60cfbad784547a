"""Saved lists: staff create, edit and delete their own lists of families, only within scope, and send to them."""

from __future__ import annotations

import pytest

from homeroom.messaging.compose.saved_lists import saved_list_create
from homeroom.messaging.models import Delivery, SavedList
from homeroom.messaging.services import MessageError
from tests import factories as f
from tests.messaging.helpers import EN, compose, send

pytestmark = pytest.mark.django_db
INDEX, NEW = "/messaging/lists/", "/messaging/lists/new/"


def _edit_url(saved_list):
    return f"/messaging/lists/{saved_list.pk}/"


def _teachers_list(world, *students):
    return saved_list_create(owner_id=world.teacher.pk, name="5A families",
                             students=students or [world.sofia, world.mateo])


def _members(saved_list):
    return set(saved_list.students.values_list("id", flat=True))


def _ids(students):
    return [s.pk for s in students]


# --- Create, edit, delete --------------------------------------------------


def test_teacher_creates_a_list_of_families_in_their_class(world, client_for):
    response = client_for("teacher").post(NEW, {"name": "Reading group", "students": [world.sofia.pk],
                                                "action": "save"})
    assert response.status_code == 302 and response.url == INDEX
    saved_list = SavedList.objects.get()
    assert (saved_list.owner, saved_list.name, _members(saved_list)) == (world.teacher, "Reading group",
                                                                        {world.sofia.pk})


def test_a_list_needs_a_name_and_at_least_one_family(world, client_for):
    response = client_for("teacher").post(NEW, {"name": "", "action": "save"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"name", "students"}
    assert not SavedList.objects.exists()


def test_two_of_my_lists_cannot_share_a_name(world, client_for):
    _teachers_list(world)
    response = client_for("teacher").post(NEW, {"name": "5a FAMILIES", "students": [world.sofia.pk],
                                                "action": "save"})
    assert "name" in response.context["form"].errors
    assert SavedList.objects.count() == 1


def test_edit_renames_the_list_and_changes_its_families(world, client_for):
    saved_list = _teachers_list(world)
    response = client_for("teacher").post(_edit_url(saved_list), {"name": "Mateo only",
                                                                   "students": [world.mateo.pk], "action": "save"})
    assert response.status_code == 302
    saved_list.refresh_from_db()
    assert (saved_list.name, _members(saved_list)) == ("Mateo only", {world.mateo.pk})


def test_edit_page_shows_the_families_already_on_the_list_ticked(world, client_for):
    saved_list = _teachers_list(world, world.sofia)
    response = client_for("teacher").get(_edit_url(saved_list))
    assert _ids(response.context["chosen"]) == [world.sofia.pk]
    assert _ids(response.context["candidates"]) == [world.mateo.pk]
    assert f'value="{world.sofia.pk}" checked' in response.content.decode()


def test_delete_asks_first_then_removes_the_list(world, client_for):
    saved_list = _teachers_list(world)
    client = client_for("teacher")
    assert client.get(f"/messaging/lists/{saved_list.pk}/delete/").status_code == 200
    assert SavedList.objects.filter(pk=saved_list.pk).exists()
    response = client.post(f"/messaging/lists/{saved_list.pk}/delete/")
    assert response.status_code == 302 and not SavedList.objects.filter(pk=saved_list.pk).exists()
    assert world.sofia.__class__.objects.filter(pk=world.sofia.pk).exists()  # members are only unlinked


def test_my_lists_page_shows_only_my_own_lists(world, client_for):
    _teachers_list(world)
    saved_list_create(owner_id=world.principal.pk, name="PTA volunteers", students=[world.sofia])
    teacher_page = client_for("teacher").get(INDEX).content.decode()
    principal_page = client_for("principal").get(INDEX).content.decode()
    assert "5A families" in teacher_page and "PTA volunteers" not in teacher_page
    assert "PTA volunteers" in principal_page and "5A families" not in principal_page


# --- Scope -----------------------------------------------------------------


def test_picker_offers_only_families_the_teacher_works_with(world, client_for):
    response = client_for("teacher").get(NEW)
    assert set(_ids(response.context["candidates"])) == {world.sofia.pk, world.mateo.pk}
    page = response.content.decode()
    assert "Liam" not in page and "Paul Walsh" not in page


def test_picker_names_only_family_members_who_may_get_messages(world, client_for):
    page = client_for("teacher").get(NEW).content.decode()
    assert "Ana Garcia" in page and "Luis Garcia" not in page  # Luis has no educational rights


def test_teacher_cannot_add_a_family_outside_their_sections(world, client_for):
    response = client_for("teacher").post(NEW, {"name": "Sneaky", "students": [world.sofia.pk, world.liam.pk],
                                                "action": "save"})
    assert response.status_code == 200
    assert "students" in response.context["form"].errors
    assert not SavedList.objects.exists()
    assert _ids(response.context["chosen"]) == [world.sofia.pk]  # the outsider is not carried along


def test_teacher_cannot_add_a_family_outside_their_sections_when_editing(world, client_for):
    saved_list = _teachers_list(world)
    client_for("teacher").post(_edit_url(saved_list), {"name": "5A families", "students": [world.liam.pk],
                                                       "action": "save"})
    assert _members(saved_list) == {world.sofia.pk, world.mateo.pk}


@pytest.mark.parametrize("actor", ["principal", "admin", "other_teacher", "case_manager"])
def test_another_staff_member_gets_404_for_my_list(world, client_for, actor):
    saved_list = _teachers_list(world)
    client = client_for(actor)
    assert client.get(_edit_url(saved_list)).status_code == 404
    assert client.post(_edit_url(saved_list), {"name": "Mine now", "students": [world.sofia.pk],
                                               "action": "save"}).status_code == 404
    assert client.post(f"/messaging/lists/{saved_list.pk}/delete/").status_code == 404
    saved_list.refresh_from_db()
    assert saved_list.name == "5A families" and _members(saved_list) == {world.sofia.pk, world.mateo.pk}


def test_families_are_not_offered_from_a_class_outside_scope(world, client_for):
    response = client_for("teacher").post(NEW, {"section": world.section_7b.pk, "action": "filter"})
    assert "section" in response.context["filter_form"].errors
    assert world.liam.pk not in _ids(response.context["candidates"])


# --- Finding families among many ---------------------------------------------


@pytest.fixture
def fourth_grade(world):
    """Another Lincoln class (4B) with Noah, whose mother is Gina Novak."""
    section = f.SectionFactory(district=world.district, school=world.lincoln, title="4B")
    noah = f.StudentFactory(district=world.district, school=world.lincoln, given_name="Noah", family_name="Novak",
                            grade="04")
    f.EnrollmentFactory(section=section, student=noah)
    gina = f.GuardianFactory(district=world.district, given_name="Gina", family_name="Novak")
    f.StudentGuardianFactory(student=noah, guardian=gina)
    return section, noah


def test_filtering_by_class_shows_only_that_class(world, client_for, fourth_grade):
    section, noah = fourth_grade
    response = client_for("principal").post(NEW, {"section": section.pk, "action": "filter"})
    assert _ids(response.context["candidates"]) == [noah.pk]


def test_filtering_by_grade_shows_only_that_grade(world, client_for, fourth_grade):
    _section, noah = fourth_grade
    response = client_for("principal").post(NEW, {"grade": "4", "action": "filter"})
    assert _ids(response.context["candidates"]) == [noah.pk]


def test_search_finds_a_family_by_a_guardians_name(world, client_for, fourth_grade):
    response = client_for("principal").post(NEW, {"q": "rosa", "action": "filter"})
    assert _ids(response.context["candidates"]) == [world.mateo.pk]


def test_filtering_keeps_the_families_already_ticked(world, client_for, fourth_grade):
    _section, noah = fourth_grade
    response = client_for("principal").post(NEW, {"q": "Novak", "students": [world.sofia.pk], "action": "filter"})
    assert _ids(response.context["chosen"]) == [world.sofia.pk]
    assert _ids(response.context["candidates"]) == [noah.pk]
    assert not SavedList.objects.exists()


def test_add_everyone_shown_ticks_a_whole_class(world, client_for, fourth_grade):
    response = client_for("principal").post(NEW, {"section": world.section_5a.pk, "action": "add_shown"})
    assert set(_ids(response.context["chosen"])) == {world.sofia.pk, world.mateo.pk}
    assert _ids(response.context["candidates"]) == []


def test_picker_shows_a_limited_number_and_says_there_are_more(world, client_for, monkeypatch):
    from homeroom.messaging.compose import saved_lists

    monkeypatch.setattr(saved_lists, "CANDIDATE_LIMIT", 1)
    response = client_for("teacher").get(NEW)
    assert len(response.context["candidates"]) == 1 and response.context["more"]


# --- Sending to a list --------------------------------------------------------


def _list_message(world, saved_list, actor="teacher"):
    return compose(world, actor, audience={"kind": "list", "lists": [saved_list.pk]}, contents=[EN])


def test_message_to_a_saved_list_reaches_exactly_its_members(world, django_capture_on_commit_callbacks):
    f.StudentGuardianFactory(student=world.sofia, guardian=f.GuardianFactory(district=world.district,
                                                                              given_name="Marta"))
    saved_list = _teachers_list(world, world.sofia)
    message = send(world, _list_message(world, saved_list), django_capture_on_commit_callbacks, actor="teacher")
    reached = set(Delivery.objects.filter(message=message).exclude(state="skipped")
                  .values_list("guardian_id", flat=True))
    marta = world.sofia.guardian_links.get(guardian__given_name="Marta").guardian_id
    assert reached == {world.ana.pk, marta}  # not Rosa (Mateo's), not Luis (no rights)
    assert Delivery.objects.filter(message=message, state="sent").exists()


def test_family_who_left_the_teachers_class_gets_nothing_from_the_list(world, django_capture_on_commit_callbacks,
                                                                        client_for):
    saved_list = _teachers_list(world)
    world.mateo.enrollments.filter(section=world.section_5a).update(is_active=False)
    message = send(world, _list_message(world, saved_list), django_capture_on_commit_callbacks, actor="teacher")
    assert set(Delivery.objects.filter(message=message).values_list("guardian_id", flat=True)) == {world.ana.pk}
    page = client_for("teacher").get(_edit_url(saved_list))
    assert page.context["unreachable"] == 1 and _ids(page.context["chosen"]) == [world.sofia.pk]


def test_another_staff_member_cannot_send_to_my_list(world):
    saved_list = _teachers_list(world)
    with pytest.raises(MessageError):
        _list_message(world, saved_list, actor="principal")


def test_compose_offers_my_lists_only(world, client_for):
    _teachers_list(world)
    assert "5A families" in client_for("teacher").get("/messaging/new/").content.decode()
    assert "5A families" not in client_for("principal").get("/messaging/new/").content.decode()


def _selected(html: str, field: str) -> list[str]:
    """The values selected (a <select>) or checked (inputs) in one field of a rendered form."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        chosen: list[str] = []
        select = ""

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "select":
                self.select = a.get("name") or ""
            elif ((tag == "option" and self.select == field and "selected" in a)
                  or (tag == "input" and a.get("name") == field and "checked" in a)):
                self.chosen.append(a.get("value") or "")

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = ""

    reader = Reader()
    reader.chosen = []
    reader.feed(html)
    return reader.chosen


def test_message_this_list_starts_compose_on_my_list(world, client_for):
    saved_list = _teachers_list(world)
    teacher = client_for("teacher")
    index = teacher.get(INDEX).content.decode()
    assert f'href="/messaging/new/?list={saved_list.pk}"' in index
    html = teacher.get(f"/messaging/new/?list={saved_list.pk}").content.decode()
    # The list is the one chip compose starts on (the picker, compose.picker).
    assert f'name="pick" value="list:{saved_list.pk}"' in html
    assert "List: 5A families" in html


@pytest.mark.parametrize("query", ["?list=999999", "?list=abc", "?list=-1", ""])
def test_compose_ignores_a_list_that_is_not_mine_or_not_a_list(world, client_for, query):
    saved_list = _teachers_list(world)
    principal = client_for("principal")
    html = principal.get(f"/messaging/new/{query or f'?list={saved_list.pk}'}").content.decode()
    assert _selected(html, "lists") == []
    assert "5A families" not in html
