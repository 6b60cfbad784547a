"""A family opens a file staff attached to a message, through the signed link in their text, email or portal copy."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from homeroom.messaging.compose.staff_attachments import is_message_attachment, message_file_name
from homeroom.messaging.conversations.attachment_views import stored_file_download
from homeroom.messaging.models import Message


@require_GET
def family_file(request: HttpRequest, token: str) -> FileResponse:
    """No sign-in (the link is the key, as in the text itself); a draft's files are never served this way."""
    found = message_file_name(token)
    if found is None:
        raise Http404
    message_id, index = found
    message = Message.objects.filter(pk=message_id).exclude(status=Message.Status.DRAFT).only("attachments").first()
    names = list(message.attachments or []) if message else []
    if index < 0 or index >= len(names) or not is_message_attachment(names[index], message_id=message_id):
        raise Http404
    response = stored_file_download(names[index])
    response["Cache-Control"] = "private, no-store"
    return response
