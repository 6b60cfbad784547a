"""Names of students outside the viewer's scope never show on a record that lists several students.

The district administrator logs one call about two students at two schools: Sofia (Lincoln) and Liam
(Washington). Ms. Rivera teaches Sofia only, and Dr. Okafor is Lincoln's principal: each may open the
contact (it is about a student of theirs), but Liam's name stays hidden from both, on every page and export
that lists the contact's students.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from homeroom.messaging.models import Delivery
from tests.contacts.helpers import log_contact
from tests.messaging.helpers import compose, send

LINCOLN_STAFF = ["teacher", "principal"]


@pytest.fixture
def shared_contact(world):
    """The district administrator's call to Ana and Paul about Sofia and Liam, this month."""
    return log_contact(world.admin, students=[world.sofia, world.liam], guardians=[world.ana, world.paul],
                       when=timezone.now(), follow_up_on=timezone.localdate())


def _month(world, actor):
    """The monthly log's filters under which the shared contact shows for each viewer."""
    params = {"month": timezone.localdate().strftime("%Y-%m")}
    if actor == "teacher":
        params["section"] = world.section_5a.pk  # a teacher's own log is theirs; the class's log is everyone's
    return params


@pytest.mark.parametrize("actor", LINCOLN_STAFF)
def test_contact_page_names_only_the_students_in_scope(world, client_for, shared_contact, actor):
    html = client_for(actor).get(reverse("contacts:detail", args=[shared_contact.pk])).content.decode()
    assert "Sofia Garcia" in html
    assert "Liam" not in html and "Walsh, Liam" not in html


def test_district_administrator_still_sees_both_names(world, client_for, shared_contact):
    html = client_for("admin").get(reverse("contacts:detail", args=[shared_contact.pk])).content.decode()
    assert "Sofia Garcia" in html and "Liam Walsh" in html


@pytest.mark.parametrize("actor", LINCOLN_STAFF)
def test_monthly_page_names_only_the_students_in_scope(world, client_for, shared_contact, actor):
    response = client_for(actor).get(reverse("contacts:monthly_log"), _month(world, actor))
    rows = response.context["rows"]
    assert [row.students for row in rows] == ["Sofia Garcia"]
    assert "Liam" not in response.content.decode()


@pytest.mark.parametrize("actor", LINCOLN_STAFF)
def test_monthly_csv_names_only_the_students_in_scope(world, client_for, shared_contact, actor):
    response = client_for(actor).get(reverse("contacts:monthly_log_csv"), _month(world, actor))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["Student"] for row in rows] == ["Sofia Garcia"]
    assert "Liam" not in text


@pytest.mark.parametrize("actor", LINCOLN_STAFF)
def test_monthly_xlsx_names_only_the_students_in_scope(world, client_for, shared_contact, actor):
    response = client_for(actor).get(reverse("contacts:monthly_log_xlsx"), _month(world, actor))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    cells = [str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None]
    assert "Sofia Garcia" in cells
    assert not any("Liam" in cell for cell in cells)


def test_monthly_relationship_column_leaves_out_the_hidden_students_family(world, client_for, shared_contact):
    response = client_for("principal").get(reverse("contacts:monthly_log"), _month(world, "principal"))
    assert [row.relationships for row in response.context["rows"]] == ["Mother"]


def test_family_timeline_carries_only_the_students_in_scope(world, client_for, shared_contact):
    response = client_for("teacher").get(reverse("contacts:family_timeline", args=[world.ana.pk]))
    contact_items = [item for item in response.context["items"] if item.kind == "contact"]
    assert [item.student_ids for item in contact_items] == [[world.sofia.pk]]
    assert "Liam" not in response.content.decode()


def test_family_timeline_message_items_carry_only_the_students_in_scope(
        world, client_for, django_capture_on_commit_callbacks):
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    Delivery.objects.filter(message=message, guardian=world.ana).update(student_ids=[world.sofia.pk, world.liam.pk])
    response = client_for("teacher").get(reverse("contacts:family_timeline", args=[world.ana.pk]))
    message_items = [item for item in response.context["items"] if item.kind == "message"]
    assert message_items
    assert all(item.student_ids == [world.sofia.pk] for item in message_items)


def test_family_timeline_names_every_student_in_scope_on_an_item(world, client_for):
    """Mateo is Ms. Rivera's student but not Ana's child: a contact about both still names him to her."""
    log_contact(world.teacher, students=[world.sofia, world.mateo], guardians=[world.ana], when=timezone.now())
    html = client_for("teacher").get(reverse("contacts:family_timeline", args=[world.ana.pk])).content.decode()
    assert "Mateo Lopez" in html


def test_my_week_follow_ups_name_only_the_students_in_scope(world, client_for):
    contact = log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], when=timezone.now(),
                          follow_up_on=timezone.localdate())
    contact.students.add(world.liam)  # e.g. a student who has since moved to another school
    html = client_for("teacher").get(reverse("contacts:my_week")).content.decode()
    assert "Sofia Garcia" in html
    assert "Liam" not in html


@pytest.mark.parametrize("url_name", ["messaging:inbox", "messaging:report", "messaging:report_csv",
                                      "messaging:conversation"])
def test_messaging_pages_never_name_a_student_out_of_scope(world, client_for, django_capture_on_commit_callbacks,
                                                            url_name):
    """A delivery and a conversation about a Lincoln family never name another school's student to Lincoln."""
    from homeroom.messaging.conversations.threads import conversation_record_inbound
    from homeroom.messaging.models import Conversation

    message = send(world, compose(world), django_capture_on_commit_callbacks)
    Delivery.objects.filter(message=message).update(student_ids=[world.sofia.pk, world.liam.pk])
    conversation_record_inbound(guardian=world.ana, channel="portal", body="About Sofia")
    conversation = Conversation.objects.get(guardian=world.ana)
    args = {"messaging:inbox": [], "messaging:conversation": [conversation.pk]}.get(url_name, [message.pk])
    response = client_for("principal").get(reverse(url_name, args=args))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Liam" not in body
