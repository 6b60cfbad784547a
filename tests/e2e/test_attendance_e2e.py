"""A Spanish-speaking mother reads her daughter's attendance on a phone and sends the school a note."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from homeroom.attendance.models import AbsenceNote
from tests.actors import World
from tests.attendance.helpers import run_import
from tests.attendance.test_portal import recent_school_days

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "es-ES"}


def test_mother_reads_attendance_and_sends_a_note_on_a_phone(world: World, new_context, sign_in,
                                                             assert_accessible) -> None:
    days = recent_school_days(6)
    rows = [(world.sofia.sourced_id, d.isoformat(), "absent" if i < 2 else "present", "", "", "")
            for i, d in enumerate(days)]
    run_import(world, rows, today=timezone.localdate())
    context = new_context(**PHONE)
    sign_in(context, "ana", language="es")
    page = context.new_page()
    page.goto(reverse("portal:child_attendance", args=[world.sofia.pk]))

    expect(page.get_by_role("heading", name="Este año escolar")).to_be_visible()
    expect(page.get_by_text("4 de 6 días escolares")).to_be_visible()
    expect(page.get_by_role("heading", name="Notas que faltan")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Each absence, with why it counts as it does, is read without scrolling sideways (a table's last column was
    # cut off on a phone).
    absences = page.get_by_role("region", name="Ausencias", exact=True).get_by_role("listitem")
    expect(absences).to_have_count(2)
    for why in absences.locator("dd").all():
        box = why.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert_accessible(page)

    page.get_by_label("¿Qué ausencia?").select_option(days[0].isoformat())
    page.get_by_label("Su nota para la escuela").fill("Sofía tenía fiebre. Gracias.")
    page.get_by_role("button", name="Enviar la nota").click()

    expect(page.get_by_text("Gracias. Su nota se envió a la escuela.")).to_be_visible()
    expect(page.get_by_role("heading", name="Notas que usted envió")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    note: Any = AbsenceNote.objects.get()
    assert (note.student_id, note.guardian_id, note.state, note.day) == (world.sofia.pk, world.ana.pk, "pending",
                                                                         days[0])
