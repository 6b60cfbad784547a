"""Serving a family's attached file, to the family and to staff who may read the conversation (scoped, or 404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest

from homeroom.access import scoping
from homeroom.messaging import selectors
from homeroom.messaging.conversations.attachments import attachment_content_type, attachment_label, is_stored_attachment
from homeroom.messaging.models import ConversationEntry


def attachment_response(entry: ConversationEntry, index: int, *, conversation_id: int) -> FileResponse:
    """The file as a download of the type it was accepted as; the browser is told not to guess another."""
    names = entry.attachments or []
    if index >= len(names) or not is_stored_attachment(names[index], conversation_id=conversation_id):
        raise Http404
    return stored_file_download(names[index])


def stored_file_download(name: str) -> FileResponse:
    """A stored attachment (a family's or staff's) as a download of the type it was accepted as, under its own
    name; the browser is told not to guess another type. 404 when the file is gone."""
    if not default_storage.exists(name):
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=attachment_label(name),
                            content_type=attachment_content_type(name))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def conversation_attachment(request: HttpRequest, pk: int, entry_pk: int, index: int) -> FileResponse:
    """Staff: a file in a conversation they may read (their inbox's scope)."""
    scoping.require_staff(request.user)
    thread = scoping.get_in_scope(selectors.staff_inbox_for(request.user), pk=pk)
    entry = scoping.get_in_scope(selectors.conversation_entries(thread), pk=entry_pk)
    return attachment_response(entry, index, conversation_id=thread.pk)
