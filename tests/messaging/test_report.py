"""A sent message's report: reached %, outcomes by channel and by language (opt-outs included), CSV export."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from homeroom.messaging.models import Delivery, Message
from tests import factories as f
from tests.messaging.helpers import compose, send
from tests.messaging.html_tables import html_table

pytestmark = pytest.mark.django_db
EMAIL_HOOK = "/messaging/hooks/email/postmark/"
BOUNCE = "The server was unable to deliver your message"


# --- reading the page's tables ------------------------------------------------------------------------------


def _family(world: Any, given: str, family: str, language: str, **guardian: Any) -> Any:
    student = f.StudentFactory(district=world.district, school=world.lincoln, family_name=family)
    person = f.GuardianFactory(district=world.district, given_name=given, family_name=family, language=language,
                               **guardian)
    f.StudentGuardianFactory(student=student, guardian=person)
    return person


def _postmark(client: Any, payload: dict[str, Any]) -> None:
    header = "Basic " + base64.b64encode(b"hook:secret").decode()
    response = client.post(EMAIL_HOOK, json.dumps(payload), content_type="application/json",
                           HTTP_AUTHORIZATION=header)
    assert response.status_code == 200


def _twilio_status(client: Any, twilio: Any, delivery: Delivery, **params: str) -> None:
    form = next(f for f in twilio.sent() if f["To"] == delivery.address)
    url, params, signature = twilio.signed_callback(form, MessageSid=delivery.provider_id, **params)
    response = client.post(url.removeprefix("http://testserver"), params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 204


@dataclass
class Sent:
    message: Message
    mark: Any
    nora: Any
    omar: Any
    vera: Any


@pytest.fixture
def sent(world, twilio, client, settings, django_capture_on_commit_callbacks) -> Sent:
    """A news message to Lincoln, then the providers' callbacks:

    Ana (es)   text opted out → email, opened           Rosa (es)  text, undelivered (Twilio 30008)
    Mark (en)  email bounced → fallback text, delivered  Nora (en)  no contact details at all
    Omar (en)  text opted out → email, no news since     Vera (es)  a call, no news since
    """
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": "hook:secret"}
    world.ana.sms_opted_out_at = timezone.now()
    world.ana.save()
    mark = _family(world, "Mark", "Evans", "en", email="mark@family.example", channel_order=["email"])
    nora = _family(world, "Nora", "Quinn", "en", email="", mobile_phone="")
    omar = _family(world, "Omar", "Haddad", "en", email="omar@family.example", channel_order=["sms", "email"],
                   sms_opted_out_at=timezone.now())
    vera = _family(world, "Vera", "Santos", "es", home_phone="+12035550177", channel_order=["voice"])
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    ana_email = Delivery.objects.get(message=message, guardian=world.ana, channel="email")
    _postmark(client, {"RecordType": "Open", "MessageID": "pm-open", "Recipient": ana_email.address,
                       "ReceivedAt": "2025-03-03T10:05:00Z", "FirstOpen": True, "Tag": "",
                       "Metadata": {"delivery": ana_email.idempotency_key}})
    rosa_sms = Delivery.objects.get(message=message, guardian=world.rosa, channel="sms")
    _twilio_status(client, twilio, rosa_sms, MessageStatus="undelivered", ErrorCode="30008")
    mark_email = Delivery.objects.get(message=message, guardian=mark, channel="email")
    with django_capture_on_commit_callbacks(execute=True):
        _postmark(client, {"RecordType": "Bounce", "Type": "HardBounce", "TypeCode": 1, "MessageID": "pm-1",
                           "Email": mark_email.address, "Description": BOUNCE, "BouncedAt": "2025-03-03T10:00:00Z",
                           "Tag": "", "Metadata": {"delivery": mark_email.idempotency_key}})
    mark_sms = Delivery.objects.get(message=message, guardian=mark, channel="sms")
    _twilio_status(client, twilio, mark_sms, MessageStatus="delivered")
    return Sent(message=message, mark=mark, nora=nora, omar=omar, vera=vera)


def _report(client_for: Any, message: Message) -> str:
    response = client_for("principal").get(f"/messaging/{message.pk}/report/")
    assert response.status_code == 200
    return str(response.content.decode())


COLUMNS = ["Sent", "Delivered", "Opened or read", "Failed", "Bounced", "Opted out", "Not sent, other reason",
           "Waiting"]


# --- the page -----------------------------------------------------------------------------------------------------


def test_report_counts_every_outcome_by_channel(sent, client_for):
    table = html_table(_report(client_for, sent.message), "report-channels")
    assert table.columns == ["Channel", *COLUMNS]
    assert table.rows == {
        #                 sent delivered read failed bounced opted-out not-sent waiting
        "Email": ["1", "0", "1", "0", "1", "0", "0", "0"],
        "Text message": ["0", "1", "0", "1", "0", "2", "1", "0"],
        "Phone call": ["1", "0", "–Not reported", "0", "0", "0", "0", "0"],
    }
    assert list(table.rows) == ["Email", "Text message", "Phone call"]


def test_report_counts_every_outcome_by_language_opt_outs_included(sent, client_for):
    table = html_table(_report(client_for, sent.message), "report-languages")
    assert table.columns == ["Language", *COLUMNS]
    assert table.rows == {
        #            sent delivered read failed bounced opted-out not-sent waiting
        "English": ["1", "1", "0", "0", "1", "1", "1", "0"],
        "Spanish": ["1", "0", "1", "1", "0", "1", "0", "0"],
    }


def test_email_opened_shows_as_read_in_the_report(sent, client_for, world):
    ana_email = Delivery.objects.get(message=sent.message, guardian=world.ana, channel="email")
    assert ana_email.state == "read" and ana_email.read_at is not None
    channels = html_table(_report(client_for, sent.message), "report-channels").rows
    assert channels["Email"][COLUMNS.index("Opened or read")] == "1"


def test_report_shows_reached_percent_and_who_was_not_reached_and_why(sent, client_for):
    html = _report(client_for, sent.message)
    # Ana (email opened) and Mark (text delivered) of six; Omar's email and Vera's call were sent, never confirmed.
    assert '<dd id="reached">33.3% (2)</dd>' in html
    assert '<dd id="not-reached-count">4 (2 sent, not confirmed)</dd>' in html
    assert html_table(html, "report-not-reached").rows == {
        "Rosa Lopez": ["Text message: Failed (Twilio 30008)"],
        "Nora Quinn": ["Text message: No contact details"],
        "Omar Haddad": ["Text message: Opted out; Email: Sent, not confirmed"],
        "Vera Santos": ["Phone call: Sent, not confirmed"],
    }


def _deliveries(world: Any, message: Message, *states: tuple[Any, str, str]) -> None:
    for n, (guardian, channel, state) in enumerate(states):
        Delivery.objects.create(message=message, guardian=guardian, channel=channel, address=f"a{n}",
                                language="en", content_language="en", state=state, idempotency_key=f"k-{n}")


def test_reached_is_never_100_percent_while_nothing_was_delivered(world, client_for):
    message = compose(world)
    _deliveries(world, message, (world.ana, "sms", "sent"), (world.luis, "email", "sent"),
                (world.rosa, "voice", "sent"), (world.paul, "portal", "delivered"))
    Message.objects.filter(pk=message.pk).update(status="sent")
    html = _report(client_for, message)
    assert '<dd id="reached">0.0% (0)</dd>' in html
    channels = html_table(html, "report-channels").rows
    assert [channels[c][COLUMNS.index("Delivered")] for c in ("Email", "Text message", "Phone call")] == ["0"] * 3
    assert html_table(html, "report-not-reached").rows["Paul Walsh"] == ["Family portal: Not opened yet"]


def test_a_family_member_is_reached_once_by_any_confirmed_channel(world, client_for):
    message = compose(world)
    _deliveries(world, message, (world.ana, "sms", "delivered"), (world.ana, "email", "read"),
                (world.luis, "voice", "delivered"), (world.rosa, "portal", "read"), (world.paul, "sms", "failed"))
    Message.objects.filter(pk=message.pk).update(status="sent")
    html = _report(client_for, message)
    assert '<dd id="reached">75.0% (3)</dd>' in html  # Ana (twice), Luis's answered call, Rosa's opened portal
    assert list(html_table(html, "report-not-reached").rows) == ["Paul Walsh"]


def test_families_still_queued_are_not_listed_as_not_reached(world, client_for):
    message = compose(world)
    _deliveries(world, message, (world.ana, "sms", "queued"), (world.luis, "email", "failed"))
    Message.objects.filter(pk=message.pk).update(status="sending")
    html = _report(client_for, message)
    assert '<dd id="waiting">1</dd>' in html and '<dd id="not-reached-count">1</dd>' in html
    assert list(html_table(html, "report-not-reached").rows) == ["Luis Garcia"]


def test_the_report_draws_its_channel_chart_beside_the_table(sent, client_for):
    html = _report(client_for, sent.message)
    assert '<svg role="img" aria-labelledby="chart-channels-title chart-channels-desc"' in html
    assert "Delivered or read, in % of what went out, by channel" in html


def test_report_tables_have_captions_and_scoped_headers(sent, client_for):
    html = _report(client_for, sent.message)
    for table_id in ("report-channels", "report-languages", "report-not-reached"):
        table = html_table(html, table_id)
        assert table.caption
        assert table.head and all(scope == "col" for _text, scope in table.head)
        assert table.body and all(row[0][0] == "th" and row[0][2] == "row" for row in table.body)


def test_a_message_still_going_out_counts_as_waiting(world, client_for):
    message = compose(world)
    Delivery.objects.create(message=message, guardian=world.rosa, channel="sms", address="+12035550111",
                            language="es", content_language="es", state="queued", idempotency_key="k-1")
    Delivery.objects.create(message=message, guardian=world.ana, channel="email", address="ana@family.example",
                            language="es", content_language="es", state="sending", idempotency_key="k-2")
    Message.objects.filter(pk=message.pk).update(status="sending")
    html = _report(client_for, message)
    assert html_table(html, "report-languages").rows == {"Spanish": ["0", "0", "0", "0", "0", "0", "0", "2"]}
    assert html_table(html, "report-channels").rows["Text message"][-1] == "1"


# --- the CSV ------------------------------------------------------------------------------------------------------


def _csv(client_for: Any, message: Message) -> list[list[str]]:
    response = client_for("principal").get(f"/messaging/{message.pk}/report.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="message-{message.pk}.csv"'
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


HEADER = ["Family member number", "Family member", "Channel", "Address", "Home language", "Received in", "Outcome",
          "Why not sent",
          "Error", "Sent at", "Finished at", "Read at"]


def test_csv_has_one_row_per_delivery_with_outcome_and_reason(sent, client_for, world):
    header, *rows = _csv(client_for, sent.message)
    assert header == HEADER
    g = {world.ana.pk: world.ana, world.rosa.pk: world.rosa, sent.mark.pk: sent.mark, sent.nora.pk: sent.nora,
         sent.omar.pk: sent.omar, sent.vera.pk: sent.vera}
    assert [row[:4] + row[5:9] for row in rows] == [
        [str(pk), str(g[pk]), channel, address, language, state, reason, error]
        for pk, channel, address, language, state, reason, error in [
            (world.ana.pk, "Email", "ana@family.example", "Spanish", "Read", "", ""),
            (world.ana.pk, "Text message", world.ana.mobile_phone, "Spanish", "Not sent", "Opted out", ""),
            (world.rosa.pk, "Text message", world.rosa.mobile_phone, "Spanish", "Failed", "", "Twilio 30008"),
            (sent.mark.pk, "Email", "mark@family.example", "English", "Bounced", "", BOUNCE),
            (sent.mark.pk, "Text message", sent.mark.mobile_phone, "English", "Delivered", "", ""),
            (sent.nora.pk, "Text message", "", "English", "Not sent", "No contact details", ""),
            (sent.omar.pk, "Email", "omar@family.example", "English", "Sent", "", ""),
            (sent.omar.pk, "Text message", sent.omar.mobile_phone, "English", "Not sent", "Opted out", ""),
            (sent.vera.pk, "Phone call", "+12035550177", "Spanish", "Sent", "", ""),
        ]
    ]
    assert all(len(row) == len(HEADER) for row in rows)


def test_csv_times_are_iso_8601_and_only_where_something_happened(sent, client_for):
    _header, *rows = _csv(client_for, sent.message)
    for row in rows:
        state, sent_at, finished_at, read_at = row[6], row[9], row[10], row[11]
        assert bool(sent_at) == (state != "Not sent")
        assert bool(finished_at) == (state in {"Delivered", "Failed", "Bounced"})
        assert bool(read_at) == (state == "Read")
        for value in filter(None, (sent_at, finished_at, read_at)):
            assert dt.datetime.fromisoformat(value).tzinfo is not None


def test_csv_keeps_cells_that_look_like_formulas_as_text(world, client_for):
    world.rosa.given_name = "=HYPERLINK(\"http://evil.example\")"
    world.rosa.save()
    message = compose(world)
    Delivery.objects.create(message=message, guardian=world.rosa, channel="sms", address="+12035550111",
                            language="es", content_language="es", state="failed", error="-1 carrier",
                            idempotency_key="k-1")
    _header, row = _csv(client_for, message)
    assert row[1] == "'=HYPERLINK(\"http://evil.example\") Lopez"
    assert row[3] == "+12035550111"  # a phone number stays as it is
    assert row[8] == "'-1 carrier"


def test_csv_of_another_schools_message_is_not_found(world, client_for):
    message = compose(world, "admin", audience={"kind": "schools", "schools": [world.washington.pk]})
    Message.objects.filter(pk=message.pk).update(school=world.washington)
    assert client_for("principal").get(f"/messaging/{message.pk}/report.csv").status_code == 404


def test_a_language_spelled_several_ways_is_one_row_in_the_tables_and_the_csv(world, client_for):
    """Guardians' codes vary ('en', 'en-US', 'eng', 'English'): one English row, a family with two spellings of
    it counted once, and the same words in the CSV."""
    home = f.HouseholdFactory(district=world.district)
    people = [_family(world, "Amy", "One", "en", household=home), _family(world, "Ben", "One", "en-US", household=home),
              _family(world, "Cy", "Two", "eng"), _family(world, "Di", "Three", "English"),
              _family(world, "Eva", "Four", "es"), _family(world, "Fe", "Five", "es-MX")]
    message = compose(world)
    for n, person in enumerate(people):
        content = "es" if person.language.startswith("es") else ("en-US" if n == 1 else "en")
        Delivery.objects.create(message=message, guardian=person, channel="sms", address=f"a{n}",
                                language=person.language, content_language=content, state="delivered",
                                idempotency_key=f"k-{n}")
    Message.objects.filter(pk=message.pk).update(status="sent")
    html = _report(client_for, message)
    home_rows = [[text for _tag, text, _scope in row] for row in html_table(html, "report-home-languages").body]
    assert home_rows == [["English", "English", "3"], ["Spanish", "Spanish", "2"]]
    by_language = html_table(html, "report-languages").rows
    assert list(by_language) == ["English", "Spanish"]
    assert by_language["English"][COLUMNS.index("Delivered")] == "4"
    header, *rows = _csv(client_for, message)
    assert {row[header.index("Home language")] for row in rows} == {"English", "Spanish"}
