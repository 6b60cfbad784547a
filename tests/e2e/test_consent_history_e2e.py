"""A family's consent history on the portal preferences page, on a 360 px phone, in English and Spanish:
what changed, how and by whom reads correctly, the family's own change lands in it, and axe finds nothing
serious."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from homeroom.roster import reachability
from homeroom.roster.models import ConsentVia

PHONE = {"viewport": {"width": 360, "height": 740}}
# language → what each kind of ledger row must read like on the page.
EXPECTED = {
    "en": {
        "heading": "Your consent history",
        "stop": "Text messages · All messages: Stopped",
        "stop_how": "How: Text message (STOP)",
        "staff": "Email · Reminder (days off, report cards, conferences, events): Yes",
        "staff_how": "How: School staff, during a contact",
        "mine": "Automated phone calls · News (announcements, achievements, opportunities): No",
        "mine_how": "How: Family portal",
        "mine_who": "By: You",
        "before": "Before: No answer yet",
        "save": "Save",
        "no": "No",
    },
    "es": {
        "heading": "Historial de su consentimiento",
        "stop": "Mensajes de texto · Todos los mensajes: Detenidos",
        "stop_how": "Cómo: Mensaje de texto (STOP)",
        "staff": "Correo electrónico · Recordatorio (días libres, boletas de calificaciones, reuniones, eventos): Sí",
        "staff_how": "Cómo: Personal de la escuela, durante un contacto",
        "mine": "Llamadas automáticas · Noticias (anuncios, logros, oportunidades): No",
        "mine_how": "Cómo: Portal para familias",
        "mine_who": "Por: Usted",
        "before": "Antes: Todavía sin respuesta",
        "save": "Guardar",
        "no": "No",
    },
}


def _fits_the_screen(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(("actor", "language"), [("paul", "en"), ("ana", "es")])
def test_consent_history_reads_correctly_on_a_phone(world, new_context, sign_in, assert_accessible, actor,
                                                    language):
    guardian = getattr(world, actor)
    earlier = timezone.now() - dt.timedelta(days=3)
    reachability.consent_record(guardian=guardian, channel="sms", category="", state="refused",
                                via=ConsentVia.STOP_TEXT, detail="STOP", now=earlier)
    reachability.consent_record(guardian=guardian, channel="email", category="reminder", state="given",
                                via=ConsentVia.STAFF, by=world.teacher.user, now=earlier + dt.timedelta(days=1))
    words = EXPECTED[language]
    context = new_context(**PHONE)
    sign_in(context, actor, language=language)
    page = context.new_page()
    response = page.goto(reverse("portal:preferences"))
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == language

    # The family answers one question on the page and saves: no JavaScript needed, nothing else changes.
    page.get_by_role("group", name=words["mine"].split(" · ")[0]).get_by_label(
        words["mine"].split(" · ")[1].rsplit(":", 1)[0]).select_option("refused")
    page.get_by_role("button", name=words["save"]).click()
    page.wait_for_load_state()

    history = page.locator("section.consent-history")
    assert history.get_by_role("heading", name=words["heading"]).is_visible()
    items = history.locator("li")
    assert items.count() == 3
    newest, staff, stop = (items.nth(i).inner_text() for i in range(3))
    assert words["mine"] in newest and words["mine_how"] in newest and words["mine_who"] in newest
    assert words["before"] in newest
    assert words["staff"] in staff and words["staff_how"] in staff and "Elena Rivera" in staff
    assert words["stop"] in stop and words["stop_how"] in stop
    assert _fits_the_screen(page)
    assert_accessible(page)
