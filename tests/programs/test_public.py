"""The public school page's events: upcoming public ones only, and nothing about any person."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.utils import timezone

from homeroom.programs import events
from homeroom.programs.models import Event
from homeroom.programs.public import PublicEvent, upcoming_public_events
from tests.actors import build_world
from tests.programs.helpers import lincoln_event

pytestmark = pytest.mark.django_db


def test_only_upcoming_public_events_of_the_school_and_district_soonest_first():
    w = build_world()
    later = lincoln_event(w, days=9, title="Transition night")
    sooner = lincoln_event(w, days=3, title="Family math night")
    lincoln_event(w, title="Team-only training", public=False)
    past = lincoln_event(w, title="Last month's fair")
    Event.objects.filter(pk=past.pk).update(starts_at=timezone.now() - dt.timedelta(days=30),
                                            ends_at=timezone.now() - dt.timedelta(days=30, hours=-2))
    cancelled = lincoln_event(w, title="Cancelled picnic")
    Event.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    Event.objects.create(district=w.district, school=w.washington, title="Washington open house",
                         starts_at=timezone.now() + dt.timedelta(days=2),
                         ends_at=timezone.now() + dt.timedelta(days=2, hours=1), place="Gym")
    district_wide = Event.objects.create(district=w.district, school=None, title="District CAFÉ",
                                         starts_at=timezone.now() + dt.timedelta(days=5),
                                         ends_at=timezone.now() + dt.timedelta(days=5, hours=1), place="Central")
    titles = [e.title for e in upcoming_public_events(w.lincoln, limit=10)]
    assert titles == [sooner.title, district_wide.title, later.title]
    assert [e.title for e in upcoming_public_events(w.lincoln, limit=1)] == [sooner.title]


def test_no_rsvp_attendance_or_person_reaches_the_public_records():
    w = build_world()
    event = lincoln_event(w, capacity=10)
    events.rsvp_create(event=event, guardian=w.ana, data=events.RsvpInput(seats=2, interpreter_language="es"),
                       via="portal")
    events.attendance_record(event=event, guardian=w.ana, how="ticked", user=w.principal.user)
    [shown] = upcoming_public_events(w.lincoln, limit=5)
    assert {f.name for f in dataclasses.fields(PublicEvent)} == {
        "title", "kind", "kind_label", "description", "starts_at", "ends_at", "place", "video_link", "languages",
        "interpreters", "childcare", "seats_left"}
    text = repr(shown)
    for name in ("Ana", "Garcia", "Sofia", "Rivera", "Okafor"):
        assert name not in text
    assert shown.seats_left == 8
