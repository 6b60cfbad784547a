"""Starting and retrying background imports of an uploaded OneRoster export (the web side of the queue)."""

from __future__ import annotations

import uuid

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from homeroom.core.models import User
from homeroom.roster.models import District, ImportRun
from homeroom.roster.tasks import import_run_task

UPLOAD_FOLDER = "imports"


def _enqueue(run_id: int) -> None:
    transaction.on_commit(lambda: import_run_task.enqueue(run_id))


def import_run_start(*, district: District, user: User, upload: UploadedFile, dry_run: bool) -> ImportRun:
    """Store the upload (on disk, not in memory) and queue its import; the run page follows its progress."""
    name = default_storage.save(f"{UPLOAD_FOLDER}/{district.pk}/{uuid.uuid4().hex}.zip", upload)
    run = ImportRun.objects.create(
        district=district, source_name=str(upload.name or "upload.zip")[-255:], status=ImportRun.Status.QUEUED,
        upload=name, dry_run=dry_run, created_by=user,
    )
    _enqueue(run.pk)
    return run


def import_run_retry(*, run: ImportRun) -> bool:
    """Queue a failed run again with its stored upload; False when it cannot be retried."""
    queued = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.FAILED).exclude(upload="").update(
        status=ImportRun.Status.QUEUED, failure="", finished_at=None, heartbeat_at=None, stage="",
    )
    if queued:
        _enqueue(run.pk)
    return bool(queued)
