"""Compose in a real browser: from a student's page to one family with a file; draft → preview → edit → send;
the live progress page while deliveries complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from homeroom.core.models import OutboxEntry
from homeroom.messaging.models import Delivery, DeliveryState, Message

pytestmark = pytest.mark.e2e
PREVIEW = re.compile(r".*/messaging/\d+/$")
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _write(page, subject: str, body: str) -> None:
    page.get_by_label("Call-back name").fill("Ms. Rivera")
    page.get_by_label("Call-back number").fill("+12035550100")
    page.get_by_label("Subject (English)").fill(subject)
    page.get_by_label("Message (English)").fill(body)
    page.get_by_label("Subject (Spanish)").fill("Aviso")
    page.get_by_label("Message (Spanish)").fill("Lea el mensaje, por favor.")


def test_compose_from_a_student_page_to_one_family_with_a_file(world, context, page, sign_in, live_server, settings,
                                                               tmp_path: Path, assert_accessible):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = live_server.url
    slip = tmp_path / "permission-slip.pdf"
    slip.write_bytes(PDF)
    sign_in(context, "teacher")
    page.goto(reverse("roster:student", args=[world.sofia.pk]))
    page.get_by_role("button", name="Message this family").click()
    chips = page.locator("#audience-chips")
    assert "the family of Sofia Garcia" in chips.inner_text() and "1 student" in chips.inner_text()
    _write(page, "Museum trip", "Please sign the permission slip.")
    page.get_by_label("Attach files (optional)").set_input_files(str(slip))
    assert_accessible(page)
    page.get_by_role("button", name="Preview").click()
    page.wait_for_url(PREVIEW)
    assert "permission-slip.pdf" in page.locator("#preview-files").inner_text()
    assert "standard: 160 characters per text" in page.locator("#text-counter-en").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Send now").click()
    page.wait_for_url("**/report/")
    message = Message.objects.get()
    assert message.audience == {"kind": "family", "students": [world.sofia.pk]}
    texts = list(OutboxEntry.objects.filter(channel__in=["sms", "email"]).values_list("body", flat=True))
    assert texts
    # Sofia's family reads Spanish: "Archivo adjunto: permission-slip.pdf <link>".
    link = re.search(r"(?:Attached file|Archivo adjunto): permission-slip\.pdf (\S+)", texts[0])
    assert link and "Sofia" not in link[1]
    download = context.new_page().request.get(link[1])
    assert download.status == 200 and download.body() == PDF


def test_draft_preview_edit_preview_send(world, context, page, sign_in, assert_accessible):
    sign_in(context, "teacher")
    page.goto(reverse("messaging:compose"))
    assert "5A" in page.locator("#audience-chips").inner_text()  # a teacher starts on "My classes"
    assert page.get_by_label("Category").input_value() == "news"
    _write(page, "Field trip", "We visit the museum on Friday.")
    page.get_by_label("Message (English)").press_sequentially(" Bring lunch.")
    page.locator("#text-counter-en").wait_for()  # the live counter (htmx) while typing
    page.get_by_role("button", name="Preview").click()
    page.wait_for_url(PREVIEW)
    assert "We visit the museum on Friday. Bring lunch." in page.content()
    page.get_by_role("link", name="Edit").click()
    page.wait_for_url("**/edit/")
    assert page.get_by_label("Message (English)").input_value() == "We visit the museum on Friday. Bring lunch."
    page.get_by_label("Message (English)").fill("We visit the science museum on Friday.")
    page.get_by_label("Message (Spanish)").fill("Visitamos el museo de ciencias el viernes.")
    assert_accessible(page)
    page.get_by_role("button", name="Preview").click()
    page.wait_for_url(PREVIEW)
    assert "We visit the science museum on Friday." in page.content()
    assert Message.objects.count() == 1
    page.get_by_role("button", name="Send now").click()
    page.wait_for_url("**/report/")
    message = Message.objects.get()
    assert message.status in ("sending", "sent")
    assert message.contents.get(language="en").body == "We visit the science museum on Friday."
    bodies = list(OutboxEntry.objects.values_list("body", flat=True))
    assert bodies and all("museo de ciencias" in body or "science museum" in body for body in bodies)


def test_the_live_progress_page_follows_deliveries_as_they_complete(world, context, page, sign_in, settings,
                                                                    assert_accessible):
    from homeroom.messaging import services
    from tests.messaging.helpers import compose

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # no worker yet
    message = services.message_send(message=compose(world), user=world.user("principal"))
    waiting = Delivery.objects.filter(message=message, state__in=["planned", "queued"])
    total = waiting.count()
    assert total >= 2
    sign_in(context, "principal")
    page.goto(reverse("messaging:report", args=[message.pk]))
    assert page.locator("#progress-queued").inner_text() == str(total)
    assert page.locator("#report-not-reached").count() == 0  # queued families are not "not reached"
    assert_accessible(page)
    first = waiting.order_by("pk").first()
    Delivery.objects.filter(pk=first.pk).update(state=DeliveryState.FAILED)
    Delivery.objects.filter(message=message).exclude(pk=first.pk).update(state=DeliveryState.DELIVERED)
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENT)
    page.wait_for_function(
        "n => document.querySelector('#progress-delivered').textContent === String(n)", arg=total - 1, timeout=10000)
    assert page.locator("#progress-failed").inner_text() == "1"
    assert page.locator("#progress-queued").inner_text() == "0"
    assert page.locator("#send-progress").get_attribute("hx-trigger") is None  # polling stops when done
