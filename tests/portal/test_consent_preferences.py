"""The preferences page shows consent, its absence and an opt-out as three states, and changes only what the
family changed; every change is a row in the consent ledger, which the family reads on the same page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from homeroom.roster import reachability
from homeroom.roster.models import ConsentChange, Guardian

pytestmark = pytest.mark.django_db
URL = reverse("portal:preferences")


def _as_the_browser_submits(client):
    """Every field with the value the page showed, as a family pressing Save without changing anything."""
    form = client.get(URL).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value not in (None, ""):
            data[name] = value
    return data


def test_saving_the_page_untouched_records_no_opt_out_the_family_never_chose(world, client_for):
    client = client_for("paul")
    client.post(URL, _as_the_browser_submits(client))
    paul = Guardian.objects.get(pk=world.paul.pk)
    assert (paul.sms_opted_out_at, paul.voice_opted_out_at, paul.email_opted_out_at) == (None, None, None)
    assert reachability.consent_states(paul)[("voice", "news")] == "", "no consent is not an opt-out"


def test_saving_the_page_untouched_changes_no_consent_at_all(world, client_for):
    Guardian.objects.filter(pk=world.paul.pk).update(sms_consent_at=timezone.now(), sms_consent_source="sis_import")
    client = client_for("paul")
    before = reachability.consent_states(Guardian.objects.get(pk=world.paul.pk))
    client.post(URL, _as_the_browser_submits(client))
    assert reachability.consent_states(Guardian.objects.get(pk=world.paul.pk)) == before
    assert not ConsentChange.objects.exists()


def test_a_family_with_no_consent_on_file_sees_no_answer_not_no(world, client_for):
    form = client_for("paul").get(URL).context["form"]
    assert form["consent_voice_news"].value() == ""
    assert form["consent_sms_news"].value() == ""


def test_a_family_receiving_texts_is_told_so(world, client_for):
    html = client_for("paul").get(URL).content.decode()
    assert "Right now we may send you" in html
    assert "News (announcements" in html


def test_a_family_with_consent_on_file_sees_yes(world, client_for):
    Guardian.objects.filter(pk=world.paul.pk).update(sms_consent_at=timezone.now())
    assert client_for("paul").get(URL).context["form"]["consent_sms_news"].value() == "given"


def test_a_family_that_texted_stop_sees_no_and_is_told_why(world, client_for):
    Guardian.objects.filter(pk=world.paul.pk).update(sms_opted_out_at=timezone.now())
    response = client_for("paul").get(URL)
    assert response.context["form"]["consent_sms_news"].value() == "refused"
    assert "You asked us to stop these" in response.content.decode()


def test_no_answer_is_offered_only_while_it_is_true(world, client_for):
    client = client_for("paul")
    data = _as_the_browser_submits(client)
    client.post(URL, {**data, "consent_email_news": "given"})
    choices = [value for value, _label in client.get(URL).context["form"].fields["consent_email_news"].choices]
    assert choices == ["given", "refused"]


def test_texts_for_urgent_and_attendance_email_for_news_no_calls_for_news(world, client_for):
    client = client_for("paul")
    data = _as_the_browser_submits(client)
    client.post(URL, {**data, "consent_sms_urgent": "given", "consent_sms_attendance": "given",
                      "consent_email_news": "given", "consent_voice_news": "refused"})
    states = reachability.consent_states(Guardian.objects.get(pk=world.paul.pk))
    assert states[("sms", "urgent")] == states[("sms", "attendance")] == states[("email", "news")] == "given"
    assert states[("voice", "news")] == "refused"
    assert states[("sms", "news")] == "", "untouched answers stay unanswered"
    assert ConsentChange.objects.filter(guardian=world.paul, via="portal", by=world.paul.user).count() == 4


def test_the_family_reads_its_own_consent_history(world, client_for):
    client = client_for("paul")
    client.post(URL, {**_as_the_browser_submits(client), "consent_voice_news": "refused"})
    html = client.get(URL).content.decode()
    assert "Your consent history" in html
    assert "Automated phone calls · News (announcements, achievements, opportunities): No" in html
    assert "How: Family portal" in html and "By: You" in html


def test_the_history_reads_in_spanish(world, client_for):
    client = client_for("ana")
    client.post(URL, {**_as_the_browser_submits(client), "language": "es", "consent_voice_news": "refused"})
    html = client.get(URL).content.decode()
    assert "Historial de su consentimiento" in html
    assert "Llamadas automáticas · Noticias" in html and "Cómo: Portal para familias" in html and "Por: Usted" in html


def test_staff_see_the_consent_history_on_the_guardian_page(world, client_for):
    client = client_for("paul")
    client.post(URL, {**_as_the_browser_submits(client), "consent_voice_news": "refused"})
    html = client_for("other_teacher").get(reverse("roster:guardian", args=[world.paul.pk])).content.decode()
    assert "Consent history" in html
    assert "Automated phone calls · News (announcements, achievements, opportunities): No" in html
    assert "By: Paul Walsh" in html or f"By: {world.paul.user}" in html
