"""One ledger of contacts: school messages, replies and conversations are counted once, beside logged contacts."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from homeroom.contacts import ledger
from homeroom.contacts.models import ContactLog, Direction, Method, Source
from homeroom.messaging import selectors, services
from homeroom.messaging.conversations.inbound import sms_inbound
from homeroom.messaging.engine import outcomes as status
from homeroom.messaging.models import Delivery
from homeroom.roster.models import Household
from tests.contacts.helpers import log_contact
from tests.messaging.helpers import compose, send

pytestmark = pytest.mark.django_db


def _family(world):
    return {"kind": "family", "students": [world.sofia.pk]}


def _only(world, *channels):
    for guardian in (world.ana, world.rosa, world.paul, world.luis):
        guardian.channel_order = list(channels)
        guardian.save()


def _send_to_ana(world, capture, channel="email", actor="teacher"):
    _only(world, channel)
    message = send(world, compose(world, actor, audience=_family(world)), capture, actor=actor)
    return message, Delivery.objects.get(message=message, guardian=world.ana)


def _reach(delivery, capture, state="delivered"):
    with capture(execute=True):
        status.delivery_transition(delivery_id=delivery.pk, state=state)


def _this_month():
    today = timezone.localdate()
    return {"month": today.strftime("%Y-%m")}


def test_a_delivered_email_is_one_school_initiated_contact_of_its_family(world, django_capture_on_commit_callbacks):
    message, delivery = _send_to_ana(world, django_capture_on_commit_callbacks)
    if delivery.state != "delivered":
        _reach(delivery, django_capture_on_commit_callbacks)
    contact = ContactLog.objects.get(source=Source.MESSAGE)
    assert (contact.staff, contact.method, contact.direction, contact.outcome) == (
        world.teacher, Method.EMAIL, Direction.SCHOOL, "reached")
    assert contact.purpose == "news" and contact.created_by is None
    assert list(contact.students.all()) == [world.sofia]
    assert list(contact.guardians.all()) == [world.ana]
    assert contact.source_key == f"m{message.pk}-g{world.ana.pk}"


@pytest.mark.parametrize("state", ["failed", "bounced"])
def test_a_failed_or_bounced_delivery_is_not_a_contact(world, django_capture_on_commit_callbacks, state):
    _only(world, "sms")
    message = compose(world, "teacher", audience=_family(world))
    services.message_send(message=message, user=world.teacher.user)  # planned and queued, not sent
    delivery = Delivery.objects.get(message=message, guardian=world.ana)
    Delivery.objects.filter(pk=delivery.pk).update(state="sent")
    _reach(delivery, django_capture_on_commit_callbacks, state)
    ledger.ledger_record_deliveries([delivery.pk])
    assert not ContactLog.objects.exists()


def test_a_text_sent_but_not_confirmed_delivered_is_not_yet_a_contact(world, django_capture_on_commit_callbacks):
    _only(world, "sms")
    message = compose(world, "teacher", audience=_family(world))
    services.message_send(message=message, user=world.teacher.user)
    delivery = Delivery.objects.get(message=message, guardian=world.ana)
    Delivery.objects.filter(pk=delivery.pk).update(state="sent", sent_at=timezone.now())
    ledger.ledger_record_deliveries([delivery.pk])
    assert not ContactLog.objects.exists()
    _reach(delivery, django_capture_on_commit_callbacks)
    assert ContactLog.objects.get().method == Method.TEXT


def test_a_portal_message_counts_once_the_family_opens_it(world, django_capture_on_commit_callbacks):
    _message, delivery = _send_to_ana(world, django_capture_on_commit_callbacks, channel="portal")
    assert Delivery.objects.get(pk=delivery.pk).state == "delivered"
    assert not ContactLog.objects.exists()
    conversation = selectors.portal_inbox_for(world.ana.user).get()
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_mark_read(conversation=conversation, by_guardian=True)
    assert ContactLog.objects.get().method == Method.PORTAL


def test_one_message_to_a_household_is_one_contact_with_both_guardians(world, django_capture_on_commit_callbacks):
    household = Household.objects.create(district=world.district, sourced_id="h-garcia", name="Garcia")
    for guardian in (world.ana, world.rosa):
        guardian.household = household
        guardian.save()
    _only(world, "email")
    message = send(world, compose(world, "teacher", audience={"kind": "family",
                                                               "students": [world.sofia.pk, world.mateo.pk]}),
                   django_capture_on_commit_callbacks, actor="teacher")
    for delivery in Delivery.objects.filter(message=message).exclude(state="delivered"):
        _reach(delivery, django_capture_on_commit_callbacks)
    contact = ContactLog.objects.get()
    assert set(contact.guardians.all()) == {world.ana, world.rosa}
    assert set(contact.students.all()) == {world.sofia, world.mateo}


def test_a_reply_makes_the_exchange_one_conversation_not_a_second_contact(world, django_capture_on_commit_callbacks):
    _message, delivery = _send_to_ana(world, django_capture_on_commit_callbacks, channel="sms")
    _reach(delivery, django_capture_on_commit_callbacks) if delivery.state != "delivered" else None
    with django_capture_on_commit_callbacks(execute=True):
        result = sms_inbound(from_number=world.ana.mobile_phone, body="Gracias, allí estaremos")
    assert result.kind == "reply"
    contact = ContactLog.objects.get()
    assert (contact.source, contact.direction) == (Source.CONVERSATION, Direction.SCHOOL)
    # The teacher's answer is part of the same conversation, not another contact.
    thread = selectors.staff_inbox_for(world.teacher.user).get()
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_reply(conversation=thread, author_user=world.teacher.user, body="¡Perfecto!")
    for answer in Delivery.objects.filter(message__category="reply"):
        with django_capture_on_commit_callbacks(execute=True):
            status.delivery_transition(delivery_id=answer.pk, state="delivered")
    assert ContactLog.objects.count() == 1


def test_only_contact_a_reply_by_text_counts_as_contacted_and_reached(world, client_for,
                                                                     django_capture_on_commit_callbacks):
    """A family whose only contact was a text: reached in the monthly log, not on "not contacted in 30 days"."""
    with django_capture_on_commit_callbacks(execute=True):
        sms_inbound(from_number=world.ana.mobile_phone, body="¿Sofía tiene tarea hoy?")
    contact = ContactLog.objects.get()
    assert (contact.staff, contact.direction, contact.method, contact.source) == (
        world.teacher, Direction.FAMILY, Method.TEXT, Source.CONVERSATION)
    assert list(contact.students.all()) == [world.sofia]
    client = client_for("teacher")
    page = client.get(reverse("contacts:monthly_log"), _this_month())
    counts = page.context["counts"]
    assert counts["contacts"] == 1 and counts["families_reached"] == 1
    assert counts["family_initiated_share"] == 100
    assert counts["families_not_contacted"] == counts["families_in_scope"] - 1
    week = client.get(reverse("contacts:my_week")).context["week"]
    assert world.ana not in week.quiet_families
    assert world.rosa in week.quiet_families


def test_the_monthly_log_states_its_definitions_and_shows_how_each_contact_was_recorded(
        world, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sms_inbound(from_number=world.ana.mobile_phone, body="Hola")
    log_contact(world.teacher, students=[world.mateo], guardians=[world.rosa])
    html = client_for("teacher").get(reverse("contacts:monthly_log"), _this_month()).content.decode()
    assert "What this log counts" in html
    assert "confirmed delivered" in html and "family-initiated" in html
    assert "Conversation" in html and "Logged by staff" in html and "Family-initiated" in html


def test_the_xlsx_has_a_definitions_sheet_and_the_csv_a_recorded_as_column(world, client_for,
                                                                            django_capture_on_commit_callbacks):
    import csv

    import openpyxl

    with django_capture_on_commit_callbacks(execute=True):
        sms_inbound(from_number=world.ana.mobile_phone, body="Hola")
    client = client_for("teacher")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(
        client.get(reverse("contacts:monthly_log_xlsx"), _this_month()).streaming_content)))
    notes = [row[0] for row in workbook["Definitions"].iter_rows(values_only=True)]
    assert notes[0] == "What this log counts" and any("portal message opened" in n for n in notes)
    response = client.get(reverse("contacts:monthly_log_csv"), _this_month())
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header = rows[0]
    assert rows[1][header.index("Recorded as")] == "Conversation"
    assert rows[1][header.index("Method")] == "Text message"
    assert rows[1][header.index("Direction")] == "Family-initiated"


def test_ledger_rows_cannot_be_edited_and_are_not_shown_twice_on_the_timeline(
        world, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sms_inbound(from_number=world.ana.mobile_phone, body="Hola")
    contact = ContactLog.objects.get()
    client = client_for("teacher")
    assert client.get(reverse("contacts:edit", args=[contact.pk])).status_code == 403
    page = client.get(reverse("contacts:family_timeline", args=[world.ana.pk]))
    assert [item.kind for item in page.context["items"]] == ["reply"]


def test_sync_is_idempotent(world, django_capture_on_commit_callbacks):
    _message, delivery = _send_to_ana(world, django_capture_on_commit_callbacks)
    if delivery.state != "delivered":
        _reach(delivery, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        sms_inbound(from_number=world.rosa.mobile_phone, body="Hola")
    before = ContactLog.objects.count()
    assert before == 2
    assert ledger.ledger_sync() == 0
    assert ContactLog.objects.count() == before


def test_sync_catches_up_on_a_missed_signal(world, django_capture_on_commit_callbacks):
    _message, delivery = _send_to_ana(world, django_capture_on_commit_callbacks)
    ContactLog.objects.all().delete()
    Delivery.objects.filter(pk=delivery.pk).update(state="delivered", sent_at=timezone.now())
    assert ledger.ledger_sync() == 1
    assert ContactLog.objects.get().source == Source.MESSAGE


def test_a_family_started_conversation_without_staff_is_not_counted_until_routed(world):
    from homeroom.contacts.ledger import ledger_record_conversation
    from homeroom.messaging.family_start import conversation_start

    entry = conversation_start(guardian=world.paul, body="Hello", channel="sms", recipient=None)
    assert entry.conversation.staff is None
    assert ledger_record_conversation(entry.conversation.pk) is None
    assert not ContactLog.objects.exists()


def test_family_started_share_on_the_monthly_page_reads_the_same_ledger(world, client_for,
                                                                       django_capture_on_commit_callbacks):
    _message, delivery = _send_to_ana(world, django_capture_on_commit_callbacks)
    if delivery.state != "delivered":
        _reach(delivery, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        sms_inbound(from_number=world.rosa.mobile_phone, body="Hola")
    # The school's log: the teacher's message to Ana, Rosa's text routed to Mateo's case manager.
    counts = client_for("principal").get(reverse("contacts:monthly_log"), _this_month()).context["counts"]
    assert counts["contacts"] == 2 and counts["family_initiated_share"] == 50


def test_a_delivered_message_counts_for_the_senders_not_contacted_list(world, client_for,
                                                                        django_capture_on_commit_callbacks):
    _message, delivery = _send_to_ana(world, django_capture_on_commit_callbacks)
    if delivery.state != "delivered":
        _reach(delivery, django_capture_on_commit_callbacks)
    week = client_for("teacher").get(reverse("contacts:my_week")).context["week"]
    assert world.ana not in week.quiet_families


def test_quiet_families_is_still_computed_for_a_day_without_contacts(world, client_for):
    week = client_for("teacher").get(reverse("contacts:my_week")).context["week"]
    assert {world.ana, world.rosa} <= set(week.quiet_families)


def test_an_email_reply_by_its_reply_to_address_makes_the_message_one_conversation(
        world, django_capture_on_commit_callbacks):
    from email.message import EmailMessage

    from homeroom.messaging.channels.email import reply_address
    from homeroom.messaging.conversations.replies import email_reply_receive

    _message, delivery = _send_to_ana(world, django_capture_on_commit_callbacks)
    if delivery.state != "delivered":
        _reach(delivery, django_capture_on_commit_callbacks)
    mail = EmailMessage()
    mail["From"] = world.ana.email
    mail["To"] = reply_address(delivery.pk)
    mail["Subject"] = "Re: School closed"
    mail["Message-ID"] = "<ana-reply-1@family.example>"
    mail.set_content("Gracias por avisar.")
    with django_capture_on_commit_callbacks(execute=True):
        assert email_reply_receive(message=mail) is not None
    contact = ContactLog.objects.get()
    assert (contact.source, contact.method, contact.direction) == (Source.CONVERSATION, Method.EMAIL,
                                                                   Direction.SCHOOL)
