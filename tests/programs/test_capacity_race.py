"""Two families, the last seat, the same moment: exactly one RSVP is saved; the other is told the event is full."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from homeroom.programs import events
from homeroom.programs.models import Event, Rsvp
from tests.actors import build_world
from tests.programs.helpers import lincoln_event


@pytest.mark.django_db(transaction=True)
# shared_database: each thread opens the database as production does (a file that waits for a lock).
def test_two_families_asking_for_the_last_seat_at_once_get_one_seat_and_one_refusal(shared_database):
    world = build_world()
    event = lincoln_event(world, capacity=3)
    events.rsvp_create(event=event, guardian=world.paul, data=events.RsvpInput(seats=2), via="portal")
    start = threading.Barrier(2)
    results: dict[str, object] = {}

    def answer(name, guardian):
        try:
            start.wait()
            results[name] = events.rsvp_create(event=event, guardian=guardian, data=events.RsvpInput(seats=1),
                                               via="link")
        except Exception as exc:
            results[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=("ana", world.ana)),
               threading.Thread(target=answer, args=("rosa", world.rosa))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    outcomes = sorted(type(value).__name__ for value in results.values())
    assert outcomes == ["EventFull", "Rsvp"], results
    assert Event.objects.get().seats_taken == 3
    assert Rsvp.objects.filter(cancelled_at__isnull=True).count() == 2
