"""Email replies: sent through real SMTP with a per-delivery Reply-To, answered through ESP webhooks or a raw pipe."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import logging
import sys
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from django.core.management import call_command

from homeroom.messaging import selectors, services
from homeroom.messaging.channels.email import reply_token
from homeroom.messaging.conversations.replies import email_reply_receive
from homeroom.messaging.models import ConversationEntry, Delivery
from tests.messaging.helpers import compose, send
from tests.messaging.test_notify_email import email_first, smtp  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
SECRET = "hook:secret"
AUTH = "Basic " + base64.b64encode(SECRET.encode()).decode()
MAILGUN_KEY = "mailgun-signing-key"
REPLY = "Gracias. ¿A qué hora abre la escuela el jueves?"
QUOTED = (
    f"{REPLY}\n\n"
    "El lun, 3 mar 2025 a las 10:00, Main office <reply@homeroom.localhost>\nescribió:\n"
    "> La escuela está cerrada mañana.\n> Main office +12035550100\n"
)


@pytest.fixture
def emailed(email_first, smtp, settings, django_capture_on_commit_callbacks):  # noqa: F811
    """Ana was sent the principal's message by email through the SMTP server; returns (delivery, email)."""
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}
    message = send(email_first, compose(email_first), django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(message=message, guardian=email_first.ana, channel="email")
    sent = next(m for to, m in smtp.messages if to == ["ana@family.example"])
    return delivery, sent


def _entries():
    return list(ConversationEntry.objects.filter(from_guardian=True, channel="email"))


def _postmark_inbound(reply_to, *, text=QUOTED, message_id="<ana-1@family.example>"):
    return {
        "FromName": "Ana", "From": "ana@family.example", "FromFull": {"Email": "ana@family.example", "Name": "Ana"},
        "To": reply_to, "ToFull": [{"Email": reply_to, "Name": ""}], "CcFull": [], "BccFull": [],
        "OriginalRecipient": reply_to, "Subject": "Re: Escuela cerrada", "MessageID": "22c74902-a0c1-4511",
        "Date": "Mon, 3 Mar 2025 10:05:00 -0500", "TextBody": text, "HtmlBody": "",
        "StrippedTextReply": REPLY, "Headers": [{"Name": "Message-ID", "Value": message_id}], "Attachments": [],
    }


def _post_postmark(client, payload, auth=AUTH):
    return client.post("/messaging/hooks/email/postmark/inbound/", json.dumps(payload),
                       content_type="application/json", HTTP_AUTHORIZATION=auth)


def _raw_reply(to, *, body=QUOTED, **headers) -> bytes:
    email = EmailMessage()
    email["From"], email["To"], email["Subject"] = "Ana <ana@family.example>", to, "Re: Escuela cerrada"
    email["Message-ID"] = "<ana-raw@family.example>"
    for name, value in headers.items():
        email[name.replace("_", "-")] = value
    email.set_content(body)
    return email.as_bytes()


def test_sent_email_replies_to_an_address_naming_its_delivery(emailed):
    delivery, sent = emailed
    assert sent["Reply-To"] == f"reply+{reply_token(delivery.pk)}@homeroom.localhost"


def test_postmark_reply_lands_in_the_conversation_without_the_quoted_part(emailed, client, world):
    delivery, sent = emailed
    assert _post_postmark(client, _postmark_inbound(sent["Reply-To"])).status_code == 200
    [entry] = _entries()
    assert entry.body == REPLY
    assert (entry.conversation.guardian_id, entry.conversation.message_id) == (world.ana.pk, delivery.message_id)


def test_email_reply_shows_unread_in_the_senders_staff_inbox(emailed, client, world):
    _post_postmark(client, _postmark_inbound(emailed[1]["Reply-To"]))
    conversation = _entries()[0].conversation
    assert selectors.staff_inbox_for(world.principal.user).get(pk=conversation.pk).unread == 1


def test_postmark_inbound_without_the_webhook_secret_is_refused(emailed, client):
    wrong = "Basic " + base64.b64encode(b"wrong:creds").decode()
    assert _post_postmark(client, _postmark_inbound(emailed[1]["Reply-To"]), auth=wrong).status_code in (400, 403)
    assert _entries() == []


def test_inbound_is_refused_when_no_secret_is_configured(emailed, client, settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": ""}
    assert _post_postmark(client, _postmark_inbound(emailed[1]["Reply-To"])).status_code == 403
    assert _entries() == []


def test_mailgun_forwarded_reply_lands_in_the_conversation(emailed, client):
    reply_to = emailed[1]["Reply-To"]
    timestamp, token = "1741014300", "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0"
    signature = hmac.new(MAILGUN_KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    headers = [["From", "Ana <ana@family.example>"], ["To", reply_to], ["Subject", "Re: Escuela cerrada"],
               ["Message-Id", "<ana-mg@family.example>"]]
    response = client.post("/messaging/hooks/email/mailgun/inbound/", {
        "recipient": reply_to, "sender": "ana@family.example", "from": "Ana <ana@family.example>",
        "subject": "Re: Escuela cerrada", "body-plain": QUOTED, "stripped-text": REPLY,
        "message-headers": json.dumps(headers), "timestamp": timestamp, "token": token, "signature": signature,
    }, HTTP_AUTHORIZATION=AUTH)
    assert response.status_code == 200
    assert [e.body for e in _entries()] == [REPLY]


def test_receive_email_command_threads_a_piped_message(emailed, monkeypatch):
    raw = _raw_reply(emailed[1]["Reply-To"])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    call_command("receive-email", stdout=out)
    [entry] = _entries()
    assert entry.body == REPLY and out.getvalue().strip() == f"conversation {entry.conversation_id}"


def test_raw_endpoint_threads_a_posted_rfc822_message(emailed, client):
    response = client.post("/messaging/hooks/email/raw/inbound/", _raw_reply(emailed[1]["Reply-To"]),
                           content_type="message/rfc822", HTTP_AUTHORIZATION=AUTH)
    assert response.status_code == 204
    assert [e.body for e in _entries()] == [REPLY]


def test_raw_endpoint_without_credentials_is_refused(emailed, client):
    response = client.post("/messaging/hooks/email/raw/inbound/", _raw_reply(emailed[1]["Reply-To"]),
                           content_type="message/rfc822")
    assert response.status_code == 403 and _entries() == []


def test_reply_to_a_forged_token_is_ignored_with_a_log_line_naming_no_one(emailed, client, caplog):
    delivery = emailed[0]
    forged = f"reply+d{delivery.pk}-{'0' * 24}@homeroom.localhost"
    with caplog.at_level(logging.INFO, logger="homeroom.messaging.conversations.replies"):
        assert _post_postmark(client, _postmark_inbound(forged)).status_code == 200
    assert _entries() == []
    assert "ignored" in caplog.text and "ana" not in caplog.text.lower()


def test_reply_without_the_token_is_matched_by_the_message_id_it_answers(emailed):
    raw = _raw_reply("office@school.example", In_Reply_To=emailed[1]["Message-ID"].strip())
    assert email_reply_receive(message=message_from_bytes(raw, policy=policy.default)).body == REPLY


def test_message_id_match_from_another_sender_is_ignored(emailed):
    raw = _raw_reply("office@school.example", In_Reply_To=emailed[1]["Message-ID"].strip())
    message = message_from_bytes(raw, policy=policy.default)
    message.replace_header("From", "someone@elsewhere.example")
    assert email_reply_receive(message=message) is None


def test_a_retried_webhook_adds_the_reply_once(emailed, client):
    payload = _postmark_inbound(emailed[1]["Reply-To"])
    _post_postmark(client, payload)
    _post_postmark(client, payload)
    assert len(_entries()) == 1


def test_out_of_office_answer_is_not_added(emailed, client):
    response = client.post("/messaging/hooks/email/raw/inbound/",
                           _raw_reply(emailed[1]["Reply-To"], body="I am away until Monday.",
                                      Auto_Submitted="auto-replied"),
                           content_type="message/rfc822", HTTP_AUTHORIZATION=AUTH)
    assert response.status_code == 204 and _entries() == []


def test_staff_answer_to_an_email_is_emailed_back_and_a_reply_to_it_joins_the_same_thread(
    emailed, client, smtp, world, django_capture_on_commit_callbacks  # noqa: F811
):
    _post_postmark(client, _postmark_inbound(emailed[1]["Reply-To"]))
    conversation = _entries()[0].conversation
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.conversation_reply(conversation=conversation, author_user=world.principal.user,
                                            body="A las 8.")
    answer = smtp.messages[-1][1]
    assert smtp.messages[-1][0] == ["ana@family.example"] and answer["Subject"] == "Re: Escuela cerrada"
    assert answer["In-Reply-To"] == "<ana-1@family.example>" and "A las 8." in answer.get_payload(decode=True).decode()
    assert Delivery.objects.get(pk=entry.delivery_id).state == "sent"  # an engine delivery, with its own Reply-To
    _post_postmark(client, _postmark_inbound(answer["Reply-To"], text="Gracias.", message_id="<ana-2@family.example>"))
    assert [e.conversation_id for e in _entries()] == [conversation.pk, conversation.pk]
