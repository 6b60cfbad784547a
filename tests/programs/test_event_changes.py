"""Editing and cancelling events, the invitation task, and editing practices and discussions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from homeroom.messaging.models import Message
from homeroom.programs import events, learning, tasks
from homeroom.programs.models import Event, EventInvitation, Rsvp
from tests.actors import build_world
from tests.programs.helpers import lincoln_event

pytestmark = pytest.mark.django_db


def _ics_event(content: bytes):  # type: ignore[no-untyped-def]
    return next(iter(Calendar.from_ical(content).walk("VEVENT")))


def _form(event: Event, **changes: str) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": event.kind, "title": event.title, "description": event.description,
        "starts_at": events.timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": events.timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "place": event.place, "video_link": event.video_link, "languages": event.languages,
        "interpreters": "on", "childcare": "on" if event.childcare else "", "is_public": "on"}
    return data | changes


def test_cancelling_tells_only_the_families_who_said_yes_in_their_language(client):
    w = build_world()
    event = lincoln_event(w)
    events.rsvp_create(event=event, guardian=w.ana, data=events.RsvpInput(seats=2), via="portal")
    events.rsvp_create(event=event, guardian=w.rosa, data=events.RsvpInput(), via="link")
    events.rsvp_cancel(rsvp=Rsvp.objects.get(guardian=w.rosa))  # Rosa said no after all
    client.force_login(w.principal.user)
    response = client.post(reverse("programs:event_cancel", args=[event.pk]), {"reason": "La escuela cierra"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.cancelled_at is not None and event.cancel_reason == "La escuela cierra"
    assert event.seats_taken == 2  # nothing is freed
    sent = Message.objects.filter(audience__kind="family")
    assert sent.count() == 1
    assert sent.get().audience["students"] == [w.sofia.pk]  # Ana's family only
    spanish = sent.get().contents.get(language="es")
    assert spanish.subject == "Cancelado: Family math night"
    assert "está cancelado" in spanish.body and "La escuela cierra" in spanish.body
    # A second cancel changes nothing and tells nobody again.
    client.post(reverse("programs:event_cancel", args=[event.pk]), {"reason": "again"})
    assert Message.objects.filter(audience__kind="family").count() == 1


def test_a_cancelled_event_refuses_answers_by_link_and_portal(client):
    w = build_world()
    event = lincoln_event(w)
    events.event_cancel(event=event, user=w.principal.user, reason="Snow day")
    url = reverse("programs:rsvp_link", args=[events.link_token(event, w.rosa)])
    page = Client().get(url)
    assert page.status_code == 200 and "This event is cancelled." in page.content.decode()
    assert Client().post(url, {"seats": "1"}).status_code == 409
    client.force_login(w.ana.user)
    portal = reverse("programs:family_event", args=[event.pk])
    assert "Snow day" in client.get(portal).content.decode()
    assert client.post(portal, {"seats": "1"}).status_code == 409
    assert not Rsvp.objects.exists()
    with pytest.raises(events.EventError):
        events.rsvp_create(event=event, guardian=w.ana, data=events.RsvpInput(), via="portal")


def test_moving_an_event_raises_the_ics_sequence_and_tells_the_yes_families_once(client):
    w = build_world()
    event = lincoln_event(w)
    events.rsvp_create(event=event, guardian=w.ana, data=events.RsvpInput(), via="portal")
    before = _ics_event(events.event_ics(event))
    client.force_login(w.principal.user)
    edit = reverse("programs:event_edit", args=[event.pk])
    page = client.get(edit)
    assert page.status_code == 200 and 'value="Lincoln gym"' in page.content.decode()
    # Changing only the title: no notice, same sequence.
    assert client.post(edit, _form(event, title="Family math evening")).status_code == 302
    assert Event.objects.get().sequence == 0
    assert not Message.objects.filter(audience__kind="family").exists()
    later = events.timezone.localtime(event.starts_at + dt.timedelta(days=1))
    assert client.post(edit, _form(Event.objects.get(), place="Library",
                                   starts_at=later.strftime("%Y-%m-%dT%H:%M"),
                                   ends_at=(later + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
                       ).status_code == 302
    moved = Event.objects.get()
    after = _ics_event(events.event_ics(moved))
    assert str(after["uid"]) == str(before["uid"])
    assert int(after["sequence"]) > int(before["sequence"])
    notices = Message.objects.filter(audience__kind="family")
    assert notices.count() == 1
    assert "Library" in notices.get().contents.get(language="es").body


def test_invitations_are_queued_and_a_second_run_invites_nobody_twice(client, django_capture_on_commit_callbacks):
    w = build_world()
    event = lincoln_event(w)
    client.force_login(w.principal.user)
    with pytest.MonkeyPatch.context() as patch:
        queued: list[tuple[object, ...]] = []
        patch.setattr(tasks, "event_invite_task", type("Queued", (), {
            "enqueue": staticmethod(lambda *args: queued.append(args))}))
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(reverse("programs:event_invite", args=[event.pk])).status_code == 302
        assert queued == [(event.pk, w.principal.user.pk)]
        assert not Message.objects.exists()  # nothing sent inside the request
    assert tasks.event_invite_task.call(event.pk, w.principal.user.pk) == 2
    assert tasks.event_invite_task.call(event.pk, w.principal.user.pk) == 0
    assert Message.objects.filter(audience__kind="family").count() == 2
    assert EventInvitation.objects.filter(event=event).count() == 2


def test_the_invite_button_runs_the_task(client, django_capture_on_commit_callbacks):
    w = build_world()
    event = lincoln_event(w)
    client.force_login(w.principal.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("programs:event_invite", args=[event.pk]))
        client.post(reverse("programs:event_invite", args=[event.pk]))
    assert Message.objects.filter(audience__kind="family").count() == 2  # tests run tasks at once; no repeat


def test_edit_permissions_for_events_practices_and_discussions(client):
    w = build_world()
    event = lincoln_event(w)
    practice = learning.practice_create(author=w.teacher, school_id=w.lincoln.pk, files=[], data=learning.PracticeInput(
        title="Welcome calls", practice="Called", goal="communication", grade_band="all", languages=("es",),
        families_reached=4, outcome=""))
    discussion = learning.discussion_create(school=w.lincoln, topic="beliefs", title="", held_on=events.timezone
                                            .localdate(), facilitators=[w.teacher], attendees=[], notes="",
                                            user=w.teacher.user)
    expected = {  # actor: (event edit, practice edit, discussion edit)
        w.admin: (200, 200, 403), w.principal: (200, 200, 200), w.teacher: (404, 200, 200),
        w.case_manager: (404, 403, 403), w.other_teacher: (404, 403, 404)}
    for staff, codes in expected.items():
        client.force_login(staff.user)
        got = (client.get(reverse("programs:event_edit", args=[event.pk])).status_code,
               client.get(reverse("programs:practice_edit", args=[practice.pk])).status_code,
               client.get(reverse("programs:discussion_edit", args=[discussion.pk])).status_code)
        assert got == codes, staff
    client.force_login(w.principal.user)
    response = client.post(reverse("programs:practice_edit", args=[practice.pk]), {
        "title": "Welcome calls in Spanish", "practice": "Called", "goal": "communication", "grade_band": "all",
        "languages": ["es"], "families_reached": "9", "outcome": "More came"})
    assert response.status_code == 302
    practice.refresh_from_db()
    assert (practice.title, practice.families_reached) == ("Welcome calls in Spanish", 9)
    client.force_login(w.teacher.user)
    response = client.post(reverse("programs:discussion_edit", args=[discussion.pk]), {
        "topic": "beliefs", "title": "Core beliefs", "held_on": "2026-11-30", "facilitators": [w.teacher.pk],
        "attendees": [w.case_manager.pk], "notes": "Good talk"})
    assert response.status_code == 302
    discussion.refresh_from_db()
    assert discussion.title == "Core beliefs" and list(discussion.attendees.all()) == [w.case_manager]
