"""Two families, one slot, at the same moment: exactly one booking is saved; the other is told and offered more."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from homeroom.meetings import conferences
from homeroom.meetings.conferences import SlotSeries, SlotTaken
from homeroom.meetings.models import ConferenceBooking, ConferenceFormat
from tests.actors import build_world


@pytest.mark.django_db(transaction=True)
# shared_database: each thread opens the database as production does (a file that waits for a lock).
def test_two_families_pressing_book_at_once_get_one_booking_and_one_offer(shared_database):
    world = build_world()
    first, second = conferences.slots_publish(teacher=world.teacher, series=SlotSeries(
        day=dt.date.today() + dt.timedelta(days=7), first=dt.time(16, 0), count=2, minutes=15,
        format=ConferenceFormat.IN_PERSON))
    start = threading.Barrier(2)
    results: dict[str, object] = {}

    def book(name, student, guardian):
        try:
            start.wait()
            results[name] = conferences.booking_create(slot=first, student=student, guardian=guardian)
        except SlotTaken as taken:
            results[name] = taken
        except Exception as exc:
            results[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=("ana", world.sofia, world.ana)),
               threading.Thread(target=book, args=("rosa", world.mateo, world.rosa))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    outcomes = sorted(type(value).__name__ for value in results.values())
    assert outcomes == ["ConferenceBooking", "SlotTaken"], results
    loser = next(value for value in results.values() if isinstance(value, SlotTaken))
    assert loser.alternatives == [second]
    assert ConferenceBooking.objects.filter(slot=first, cancelled_at__isnull=True).count() == 1
