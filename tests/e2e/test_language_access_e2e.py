"""Language access in a real browser: no silent English for a Haitian Creole family, and the machine-translation
notice a family reads in the portal."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from homeroom.languages.models import FallbackAcknowledgement
from homeroom.messaging.models import ConversationEntry, Message
from tests import factories as f
from tests.languages.standins import LibreTranslateStandIn

pytestmark = pytest.mark.e2e


@pytest.fixture
def marie(world) -> Any:
    """Jean Pierre joins 5A; his mother Marie reads Haitian Creole and reads her messages in the portal."""
    jean = f.StudentFactory(district=world.district, school=world.lincoln, given_name="Jean", family_name="Pierre")
    f.EnrollmentFactory(section=world.section_5a, student=jean)
    guardian = f.GuardianFactory(district=world.district, given_name="Marie", family_name="Pierre", language="ht",
                                 email="marie@family.example", channel_order=["email"],
                                 user=f.UserFactory(email="marie@family.example", language="ht"))
    f.StudentGuardianFactory(student=jean, guardian=guardian, relationship="mother")
    return guardian


def _sign_in_user(context: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME]
                          .value, "url": live_server.url}])


def _compose_to_5a(page: Any, world: Any) -> None:
    page.goto(reverse("messaging:compose"))
    page.get_by_label("Category").select_option("news")
    assert "5A" in page.locator("#audience-chips").inner_text()  # a teacher starts on their classes
    page.get_by_label("Call-back name").fill("Ms. Rivera")
    page.get_by_label("Call-back number").fill("+12035550100")
    page.get_by_label("Subject (English)").fill("Field trip")
    page.get_by_label("Message (English)").fill("We visit the museum on Friday.")
    page.get_by_label("Subject (Spanish)").fill("Excursión")
    page.get_by_label("Message (Spanish)").fill("Visitamos el museo el viernes.")


def test_no_machine_translation_the_sender_must_agree_before_english_goes_to_a_haitian_family(
        world, marie, context, page, sign_in, assert_accessible):
    sign_in(context, "teacher")
    _compose_to_5a(page, world)
    page.get_by_role("button", name="Check languages").click()
    languages = page.locator("#audience-languages")
    assert "Haitian Creole" in languages.inner_text() and "English instead" in languages.inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Preview").click()
    page.wait_for_url("**/messaging/*/")
    # The refusal is on the preview before any click, and Send stays disabled until the box is ticked.
    refusal = page.locator("#send-error")
    assert "1 family reads Haitian Creole" in refusal.inner_text() and refusal.get_attribute("role") == "alert"
    assert page.get_by_role("button", name="Send now").is_disabled()
    message = Message.objects.get()
    assert message.status == "draft"
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 800})
    page.get_by_label("Send in English to 1 family who reads Haitian Creole").check()
    page.get_by_role("button", name="Confirm these languages").click()
    page.get_by_role("button", name="Send now").click()
    page.wait_for_url("**/report/")
    message.refresh_from_db()
    assert message.status in ("sending", "sent")
    ack = FallbackAcknowledgement.objects.get(message=message)
    assert (ack.language, ack.families, ack.acknowledged_by_id) == ("ht", 1, world.teacher.user_id)
    assert "Haitian Creole" in page.locator("#report-home-languages").inner_text()
    assert_accessible(page)


def test_with_machine_translation_the_family_reads_the_notice_in_the_portal_and_staff_read_her_reply(
        world, marie, context, new_context, page, sign_in, live_server, assert_accessible):
    with LibreTranslateStandIn() as standin:
        settings.MESSAGING_TRANSLATION_PROVIDER = "libretranslate"
        settings.MESSAGING_TRANSLATION_URL = standin.url
        try:
            sign_in(context, "teacher")
            _compose_to_5a(page, world)
            page.get_by_role("button", name="Preview").click()
            page.wait_for_url("**/messaging/*/")
            assert "Haitian Creole, machine translation" in page.locator("#audience-languages").inner_text()
            page.get_by_role("button", name="Send now").click()
            page.wait_for_url("**/report/")
            family = new_context()
            _sign_in_user(family, live_server, marie.user)
            portal = family.new_page()
            portal.set_viewport_size({"width": 360, "height": 800})
            portal.goto(reverse("portal:inbox"))
            portal.get_by_role("link", name="[ht] Field trip").click()
            text = portal.locator("main").inner_text()
            assert "[ht] We visit the museum on Friday." in text
            # The notice comes from the Kreyòl catalogue (a language without one gets it machine-translated too).
            assert "Se yon òdinatè ki tradui mesaj sa a otomatikman" in text
            assert "Ou ka reponn nan pwòp lang ou" in text
            assert_accessible(portal)
            # She answers in Haitian Creole; her teacher reads it translated, with her own words beside it.
            portal.get_by_label("Repons ou").fill("Mèsi, Jean ap la.")
            portal.get_by_role("button", name="Voye repons lan").click()
            portal.get_by_text("Repons ou a voye.").wait_for()
            entry = ConversationEntry.objects.get(from_guardian=True)
            page.goto(reverse("messaging:conversation", args=[entry.conversation_id]))
            thread = page.locator("main").inner_text()
            assert "Mèsi, Jean ap la." in thread and "Machine translation: [en] Mèsi, Jean ap la." in thread
            assert_accessible(page)
            # The exchange is in the monthly contact log once: the school's message, answered, is one conversation.
            page.goto(reverse("contacts:monthly_log"))
            row = page.locator("table tbody tr", has_text="Jean Pierre")
            expect(row).to_have_count(1)
            expect(row).to_contain_text("Conversation")
        finally:
            settings.MESSAGING_TRANSLATION_PROVIDER = ""
            settings.MESSAGING_TRANSLATION_URL = ""
