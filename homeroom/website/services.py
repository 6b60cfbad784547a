"""Writes of the district's public content (the editor's views call these after checking who may edit)."""

from __future__ import annotations

from typing import Any

from homeroom.roster.models import District
from homeroom.website.models import PublicationSettings, PublicFile


def publication_settings_save(*, district: District, form: Any, user: Any) -> PublicationSettings:
    settings_row: PublicationSettings = form.save(commit=False)
    settings_row.district = district
    settings_row.updated_by = user
    settings_row.save()
    return settings_row


def public_file_save(*, district: District, form: Any) -> PublicFile:
    """A new upload for a key and language replaces the earlier one (its file is deleted from storage)."""
    upload: PublicFile = form.save(commit=False)
    earlier = PublicFile.objects.filter(district=district, key=upload.key, language=upload.language).first()
    if earlier is not None:
        earlier.file.delete(save=False)
        earlier.delete()
    upload.district = district
    upload.save()
    return upload


def public_file_delete(*, item: PublicFile) -> None:
    item.file.delete(save=False)
    item.delete()
