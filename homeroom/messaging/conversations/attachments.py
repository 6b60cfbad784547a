"""Files a family attaches to a reply: checked by what they contain (not only their name) and size, stored
under their conversation with names no one can guess, and served only to people who may read that conversation.
"""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

ATTACHMENT_DIR = "conversation-attachments"
MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
SNIFF_BYTES = 8192


class AttachmentError(ValueError):
    """A file that may not be attached; the text tells the family why."""


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: frozenset[str]


PDF = FileKind("application/pdf", frozenset({".pdf"}))
JPEG = FileKind("image/jpeg", frozenset({".jpg", ".jpeg"}))
PNG = FileKind("image/png", frozenset({".png"}))
HEIC = FileKind("image/heic", frozenset({".heic", ".heif"}))
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", frozenset({".docx"}))
DOC = FileKind("application/msword", frozenset({".doc"}))
TEXT = FileKind("text/plain", frozenset({".txt"}))
ALLOWED = (PDF, JPEG, PNG, HEIC, DOCX, DOC, TEXT)
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis"}


def _suffix(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _is_docx(upload: Any) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


def sniff(upload: Any) -> FileKind | None:
    """What the file's bytes say it is, among the allowed kinds; None for anything else."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return HEIC
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return DOC
    if head.startswith(b"PK\x03\x04"):
        return DOCX if _is_docx(upload) else None
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
                return None
        return TEXT
    return None


def attachment_check(upload: Any) -> FileKind:
    """The file's kind when it may be attached: an allowed kind by its content, named like that kind, small enough."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise AttachmentError(_("Each file must be smaller than 5 MB."))
    kind = sniff(upload)
    if kind is None or _suffix(upload.name or "") not in kind.extensions:
        raise AttachmentError(_("This kind of file cannot be attached. Send a PDF, a photo or a document."))
    return kind


def attachments_check(files: Iterable[Any]) -> list[Any]:
    files = list(files)
    if len(files) > MAX_ATTACHMENTS:
        raise AttachmentError(_("Attach at most 3 files."))
    for upload in files:
        attachment_check(upload)
    return files


def attachments_store(*, conversation_id: int, files: Iterable[Any]) -> list[str]:
    """Check, then keep a family's attached files under the conversation, named so they are never guessable."""
    stored = []
    for upload in attachments_check(files):
        safe = get_valid_filename(upload.name or "file")[-80:]
        name = f"{ATTACHMENT_DIR}/{conversation_id}/{uuid.uuid4().hex}-{safe}"
        stored.append(default_storage.save(name, upload))
    return stored


def is_stored_attachment(name: str, *, conversation_id: int) -> bool:
    return name.startswith(f"{ATTACHMENT_DIR}/{conversation_id}/") and ".." not in name


def attachment_label(name: str) -> str:
    """'…/3f2a…-report.pdf' → 'report.pdf'."""
    return name.rsplit("/", 1)[-1].split("-", 1)[-1]


def attachment_content_type(name: str) -> str:
    """The type it was accepted as (its extension was checked against its content when it was stored)."""
    suffix = _suffix(name)
    return next((kind.content_type for kind in ALLOWED if suffix in kind.extensions), "application/octet-stream")
