"""URL × role rules for messaging (see tests/test_url_access.py): staff pages, saved lists, dev outbox, webhooks."""

from __future__ import annotations

from typing import Any

from tests.access import Rule, expect_all, staff_only


def _message(w: Any) -> Any:
    from tests.messaging.helpers import compose

    return compose(w)  # the principal's message to Lincoln


def _conversation(w: Any) -> Any:
    from homeroom.messaging.conversations.threads import conversation_record_inbound
    from homeroom.messaging.models import Conversation

    conversation = Conversation.objects.create(
        district=w.district, school=w.lincoln, guardian=w.ana, staff=w.principal, subject="Pick-up",
        last_entry_at="2025-01-01T00:00:00Z",
    )
    conversation_record_inbound(guardian=w.ana, channel="portal", body="Hello")
    return conversation


def _family_attachment(w: Any) -> dict[str, Any]:
    """Ana's reply with a file, in a thread of the principal's (Lincoln)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from homeroom.messaging.models import ConversationEntry

    conversation = _conversation(w)
    name = f"conversation-attachments/{conversation.pk}/0000-note.pdf"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"%PDF-1.4 note"))
    entry = ConversationEntry.objects.create(conversation=conversation, from_guardian=True, author=w.ana.user,
                                             channel="portal", body="La nota", attachments=[name])
    return {"pk": conversation.pk, "entry_pk": entry.pk, "index": 0}


def _saved_list(w: Any) -> Any:
    from homeroom.messaging.compose.saved_lists import saved_list_create

    return saved_list_create(owner_id=w.teacher.pk, name="5A families", students=[w.sofia, w.mateo])


def _sent_file(w: Any) -> dict[str, Any]:
    """A file on the principal's sent message: its signed link opens it for anyone holding it (no sign-in)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from homeroom.messaging.compose.staff_attachments import family_file_url
    from homeroom.messaging.models import Message

    message = _message(w)
    name = default_storage.save(f"message-attachments/{message.pk}/0000-slip.pdf", ContentFile(b"%PDF-1.4 slip"))
    Message.objects.filter(pk=message.pk).update(attachments=[name], status=Message.Status.SENT)
    return {"token": family_file_url(message.pk, 0).rstrip("/").rsplit("/", 1)[-1]}


# A message the principal wrote to Lincoln: the district admin and the principal see it; other staff do not.
MESSAGE_VIEW = staff_only(404, admin=200, principal=200)
MESSAGE_POST = staff_only(404, admin=302, principal=302)
WEBHOOK = expect_all(403)

RULES = {
    "messaging:list": Rule(expect=staff_only(200)),
    "messaging:compose": Rule(expect=staff_only(200)),
    "messaging:family_file": Rule(kwargs=_sent_file, expect=expect_all(200)),
    "messaging:counter": Rule(method="post", data=lambda w: {"body_en": "Hello"}, expect=staff_only(200)),
    # The principal's draft: only those who may see it may edit it (the admin and the principal).
    "messaging:edit": Rule(kwargs=lambda w: {"pk": _message(w).pk}, expect=MESSAGE_VIEW),
    "messaging:preview": Rule(kwargs=lambda w: {"pk": _message(w).pk}, expect=MESSAGE_VIEW),
    "messaging:send": Rule(method="post", kwargs=lambda w: {"pk": _message(w).pk}, expect=MESSAGE_POST),
    "messaging:cancel": Rule(method="post", kwargs=lambda w: {"pk": _message(w).pk}, expect=MESSAGE_POST),
    "messaging:translate": Rule(method="post", kwargs=lambda w: {"pk": _message(w).pk}, expect=MESSAGE_POST),
    "messaging:review": Rule(kwargs=lambda w: {"pk": _message(w).pk, "language": "es"}, expect=MESSAGE_VIEW),
    "messaging:report": Rule(kwargs=lambda w: {"pk": _message(w).pk}, expect=MESSAGE_VIEW),
    "messaging:progress": Rule(kwargs=lambda w: {"pk": _message(w).pk}, expect=MESSAGE_VIEW),
    "messaging:report_csv": Rule(kwargs=lambda w: {"pk": _message(w).pk}, expect=MESSAGE_VIEW),
    "messaging:inbox": Rule(expect=staff_only(200)),
    "messaging:conversation": Rule(kwargs=lambda w: {"pk": _conversation(w).pk}, expect=MESSAGE_VIEW),
    # A family's file: only staff who may read its conversation; families use the portal's own link.
    "messaging:conversation_attachment": Rule(kwargs=_family_attachment, expect=MESSAGE_VIEW),
    # Saved lists: every staff member has their own; a list is its owner's alone (the teacher's here).
    "messaging:saved_lists": Rule(expect=staff_only(200)),
    "messaging:saved_list_create": Rule(expect=staff_only(200)),
    "messaging:saved_list_edit": Rule(kwargs=lambda w: {"pk": _saved_list(w).pk}, expect=staff_only(404, teacher=200)),
    "messaging:saved_list_delete": Rule(method="post", kwargs=lambda w: {"pk": _saved_list(w).pk},
                                        expect=staff_only(404, teacher=302)),
    "messaging:outbox": Rule(expect=expect_all(404)),  # DEBUG only (tests/security/test_outbox.py)
    # Provider webhooks: no session counts; an unsigned request is refused whoever sends it.
    "messaging:twilio_sms": Rule(method="post", data=lambda w: {"From": "+12035550001", "Body": "STOP"},
                                 expect=WEBHOOK, csrf_exempt=True),
    "messaging:twilio_status": Rule(method="post", data=lambda w: {"MessageSid": "SM1", "MessageStatus": "failed"},
                                    expect=WEBHOOK, csrf_exempt=True),
    "messaging:email_tracking": Rule(method="post", kwargs=lambda w: {"esp": "postmark"},
                                     data=lambda w: {"RecordType": "Delivery"}, expect=WEBHOOK, csrf_exempt=True),
    # District administrators only: the fallback rule and quiet hours of their own district.
    "messaging:district_settings": Rule(expect=expect_all(403, anonymous=302, admin=200)),
    # Family email replies: an ESP's inbound webhook or a raw RFC 822 post, refused without the webhook secret.
    "messaging:email_inbound": Rule(method="post", kwargs=lambda w: {"esp": "raw"},
                                    data=lambda w: {"message": "From: a@b.example"}, expect=WEBHOOK, csrf_exempt=True),
}
