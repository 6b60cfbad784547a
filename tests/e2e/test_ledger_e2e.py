"""A family starts a conversation from the portal on a phone; the teacher sees the unread count and answers;
the exchange is one family-initiated conversation in the monthly contact log."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from homeroom.contacts.models import ContactLog, Direction, Source
from homeroom.messaging.models import Conversation
from tests.actors import World

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "es-ES"}


def _fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_family_starts_a_conversation_teacher_answers_and_the_log_counts_it_once(
    world: World, new_context: Any, sign_in: Any, assert_accessible: Any
) -> None:
    family = new_context(**PHONE)
    sign_in(family, "ana", language="es")
    page = family.new_page()
    page.goto(reverse("portal:inbox"))
    page.get_by_role("link", name="Escribir a un maestro o al administrador de caso").click()
    expect(page.get_by_role("heading", name="Escribir a la escuela")).to_be_visible()
    page.get_by_label("Elena Rivera", exact=False).check()
    page.get_by_label("Asunto").fill("Tarea de matemáticas")
    page.get_by_label("Su mensaje").fill("¿Cuál es la tarea de matemáticas para mañana?")
    assert _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("button", name="Enviar mensaje").click()
    expect(page.get_by_text("Su mensaje se envió.")).to_be_visible()
    expect(page.get_by_text("¿Cuál es la tarea de matemáticas para mañana?")).to_be_visible()
    assert _fits_the_screen(page)
    assert_accessible(page)

    staff = new_context()
    sign_in(staff, "teacher")
    teacher = staff.new_page()
    teacher.goto(reverse("contacts:my_week"))
    expect(teacher.locator("#nav-inbox")).to_contain_text("1 unread")
    teacher.locator("#nav-inbox").click()
    teacher.get_by_role("link", name="Tarea de matemáticas").click()
    teacher.locator("textarea[name=body]").fill("Las páginas 40 y 41. ¡Gracias por escribir!")
    teacher.locator("form button[type=submit]").last.click()
    expect(teacher.get_by_text("Las páginas 40 y 41.")).to_be_visible()
    expect(teacher.locator("#nav-inbox")).not_to_contain_text("unread")

    conversation = Conversation.objects.get()
    assert conversation.started_by_family and conversation.staff == world.teacher
    contact = ContactLog.objects.get()
    assert (contact.source, contact.direction, contact.staff) == (Source.CONVERSATION, Direction.FAMILY,
                                                                  world.teacher)

    teacher.goto(reverse("contacts:monthly_log"))
    rows = teacher.locator("#contact-log tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Family-initiated")
    expect(rows.first).to_contain_text("Conversation")
    expect(rows.first).to_contain_text("Family portal message")
    expect(teacher.locator(".counts")).to_contain_text("100%")
    expect(teacher.locator("#definitions")).to_contain_text("counts as family-initiated")
    assert_accessible(teacher)

    # The family sees the answer in their own thread.
    page.reload()
    expect(page.get_by_text("Las páginas 40 y 41.")).to_be_visible()
