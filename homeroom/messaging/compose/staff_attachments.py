"""Files staff attach to a message (PDF, PNG, JPEG): checked by their bytes and size with the same checks as a
family's files (conversations.attachments), stored privately under the message, and given to families as a signed
link (in texts, emails and the portal copy) that needs no sign-in and names no one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.files.storage import default_storage
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from homeroom.messaging.conversations.attachments import (
    JPEG,
    MAX_ATTACHMENT_BYTES,
    PDF,
    PNG,
    AttachmentError,
    attachment_content_type,
    attachment_label,
    sniff,
)
from homeroom.messaging.message_files import family_file_url, message_file_name

MESSAGE_ATTACHMENT_DIR = "message-attachments"
STAFF_KINDS = (PDF, PNG, JPEG)
MAX_STAFF_ATTACHMENTS = 3

__all__ = ["AttachmentError", "attachment_content_type", "attachment_label", "family_file_url",
           "is_message_attachment", "message_file_name", "message_files_set", "staff_attachments_check",
           "staff_attachments_store"]


def _suffix(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def staff_attachment_check(upload: Any) -> None:
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise AttachmentError(_("Each file must be smaller than 5 MB."))
    kind = sniff(upload)
    if kind not in STAFF_KINDS or _suffix(upload.name or "") not in kind.extensions:
        raise AttachmentError(_("Attach a PDF, a PNG or a JPEG file."))


def staff_attachments_check(files: Iterable[Any], *, already: int = 0) -> list[Any]:
    files = list(files)
    if len(files) + already > MAX_STAFF_ATTACHMENTS:
        raise AttachmentError(_("Attach at most 3 files."))
    for upload in files:
        staff_attachment_check(upload)
    return files


def staff_attachments_store(*, message_id: int, files: Iterable[Any]) -> list[str]:
    """Check, then keep the files under the message with names no one can guess."""
    stored = []
    for upload in staff_attachments_check(files):
        safe = get_valid_filename(upload.name or "file")[-80:]
        stored.append(default_storage.save(f"{MESSAGE_ATTACHMENT_DIR}/{message_id}/{uuid.uuid4().hex}-{safe}", upload))
    return stored


def is_message_attachment(name: str, *, message_id: int) -> bool:
    return name.startswith(f"{MESSAGE_ATTACHMENT_DIR}/{message_id}/") and ".." not in name


def message_files_set(*, message: Any, kept: list[str], uploads: Iterable[Any]) -> list[str]:
    """The draft's files: those kept, then the new ones (checked and stored); removed ones are deleted."""
    stored = staff_attachments_store(message_id=message.pk, files=uploads)
    for name in set(message.attachments or []) - set(kept):
        if is_message_attachment(name, message_id=message.pk):
            default_storage.delete(name)
    message.attachments = [*kept, *stored]
    message.save(update_fields=["attachments"])
    return list(message.attachments)
