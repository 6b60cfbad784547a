"""Running an uploaded export in a worker: claim the run, keep a heartbeat, record the outcome or the failure.

A run whose worker dies (killed, out of memory, machine lost) stops beating; once its lease has run out,
`import_runs_mark_stale` marks it failed. The import's writes are one transaction, so a dead worker has
written nothing, and the stored upload is kept so the run can be tried again.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from types import TracebackType

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.db.models import F
from django.utils import timezone, translation

from homeroom.roster.importers.run import import_oneroster
from homeroom.roster.models import ImportRun

logger = logging.getLogger(__name__)
Status = ImportRun.Status


class Heartbeat:
    """Touches the run's heartbeat from a thread of its own (its own database connection) while the import runs.

    The import's main connection is inside one long transaction while it writes, so it cannot say it is alive.
    On SQLite a beat may wait for the writer's lock and be skipped; the lease is long enough for that.
    """

    def __init__(self, run_id: int, interval: float) -> None:
        self.run_id, self.interval = run_id, interval
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"import-run-{run_id}-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop.set()
        self.thread.join()

    def _beat(self) -> None:
        try:
            while not self.stop.wait(self.interval):
                try:
                    ImportRun.objects.filter(pk=self.run_id, status=Status.RUNNING).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    logger.info("import run %s: heartbeat skipped (database busy)", self.run_id)
        finally:
            connection.close()  # this thread's own connection


def _stage(run_id: int, stage: str) -> None:
    ImportRun.objects.filter(pk=run_id).update(stage=stage, heartbeat_at=timezone.now())


def import_run_execute(*, run_id: int) -> str:
    """Import a queued run's stored upload; returns the run's final status ("" when it was not ours to run)."""
    import_runs_mark_stale()
    claimed = ImportRun.objects.filter(pk=run_id, status=Status.QUEUED).update(
        status=Status.RUNNING, stage=ImportRun.Stage.READING, heartbeat_at=timezone.now(), attempts=F("attempts") + 1,
    )
    if not claimed:
        return ""  # already taken by another worker, or withdrawn
    run = ImportRun.objects.select_related("district", "created_by").get(pk=run_id)
    interval = max(1.0, settings.IMPORT_LEASE_SECONDS / 5)
    # The problems are written in the language of the person who uploaded the export.
    language = getattr(run.created_by, "language", "") or settings.LANGUAGE_CODE
    try:
        with Heartbeat(run_id, interval), translation.override(language), \
                default_storage.open(run.upload, "rb") as handle:
            import_oneroster(handle, district_slug=run.district.slug if run.district else None, user=run.created_by,
                             dry_run=run.dry_run, run=run, progress=lambda stage: _stage(run_id, stage))
    except Exception:
        # Nothing was written (one transaction); keep the upload so that a person can try again.
        logger.exception("import run %s failed", run_id)
        ImportRun.objects.filter(pk=run_id).update(status=Status.FAILED, stage="", finished_at=timezone.now(),
                                                   failure=ImportRun.Failure.ERROR)
        return Status.FAILED
    upload, run.upload = run.upload, ""
    ImportRun.objects.filter(pk=run_id).update(upload="", stage="")
    default_storage.delete(upload)
    return str(run.status)


def import_runs_mark_stale(*, now: dt.datetime | None = None) -> int:
    """Mark failed every running import whose worker has been silent for longer than the lease."""
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=settings.IMPORT_LEASE_SECONDS)
    return ImportRun.objects.filter(status=Status.RUNNING, heartbeat_at__lt=cutoff).update(
        status=Status.FAILED, stage="", finished_at=now or timezone.now(), failure=ImportRun.Failure.WORKER_LOST,
    )
