"""Messaging in a real browser: a principal composes, previews, sends to a school and reads the report."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homeroom.core.models import OutboxEntry
from homeroom.messaging.models import Message

pytestmark = pytest.mark.e2e


def test_principal_composes_previews_sends_to_a_school_and_reads_the_report(world, context, page, sign_in,
                                                                            assert_accessible):
    sign_in(context, "principal")
    page.goto(reverse("messaging:list"))
    page.get_by_role("link", name="New message").click()
    page.get_by_label("Category").select_option("reminder")
    page.get_by_role("button", name="Add Lincoln Elementary").click()  # the audience picker's chip
    page.get_by_label("Call-back name").fill("Front office")
    page.get_by_label("Call-back number").fill("+12035550100")
    page.get_by_label("Subject (English)").fill("Conferences on Friday")
    page.get_by_label("Message (English)").fill("Parent conferences are on Friday afternoon.")
    page.get_by_label("Subject (Spanish)").fill("Conferencias el viernes")
    page.get_by_label("Message (Spanish)").fill("Las conferencias de padres son el viernes por la tarde.")
    assert_accessible(page)
    page.get_by_role("button", name="Preview").click()
    page.wait_for_url("**/messaging/*/")
    assert page.locator("#preview-guardians").inner_text() == "2 family members"  # Ana and Rosa; never Luis
    assert_accessible(page)
    page.get_by_role("button", name="Send now").click()
    page.wait_for_url("**/report/")
    # The dev outbox accepts the texts but never confirms delivery: sent, not reached (messaging.reached).
    assert page.locator("#reached").inner_text() == "0.0% (0)"
    assert page.locator("#not-reached-count").inner_text() == "2 (2 sent, not confirmed)"
    assert_accessible(page)
    assert Message.objects.get().status == "sent"
    assert set(OutboxEntry.objects.filter(channel="sms").values_list("to", flat=True)) == {
        world.ana.mobile_phone, world.rosa.mobile_phone}
