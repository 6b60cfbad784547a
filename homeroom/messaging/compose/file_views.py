"""A family opens a file staff attached to a message, through the signed link in their text, email or portal copy."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from homeroom.messaging.compose.staff_attachments import (
    attachment_content_type,
    attachment_label,
    is_message_attachment,
    message_file_name,
)
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
    name = names[index]
    if not default_storage.exists(name):
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=attachment_label(name),
                            content_type=attachment_content_type(name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
