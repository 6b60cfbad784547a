"""Long lists come one page at a time: a plain link opens the next page, htmx appends its rows in place."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from homeroom.messaging import selectors
from homeroom.messaging.compose import views as messaging_views
from homeroom.messaging.conversations import inbox_views
from homeroom.messaging.models import Conversation, ConversationEntry, ConversationRead, Delivery, Message
from homeroom.portal.views import messages as portal_messages
from homeroom.roster import selectors as roster_selectors
from tests import factories as f

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _message(world) -> Message:
    return Message.objects.create(district=world.district, school=world.lincoln, sender=world.principal,
                                  created_by=world.principal.user, category="news", audience_label="Lincoln",
                                  callback_name="Office", callback_phone="+12035550100", status="sent",
                                  sent_at=timezone.now())


def _families(world, count: int) -> list:
    people = []
    for i in range(count):
        student = f.StudentFactory(district=world.district, school=world.lincoln)
        guardian = f.GuardianFactory(district=world.district, given_name=f"Parent{i}", family_name=f"Zed{i:02d}")
        f.StudentGuardianFactory(student=student, guardian=guardian)
        people.append(guardian)
    return people


def test_the_reports_not_reached_list_comes_a_page_at_a_time(world, client_for, monkeypatch):
    monkeypatch.setattr(messaging_views, "NOT_REACHED_PAGE", 2)
    message = _message(world)
    people = _families(world, 5)
    Delivery.objects.bulk_create([
        Delivery(message=message, guardian=g, channel="email", language="en", content_language="en",
                 state="skipped", reason="no_address", idempotency_key=f"k{g.pk}") for g in people])
    Delivery.objects.create(message=message, guardian=world.ana, channel="email", language="es",
                            content_language="es", state="delivered", idempotency_key="reached")
    client = client_for("principal")
    url = reverse("messaging:report", args=[message.pk])

    first = client.get(url).content.decode()
    assert "Zed00" in first and "Zed01" in first and "Zed02" not in first
    assert "page=2" in first
    assert "(6)" not in first and "(1)" in first  # reached 1 of 6, counted over everyone, not the page

    second = client.get(url + "?page=2", **HTMX).content.decode()
    assert "<html" not in second and "Zed02" in second and "Zed03" in second and "Zed00" not in second
    assert "page=3" in second
    last = client.get(url + "?page=3", **HTMX).content.decode()
    assert "Zed04" in last and "page=4" not in last

    plain = client.get(url + "?page=3").content.decode()  # without JavaScript: the next page, whole
    assert "<html" in plain and "Zed04" in plain and "Zed00" not in plain


def _thread(world, guardian, *, days_ago: int, unread: int = 0) -> Conversation:
    """A thread routed to the principal: one entry the principal has read, then `unread` newer ones."""
    when = timezone.now() - dt.timedelta(days=days_ago)
    thread = Conversation.objects.create(district=world.district, school=world.lincoln, guardian=guardian,
                                         staff=world.principal, subject=f"Thread {days_ago}", last_entry_at=when)
    seen = ConversationEntry.objects.create(conversation=thread, from_guardian=True, channel="portal", body="Seen")
    ConversationEntry.objects.filter(pk=seen.pk).update(created_at=when)
    ConversationRead.objects.create(conversation=thread, user=world.user("principal"), read_at=when)
    for _ in range(unread):
        ConversationEntry.objects.create(conversation=thread, from_guardian=True, channel="portal", body="Hi")
    return thread


def test_the_staff_inbox_comes_a_page_at_a_time_newest_first(world, client_for, monkeypatch):
    monkeypatch.setattr(inbox_views, "INBOX_PAGE", 2)
    for days in (1, 2, 3):
        _thread(world, world.ana, days_ago=days)
    client = client_for("principal")
    url = reverse("messaging:inbox")
    first = client.get(url).content.decode()
    assert "Thread 1" in first and "Thread 2" in first and "Thread 3" not in first and "page=2" in first
    second = client.get(url + "?page=2", **HTMX).content.decode()
    assert "<html" not in second and "Thread 3" in second and "Thread 1" not in second and "page=3" not in second


def test_the_unread_count_is_counted_in_the_database(world, client_for, django_assert_max_num_queries):
    _thread(world, world.ana, days_ago=1, unread=2)
    _thread(world, world.rosa, days_ago=2, unread=1)
    _thread(world, world.paul, days_ago=3, unread=0)
    user = world.user("principal")
    assert selectors.staff_unread_count(user) == 3 == sum(c.unread for c in selectors.staff_inbox_for(user))
    # Read state is per person: the threads are the principal's to answer, not the district administrator's.
    assert selectors.staff_unread_count(world.user("admin")) == 0


def test_the_family_inbox_comes_a_page_at_a_time(world, client_for, monkeypatch):
    monkeypatch.setattr(portal_messages, "INBOX_PAGE", 2)
    for days in (1, 2, 3):
        _thread(world, world.ana, days_ago=days)
    client = client_for("ana")
    url = reverse("portal:inbox")
    first = client.get(url).content.decode()
    assert "Thread 1" in first and "Thread 2" in first and "Thread 3" not in first and "page=2" in first
    second = client.get(url + "?page=2", **HTMX).content.decode()
    assert "<html" not in second and "Thread 3" in second and "Thread 2" not in second and "page=3" not in second


def test_search_says_when_more_match_than_it_shows(world, client_for, monkeypatch):
    monkeypatch.setattr(roster_selectors, "SEARCH_LIMIT", 1)
    for given in ("Amy", "Ben"):
        f.StudentFactory(district=world.district, school=world.lincoln, given_name=given, family_name="Quill")
    page = client_for("admin").post(reverse("roster:search"), {"q": "Quill"}).content.decode()
    assert "Amy" in page and "Ben" not in page
    assert "Type more of the name" in page
