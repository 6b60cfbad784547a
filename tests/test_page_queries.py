"""Staff pages cost the same number of queries however large the district: measured at two sizes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.contacts.helpers import log_contact

PAGES = [
    ("teacher", "my students", lambda w: reverse("contacts:my_students")),
    ("case_manager", "my students", lambda w: reverse("contacts:my_students")),
    ("teacher", "monthly log", lambda w: reverse("contacts:monthly_log")),
    ("teacher", "monthly log for a class", lambda w: reverse("contacts:monthly_log") + f"?section={w.section_5a.pk}"),
    ("case_manager", "monthly log", lambda w: reverse("contacts:monthly_log")),
    ("principal", "monthly log", lambda w: reverse("contacts:monthly_log")),
    ("admin", "monthly log", lambda w: reverse("contacts:monthly_log")),
    ("admin", "monthly log for a school", lambda w: reverse("contacts:monthly_log") + f"?school={w.lincoln.pk}"),
    ("teacher", "family timeline", lambda w: reverse("contacts:family_timeline", args=[w.ana.pk])),
    ("admin", "family timeline", lambda w: reverse("contacts:family_timeline", args=[w.ana.pk])),
    ("admin", "district overview", lambda w: reverse("roster:dashboard")),
    ("principal", "district overview", lambda w: reverse("roster:dashboard")),
]


def _grow(world, times: int) -> None:
    """More of everything: classes taught by other staff, students in the teacher's class and on the
    caseload, their families, and contacts this month, including with Ana Garcia's family."""
    for _i in range(times):
        for school in (world.lincoln, world.washington):
            colleague = f.StaffFactory(district=world.district)
            f.StaffRoleFactory(staff=colleague, role="teacher", school=school)
            section = f.SectionFactory(district=world.district, school=school)
            f.EnrollmentFactory(section=section, role="teacher", staff=colleague)
            for _j in range(3):
                student = f.StudentFactory(district=world.district, school=school)
                guardian = f.GuardianFactory(district=world.district)
                f.StudentGuardianFactory(student=student, guardian=guardian)
                f.EnrollmentFactory(section=section, student=student)
                log_contact(colleague, students=[student], guardians=[guardian])
        student = f.StudentFactory(district=world.district, school=world.lincoln)
        guardian = f.GuardianFactory(district=world.district)
        f.StudentGuardianFactory(student=student, guardian=guardian)
        f.EnrollmentFactory(section=world.section_5a, student=student)
        f.CaseloadFactory(staff=world.case_manager, student=student)
        log_contact(world.teacher, students=[student], guardians=[guardian])
        log_contact(world.case_manager, students=[world.sofia], guardians=[world.ana], when=timezone.now())


def _queries(world, actor: str, url: str) -> int:
    client = Client()
    client.force_login(world.user(actor))
    client.get(url)  # a first visit may set up per-user rows (a session, preferences)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("actor", "page", "url"), PAGES, ids=[f"{a}-{p}" for a, p, _u in PAGES])
def test_query_count_does_not_grow_with_the_district(world, actor, page, url):
    _grow(world, 1)
    small = _queries(world, actor, url(world))
    _grow(world, 3)
    large = _queries(world, actor, url(world))
    assert large == small, f"{page} for {actor}: {small} queries at the small size, {large} at the large"


# --- Messaging: the report, the inboxes and the message list (unread count) -----------------------------------

MESSAGING_PAGES = [
    ("admin", "message report", lambda w, m: reverse("messaging:report", args=[m.pk])),
    ("principal", "message report", lambda w, m: reverse("messaging:report", args=[m.pk])),
    ("admin", "staff inbox", lambda w, m: reverse("messaging:inbox")),
    ("principal", "staff inbox", lambda w, m: reverse("messaging:inbox")),
    ("admin", "message list", lambda w, m: reverse("messaging:list")),
    ("ana", "family inbox", lambda w, m: reverse("portal:inbox")),
]


def _sent_message(world):
    from homeroom.messaging.models import Message

    return Message.objects.create(district=world.district, school=world.lincoln, sender=world.principal,
                                  created_by=world.principal.user, category="news", audience_label="Lincoln",
                                  callback_name="Office", callback_phone="+12035550100", status="sent",
                                  sent_at=timezone.now())


def _grow_messaging(world, message, times: int) -> None:
    """More families reached and not reached by the message, and more threads with unread replies, Ana's too."""
    from homeroom.messaging.models import Conversation, ConversationEntry, Delivery

    for _i in range(times):
        for state in ("delivered", "skipped", "failed"):
            guardian = f.GuardianFactory(district=world.district)
            f.StudentGuardianFactory(student=f.StudentFactory(district=world.district, school=world.lincoln),
                                     guardian=guardian)
            delivery = Delivery.objects.create(
                message=message, guardian=guardian, channel="email", language="en", content_language="en",
                state=state, reason="no_address" if state == "skipped" else "", idempotency_key=f"k{guardian.pk}")
            thread = Conversation.objects.create(district=world.district, school=world.lincoln, guardian=guardian,
                                                 staff=world.principal, subject="Re", last_entry_at=timezone.now())
            ConversationEntry.objects.create(conversation=thread, from_guardian=False, channel="email", body="Hi",
                                             delivery=delivery)
            ConversationEntry.objects.create(conversation=thread, from_guardian=True, channel="email", body="Ok")
        thread = Conversation.objects.create(district=world.district, school=world.lincoln, guardian=world.ana,
                                             staff=world.principal, subject="Ana", last_entry_at=timezone.now())
        ConversationEntry.objects.create(conversation=thread, from_guardian=False, channel="portal", body="Hi")


@pytest.mark.parametrize(("actor", "page", "url"), MESSAGING_PAGES, ids=[f"{a}-{p}" for a, p, _u in MESSAGING_PAGES])
def test_messaging_query_count_does_not_grow(world, actor, page, url):
    message = _sent_message(world)
    _grow_messaging(world, message, 1)
    small = _queries(world, actor, url(world, message))
    _grow_messaging(world, message, 3)
    large = _queries(world, actor, url(world, message))
    assert large == small, f"{page} for {actor}: {small} queries at the small size, {large} at the large"


# --- Reach: the district and school pages read the summary (and the cached figures), never the families ------

REACH_PAGES = [
    ("admin", "reach district", lambda w: reverse("reach:district")),
    ("admin", "reach school", lambda w: reverse("reach:school", args=[w.lincoln.pk])),
    ("principal", "reach school", lambda w: reverse("reach:school", args=[w.lincoln.pk])),
]


@pytest.mark.parametrize(("actor", "page", "url"), REACH_PAGES, ids=[f"{a}-{p}" for a, p, _u in REACH_PAGES])
def test_reach_query_count_does_not_grow(world, actor, page, url):
    from homeroom.reach import refresh

    _grow(world, 1)
    refresh.refresh(full=True)
    small = _queries(world, actor, url(world))
    _grow(world, 3)
    refresh.refresh()
    large = _queries(world, actor, url(world))
    assert large == small, f"{page} for {actor}: {small} queries at the small size, {large} at the large"


def _grow_family_copies(world, times: int) -> None:
    """More messages that reached Ana Garcia by email or text and that she never answered (no thread): the inbox
    lists them as copies, with their subjects and schools read in one query each, whatever their number."""
    from homeroom.messaging.models import Delivery, MessageContent

    for _i in range(times):
        message = _sent_message(world)
        MessageContent.objects.create(message=message, language="en", subject="News", body="School news.")
        Delivery.objects.create(message=message, guardian=world.ana, channel="email", language="en",
                                content_language="en", state="delivered", idempotency_key=f"copy{message.pk}")


def test_family_inbox_copies_do_not_grow_the_query_count(world):
    """At 5,000 students bench/pages.py's Spanish-speaking family had no unanswered copy (2 queries fewer than at
    100,000, where it had one): the count is the same for one copy as for many."""
    url = reverse("portal:inbox")
    none = _queries(world, "ana", url)
    _grow_family_copies(world, 1)
    one = _queries(world, "ana", url)
    _grow_family_copies(world, 4)
    many = _queries(world, "ana", url)
    assert one == many, f"family inbox: {one} queries with one copy, {many} with five"
    assert one == none + 2, f"family inbox: {none} queries without a copy, {one} with one (subjects and schools)"
