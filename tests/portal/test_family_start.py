"""Families start conversations: in the portal with their child's teachers or case manager, by text, by email;
staff see one inbox per person with their own unread count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homeroom.contacts.models import ContactLog, Direction, Method
from homeroom.messaging import family_start, selectors, services
from homeroom.messaging.conversations.inbound import sms_inbound
from homeroom.messaging.models import Conversation

pytestmark = pytest.mark.django_db


def _keys(world, guardian):
    return {(r.staff, r.student, r.role) for r in family_start.recipients_for(guardian)}


def test_a_family_may_write_only_to_staff_tied_to_their_child(world):
    assert _keys(world, world.ana) == {(world.teacher, world.sofia, "teacher")}
    assert _keys(world, world.rosa) == {(world.case_manager, world.mateo, "case_manager"),
                                        (world.teacher, world.mateo, "teacher")}
    # The case manager comes first: a text to the school from Rosa goes to him.
    assert family_start.route_for(world.rosa).staff == world.case_manager


def test_a_guardian_without_rights_for_a_child_is_offered_nobody(world, client_for):
    assert family_start.recipients_for(world.luis) == []
    page = client_for("luis").get(reverse("portal:conversation_start"))
    assert page.status_code == 200
    assert page.context["recipients"] == []
    assert "Todavía no hay aquí ningún maestro" in page.content.decode()  # Luis reads Spanish
    response = client_for("luis").post(reverse("portal:conversation_start"), {
        "recipient": f"{world.sofia.pk}-{world.teacher.pk}", "body": "Hello"})
    assert response.status_code == 200
    assert not Conversation.objects.exists()


def test_the_family_writes_from_the_portal_and_the_teacher_gets_it_unread(world, client_for,
                                                                          django_capture_on_commit_callbacks):
    ana = client_for("ana")
    with django_capture_on_commit_callbacks(execute=True):
        response = ana.post(reverse("portal:conversation_start"), {
            "recipient": f"{world.sofia.pk}-{world.teacher.pk}", "subject": "Tarea",
            "body": "¿Cuál es la tarea de matemáticas?"})
    conversation = Conversation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:conversation",
                                                                            args=[conversation.pk])
    assert (conversation.staff, conversation.student, conversation.started_by_family) == (
        world.teacher, world.sofia, True)
    assert selectors.staff_unread_count(world.teacher.user) == 1
    assert selectors.staff_unread_count(world.case_manager.user) == 0
    nav = client_for("teacher").get(reverse("contacts:my_week")).content.decode()
    assert "1 unread" in nav
    contact = ContactLog.objects.get()
    assert (contact.staff, contact.direction, contact.method) == (world.teacher, Direction.FAMILY, Method.PORTAL)


def test_a_family_cannot_write_to_staff_of_another_child_by_editing_the_form(world, client_for):
    response = client_for("ana").post(reverse("portal:conversation_start"), {
        "recipient": f"{world.mateo.pk}-{world.case_manager.pk}", "body": "Hola"})
    assert response.status_code == 200
    assert "recipient" in response.context["form"].errors
    assert not Conversation.objects.exists()


def test_the_portal_page_is_in_spanish_for_a_spanish_family(world, client_for):
    client = client_for("ana")
    client.cookies["django_language"] = "es"
    html = client.get(reverse("portal:conversation_start")).content.decode()
    assert "Escribir a la escuela" in html


def test_a_text_to_the_schools_number_without_an_open_thread_starts_a_routed_conversation(world):
    result = sms_inbound(from_number=world.rosa.mobile_phone, body="Mateo está enfermo hoy")
    assert result.kind == "reply"
    conversation = Conversation.objects.get()
    assert (conversation.staff, conversation.student, conversation.school, conversation.started_by_family) == (
        world.case_manager, world.mateo, world.lincoln, True)
    assert conversation in selectors.staff_own_inbox_for(world.case_manager.user)


def test_a_text_within_an_open_thread_continues_it(world):
    sms_inbound(from_number=world.rosa.mobile_phone, body="Mateo está enfermo hoy")
    sms_inbound(from_number=world.rosa.mobile_phone, body="Vuelve mañana")
    assert Conversation.objects.count() == 1
    assert Conversation.objects.get().entries.count() == 2


def test_read_state_is_per_person(world, client_for):
    entry = sms_inbound(from_number=world.ana.mobile_phone, body="Hola") and Conversation.objects.get()
    principal = client_for("principal")
    principal.get(reverse("messaging:conversation", args=[entry.pk]))  # the principal reads it (school-wide view)
    assert selectors.staff_inbox_for(world.principal.user).get(pk=entry.pk).unread == 0
    assert selectors.staff_inbox_for(world.teacher.user).get(pk=entry.pk).unread == 1
    assert selectors.staff_unread_count(world.teacher.user) == 1
    client_for("teacher").get(reverse("messaging:conversation", args=[entry.pk]))
    assert selectors.staff_unread_count(world.teacher.user) == 0


def test_answering_clears_the_answerers_count(world, django_capture_on_commit_callbacks):
    sms_inbound(from_number=world.ana.mobile_phone, body="Hola")
    conversation = Conversation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_reply(conversation=conversation, author_user=world.teacher.user, body="Hola, Ana")
    assert selectors.staff_unread_count(world.teacher.user) == 0
    sms_inbound(from_number=world.ana.mobile_phone, body="Gracias")
    assert selectors.staff_unread_count(world.teacher.user) == 1
