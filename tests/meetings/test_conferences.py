"""Parent-teacher conferences: publish, book, move, cancel, .ics, attendance, reminders, the signed link."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from homeroom.core.models import AccessLog
from homeroom.meetings import conferences
from homeroom.meetings.conferences import ConferenceError, SlotSeries, SlotTaken
from homeroom.meetings.models import ConferenceBooking, ConferenceFormat
from homeroom.messaging.models import Message

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


def linked_students(body):
    """The students whose signed booking links a message carries."""
    return [conferences.student_for_token(token) for token in re.findall(r"/meetings/book/([^/\s]+)/", body)]


def publish(world, count=4, day=None, fmt=ConferenceFormat.IN_PERSON):
    return conferences.slots_publish(teacher=world.teacher, series=SlotSeries(
        day=day or TOMORROW + dt.timedelta(days=6), first=dt.time(15, 0), count=count, minutes=15, format=fmt,
        where="Room 12"))


def test_a_teacher_publishes_back_to_back_times(world):
    slots = publish(world, count=3)
    assert [timezone.localtime(s.starts_at).time() for s in slots] == [dt.time(15, 0), dt.time(15, 15),
                                                                       dt.time(15, 30)]
    assert len(publish(world, count=3)) == 3  # publishing again adds no duplicates
    assert world.teacher.conference_slots.count() == 3


def test_the_second_family_is_told_at_once_and_offered_the_next_free_times(world):
    first, second, third, fourth = publish(world)
    conferences.booking_create(slot=first, student=world.sofia, guardian=world.ana)
    with pytest.raises(SlotTaken) as taken:
        conferences.booking_create(slot=first, student=world.mateo, guardian=world.rosa)
    assert taken.value.alternatives == [second, third, fourth]
    assert ConferenceBooking.objects.get(slot=first).student == world.sofia


def test_a_family_may_only_book_a_teacher_of_their_child(world):
    slot = publish(world, count=1)[0]
    with pytest.raises(ConferenceError):
        conferences.booking_create(slot=slot, student=world.liam, guardian=world.paul)


def test_moving_a_booking_frees_the_old_time(world):
    first, second, *_ = publish(world)
    booking = conferences.booking_create(slot=first, student=world.sofia, guardian=world.ana)
    moved = conferences.booking_change(booking=booking, slot=second)
    assert moved.slot == second
    assert conferences.booking_create(slot=first, student=world.mateo, guardian=world.rosa).slot == first


def test_a_failed_move_keeps_the_old_booking(world):
    first, second, *_ = publish(world)
    booking = conferences.booking_create(slot=first, student=world.sofia, guardian=world.ana)
    conferences.booking_create(slot=second, student=world.mateo, guardian=world.rosa)
    with pytest.raises(SlotTaken):
        conferences.booking_change(booking=booking, slot=second)
    booking.refresh_from_db()
    assert booking.cancelled_at is None


def test_a_cancelled_time_can_be_booked_again(world):
    slot = publish(world, count=1)[0]
    booking = conferences.booking_create(slot=slot, student=world.sofia, guardian=world.ana)
    conferences.booking_cancel(booking=booking)
    assert conferences.booking_create(slot=slot, student=world.mateo, guardian=world.rosa).student == world.mateo


def test_each_booking_has_an_ics_invitation(world, client_for):
    slot = publish(world, count=1, fmt=ConferenceFormat.VIDEO)[0]
    booking = conferences.booking_create(slot=slot, student=world.sofia, guardian=world.ana,
                                         interpreter_language="Spanish")
    response = client_for("ana").get(reverse("meetings:conference_ics", args=[booking.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == slot.starts_at
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(minutes=15)
    assert "Sofia Garcia" in str(event.get("summary"))
    assert "Spanish" in str(event.get("description"))


def test_attendance_is_logged_as_a_contact(world, client_for):
    slot = publish(world, count=1)[0]
    booking = conferences.booking_create(slot=slot, student=world.sofia, guardian=world.ana)
    client_for("teacher").post(reverse("meetings:conference_attendance", args=[booking.pk]), {"attended": "yes"})
    booking.refresh_from_db()
    assert booking.attended is True
    contact = booking.contact
    assert (contact.method, contact.outcome, contact.staff) == ("conference", "reached", world.teacher)
    assert list(contact.guardians.all()) == [world.ana]


def test_ana_books_from_the_portal_and_rosa_is_offered_other_times(world, client_for):
    first, second, *_ = publish(world)
    ana = client_for("ana")
    response = ana.post(reverse("meetings:conferences"), {"action": "book", "slot": first.pk,
                                                          "student": world.sofia.pk, "interpreter_language": "español"})
    assert response.status_code == 302
    assert ConferenceBooking.objects.get(slot=first).interpreter_language == "español"
    # Rosa books through the signed link in her message, a moment too late.
    link = reverse("meetings:conference_link", args=[conferences.link_token(world.mateo)])
    taken = client_for("anonymous").post(link, {"action": "book", "slot": first.pk, "student": world.mateo.pk})
    assert taken.status_code == 409
    page = taken.content.decode()
    assert "Another family has just booked this time." in page
    assert f'name="slot" value="{second.pk}"' in page


def test_the_signed_link_books_without_an_account(world, client_for):
    slot = publish(world, count=1)[0]
    link = reverse("meetings:conference_link", args=[conferences.link_token(world.mateo)])
    anonymous = client_for("anonymous")
    assert anonymous.get(link).status_code == 200
    anonymous.post(link, {"action": "book", "slot": slot.pk, "student": world.mateo.pk})
    booking = ConferenceBooking.objects.get()
    assert (booking.student, booking.guardian) == (world.mateo, None)
    ics = anonymous.get(reverse("meetings:conference_link_ics", args=[conferences.link_token(world.mateo),
                                                                        booking.pk]))
    assert ics.status_code == 200
    anonymous.post(link, {"action": "cancel", "booking": booking.pk})
    booking.refresh_from_db()
    assert booking.cancelled_at is not None


def test_a_forged_link_finds_nothing(world, client_for):
    token = conferences.link_token(world.mateo)[:-2] + "xx"
    assert client_for("anonymous").get(reverse("meetings:conference_link", args=[token])).status_code == 404


def test_the_signed_link_cannot_book_for_another_student(world, client_for):
    slot = publish(world, count=1)[0]
    link = reverse("meetings:conference_link", args=[conferences.link_token(world.mateo)])
    response = client_for("anonymous").post(link, {"action": "book", "slot": slot.pk, "student": world.sofia.pk})
    assert response.status_code == 404
    assert not ConferenceBooking.objects.exists()


def test_a_reminder_goes_out_once_the_day_before(world, django_capture_on_commit_callbacks):
    slot = conferences.slots_publish(teacher=world.teacher, series=SlotSeries(
        day=TOMORROW, first=dt.time(23, 0), count=1, minutes=15, format=ConferenceFormat.PHONE))[0]
    conferences.booking_create(slot=slot, student=world.sofia, guardian=world.ana)
    now = slot.starts_at - dt.timedelta(hours=20)
    with django_capture_on_commit_callbacks(execute=True):
        assert conferences.reminders_send(now=now) == 1
    assert conferences.reminders_send(now=now) == 0
    message = Message.objects.get()
    assert "Recordatorio" in message.contents.get(language="es").subject
    assert linked_students(message.contents.get(language="es").body) == [world.sofia.pk]


def test_the_teacher_sends_each_family_its_own_booking_link(world, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for("teacher").post(reverse("meetings:conference_invite_section", args=[world.section_5a.pk]))
    bodies = [m.contents.get(language="en").body for m in Message.objects.all()]
    assert sorted(student for body in bodies for student in linked_students(body)) == sorted(
        [world.sofia.pk, world.mateo.pk])


def test_the_reminder_command_runs_the_same_sweep(world):
    out = StringIO()
    call_command("conference-reminders", stdout=out)
    assert "0 conference reminders sent" in out.getvalue()


def test_a_signed_link_read_without_an_account_is_in_the_access_log(world, client_for):
    """FERPA: nobody is signed in, so the row has no viewer and says it came through the booking link."""
    slot = publish(world, count=1)[0]
    booking = conferences.booking_create(slot=slot, student=world.mateo, guardian=None)
    token = conferences.link_token(world.mateo)
    anonymous = client_for("anonymous")
    assert anonymous.get(reverse("meetings:conference_link", args=[token])).status_code == 200
    assert anonymous.get(reverse("meetings:conference_link_ics", args=[token, booking.pk])).status_code == 200
    rows = AccessLog.objects.order_by("pk")
    assert [(r.user_id, r.student_id, r.via) for r in rows] == [(None, world.mateo.pk, "booking link")] * 2
    assert [r.action for r in rows] == ["meetings.conference_link", "meetings.conference_link_ics"]
