"""Before sending: the preview counts the deliveries that will go out by language and by channel, and skips by why."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.utils import timezone

from homeroom.messaging.models import Delivery, Message
from tests import factories as f
from tests.messaging.helpers import compose
from tests.messaging.html_tables import html_table

pytestmark = pytest.mark.django_db


def _family(world: Any, given: str, family: str, language: str, **guardian: Any) -> Any:
    student = f.StudentFactory(district=world.district, school=world.lincoln, family_name=family)
    person = f.GuardianFactory(district=world.district, given_name=given, family_name=family, language=language,
                               **guardian)
    f.StudentGuardianFactory(student=student, guardian=person)
    return person


@pytest.fixture
def draft(world) -> Message:
    """A news draft to Lincoln: Ana (es) has opted out of texts, so email; Rosa (es) a text; Vera (es) a call;
    Paz (es) the portal; Mark (en) an email; Nora (en) has no contact details. Luis (no rights) never counts."""
    world.ana.sms_opted_out_at = timezone.now()
    world.ana.save()
    _family(world, "Mark", "Evans", "en", email="mark@family.example", channel_order=["email"])
    _family(world, "Nora", "Quinn", "en", email="", mobile_phone="")
    _family(world, "Vera", "Santos", "es", home_phone="+12035550177", channel_order=["voice"])
    _family(world, "Paz", "Ortega", "es", user=f.UserFactory(email="paz@family.example", language="es"),
            channel_order=["portal"])
    return compose(world)


def _preview(client: Any, message: Message) -> str:
    response = client.get(f"/messaging/{message.pk}/")
    assert response.status_code == 200
    return str(response.content.decode())


def test_preview_counts_deliveries_by_language(draft, client_for):
    table = html_table(_preview(client_for("principal"), draft), "preview-languages")
    assert table.columns == ["Language", "Deliveries"]
    assert table.rows == {"English": ["1"], "Spanish": ["4"]}


def test_preview_counts_deliveries_by_channel(draft, client_for):
    table = html_table(_preview(client_for("principal"), draft), "preview-channels")
    assert table.columns == ["Channel", "Deliveries"]
    assert table.rows == {"Email": ["2"], "Text message": ["1"], "Phone call": ["1"], "Family portal": ["1"]}
    assert list(table.rows) == ["Email", "Text message", "Phone call", "Family portal"]  # the roster's order


def test_preview_counts_what_will_not_go_out_by_reason(draft, client_for):
    html = _preview(client_for("principal"), draft)
    assert html_table(html, "preview-skipped").rows == {"No contact details": ["1"], "Opted out": ["1"]}
    assert '<p id="preview-guardians">6 family members</p>' in html


def test_preview_tables_have_captions_and_scoped_headers(draft, client_for):
    html = _preview(client_for("principal"), draft)
    for table_id in ("preview-languages", "preview-channels", "preview-skipped"):
        table = html_table(html, table_id)
        assert table.caption
        assert all(scope == "col" for _text, scope in table.head)
        assert table.body and all(row[0][0] == "th" and row[0][2] == "row" for row in table.body)


def test_preview_counts_match_what_is_then_sent(draft, client_for, django_capture_on_commit_callbacks):
    client = client_for("principal")
    html = _preview(client, draft)
    languages = html_table(html, "preview-languages").rows
    channels = html_table(html, "preview-channels").rows
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/messaging/{draft.pk}/send/")
    went_out = Delivery.objects.filter(message=draft).exclude(state="skipped")
    names = {"en": "English", "es": "Spanish", "email": "Email", "sms": "Text message", "voice": "Phone call",
             "portal": "Family portal"}
    assert {names[k]: [str(n)] for k, n in Counter(went_out.values_list("content_language", flat=True)).items()} \
        == languages
    assert {names[k]: [str(n)] for k, n in Counter(went_out.values_list("channel", flat=True)).items()} == channels


def test_preview_in_spanish_names_languages_and_channels_in_spanish(draft, world, client_for):
    user = world.user("principal")
    user.language = "es"
    user.save()
    html = _preview(client_for("principal"), draft)
    assert html_table(html, "preview-languages").rows == {"Inglés": ["1"], "Español": ["4"]}
    assert html_table(html, "preview-channels").rows == {
        "Correo electrónico": ["2"], "Mensaje de texto": ["1"], "Llamada telefónica": ["1"],
        "Portal para familias": ["1"]}
