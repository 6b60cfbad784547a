"""RSVPs: from the portal or a signed link without an account, seats, changes, .ics and reminders."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homeroom.messaging.models import Message
from homeroom.programs import events
from homeroom.programs.models import Event, Rsvp
from tests.actors import build_world
from tests.programs.helpers import lincoln_event

pytestmark = pytest.mark.django_db


def test_a_family_answers_through_its_signed_link_without_an_account():
    w = build_world()
    event = lincoln_event(w, capacity=20)
    url = reverse("programs:rsvp_link", args=[events.link_token(event, w.rosa)])
    page = Client().get(url)
    assert page.status_code == 200
    assert "Family math night" in page.content.decode()
    answer = Client().post(url, {"seats": "3", "interpreter_language": "es", "childcare_children": "1"})
    assert answer.status_code == 302
    rsvp = Rsvp.objects.get()
    assert (rsvp.guardian, rsvp.seats, rsvp.interpreter_language, rsvp.via) == (w.rosa, 3, "es", "link")
    assert Event.objects.get().seats_taken == 3


def test_a_forged_or_other_events_link_is_refused():
    w = build_world()
    event = lincoln_event(w)
    token = events.link_token(event, w.rosa)
    assert Client().get(reverse("programs:rsvp_link", args=[token[:-2] + "xx"])).status_code == 404
    assert events.read_token(token) == (event.pk, w.rosa.pk)
    assert events.read_token("e30:forged:sig") is None


def test_an_expired_link_is_refused(settings):
    w = build_world()
    event = lincoln_event(w)
    token = events.link_token(event, w.rosa)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=events.LINK_MAX_AGE + 60)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.core.signing.time.time", lambda: later.timestamp())
        assert events.read_token(token) is None


def test_answering_again_replaces_the_answer_and_frees_the_seats():
    w = build_world()
    event = lincoln_event(w, capacity=5)
    events.rsvp_create(event=event, guardian=w.ana, data=events.RsvpInput(seats=4), via="portal")
    events.rsvp_create(event=event, guardian=w.ana, data=events.RsvpInput(seats=2), via="portal")
    assert Rsvp.objects.filter(cancelled_at__isnull=True).count() == 1
    assert Event.objects.get().seats_taken == 2
    events.rsvp_cancel(rsvp=Rsvp.objects.get(cancelled_at__isnull=True))
    assert Event.objects.get().seats_taken == 0


def test_a_full_event_says_so_and_takes_nobody_more():
    w = build_world()
    event = lincoln_event(w, capacity=2)
    events.rsvp_create(event=event, guardian=w.ana, data=events.RsvpInput(seats=2), via="portal")
    with pytest.raises(events.EventFull):
        events.rsvp_create(event=event, guardian=w.rosa, data=events.RsvpInput(seats=1), via="link")
    assert Event.objects.get().seats_taken == 2
    assert not Rsvp.objects.filter(guardian=w.rosa).exists()


def test_the_portal_rsvp_and_its_ics(client):
    w = build_world()
    event = lincoln_event(w)
    client.force_login(w.ana.user)
    assert client.post(reverse("programs:family_event", args=[event.pk]), {"seats": "2"}).status_code == 302
    ics = client.get(reverse("programs:family_event_ics", args=[event.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert "BEGIN:VEVENT" in body and "SUMMARY:Family math night" in body and "LOCATION:Lincoln gym" in body


def test_another_schools_family_cannot_open_the_event_in_the_portal(client):
    w = build_world()
    event = lincoln_event(w)
    client.force_login(w.paul.user)
    assert client.get(reverse("programs:family_event", args=[event.pk])).status_code == 404


def test_invitations_go_through_messaging_with_each_familys_own_link():
    w = build_world()
    event = lincoln_event(w)
    sent = events.event_invite(event=event, user=w.principal.user)
    assert sent == 2  # Sofia's family and Mateo's family
    messages = Message.objects.filter(audience__kind="family")
    assert messages.count() == 2
    bodies = [c.body for m in messages for c in m.contents.all()]
    holders = {events.read_token(token) for body in bodies for token in re.findall(r"/programs/r/([^/\s]+)/", body)}
    # One link per family, answering for the guardian with rights (never Luis, Sofia's father without them).
    assert holders == {(event.pk, w.ana.pk), (event.pk, w.rosa.pk)}


def test_reminders_go_once_the_day_before():
    w = build_world()
    event = lincoln_event(w, days=1)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() + dt.timedelta(hours=20),
                                             ends_at=timezone.now() + dt.timedelta(hours=22))
    events.rsvp_create(event=Event.objects.get(), guardian=w.ana, data=events.RsvpInput(), via="portal")
    assert events.reminders_send() == 1
    assert events.reminders_send() == 0
    assert Message.objects.filter(category="reminder").count() == 1
