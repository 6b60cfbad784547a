"""A real worker process SIGKILLed in the middle of an import's writes: nothing half-written, the run marked failed
once its lease runs out (never "running" for ever), and trying again with the stored file applies the export.

The worker (tests/roster/import_crash_worker.py) is a separate process on this test's database; it stops right
after writing the students, inside the import's transaction, and is killed there.
"""

from __future__ import annotations

import datetime as dt
import os
import select
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homeroom.roster import models as m
from homeroom.roster.import_services import import_run_start
from homeroom.roster.importers.background import import_runs_mark_stale
from tests.actors import World, build_world
from tests.roster.test_import_helpers import files_11, make_zip

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals"),
]

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 60.0  # seconds; only reached when something is broken


@pytest.fixture
def queued(shared_database: str, settings: Any, tmp_path: Path) -> tuple[World, m.ImportRun]:
    """The test world and an upload of files_11() queued for its district (the queue is never run here)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    upload = SimpleUploadedFile("export.zip", make_zip(files_11()).getvalue(), content_type="application/zip")
    run = import_run_start(district=world.district, user=world.admin.user, upload=upload, dry_run=False)
    return world, run


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row the import writes, as it stands."""
    return {
        "students": sorted(m.Student.objects.values_list("sourced_id", "given_name", "family_name", "is_active")),
        "guardians": sorted(m.Guardian.objects.values_list("sourced_id", "given_name", "is_active")),
        "staff": sorted(m.Staff.objects.values_list("sourced_id", "is_active")),
        "sections": sorted(m.Section.objects.values_list("sourced_id", "title", "is_active")),
        "enrollments": sorted(m.Enrollment.objects.values_list("sourced_id", "is_active")),
        "schools": sorted(m.School.objects.values_list("sourced_id", "name", "is_active")),
    }


def _kill_mid_write(run: m.ImportRun, database_url: str, data_dir: Path) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "homeroom.settings", "DATABASE_URL": database_url,
           "HOMEROOM_DATA_DIR": str(data_dir), "HOMEROOM_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen([sys.executable, "-m", "tests.roster.import_crash_worker", str(run.pk)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([proc.stdout], [], [], DEADLINE)
        line = proc.stdout.readline() if ready else ""  # type: ignore[union-attr]
        assert line.startswith("WROTE "), f"the worker did not reach the writes: {line}{proc.stderr.read()[-3000:]}"  # type: ignore[union-attr]
        assert int(line.split()[1]) >= 2
        # The students are written, uncommitted; the run is visibly running.
        assert m.ImportRun.objects.get(pk=run.pk).status == m.ImportRun.Status.RUNNING
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(DEADLINE)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL


def test_worker_killed_mid_import_leaves_nothing_half_written_and_the_run_failed_and_retryable(
    queued, shared_database, tmp_path, settings
):
    world, run = queued
    admin = Client()
    admin.force_login(world.admin.user)
    before = _snapshot()

    _kill_mid_write(run, shared_database, tmp_path)

    assert _snapshot() == before
    run.refresh_from_db()
    assert run.status == m.ImportRun.Status.RUNNING and run.attempts == 1  # nobody has noticed yet
    assert import_runs_mark_stale(now=timezone.now() + dt.timedelta(seconds=settings.IMPORT_LEASE_SECONDS - 5)) == 0

    later = timezone.now() + dt.timedelta(seconds=settings.IMPORT_LEASE_SECONDS + 1)
    assert import_runs_mark_stale(now=later) == 1
    run.refresh_from_db()
    assert run.status == m.ImportRun.Status.FAILED and run.failure == m.ImportRun.Failure.WORKER_LOST
    assert run.retryable and default_storage.exists(run.upload)
    page = admin.get(reverse("roster:import_run", args=[run.pk])).content.decode()
    assert "stopped before it finished; nothing was saved" in page and "Try again with the same file" in page

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    admin.post(reverse("roster:import_run_again", args=[run.pk]))  # autocommit here: the task runs at once
    run.refresh_from_db()
    assert run.status == m.ImportRun.Status.APPLIED and run.attempts == 2 and not run.upload
    assert m.Student.objects.get(district=world.district, sourced_id="stu-1").given_name == "Sofia"
    assert _snapshot() != before
