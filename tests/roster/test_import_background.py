"""Web uploads are stored and imported by a worker; the run's page follows the import with or without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from homeroom.roster import models as m
from homeroom.roster.importers import import_oneroster
from homeroom.roster.importers.background import import_runs_mark_stale
from tests.roster.test_import_helpers import files_11, make_zip

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _post(client, files=None, capture=None):
    archive = SimpleUploadedFile("export.zip", make_zip(files or files_11()).getvalue(), content_type="application/zip")
    if capture is None:
        return client.post(reverse("roster:import"), {"export": archive})
    with capture(execute=True):
        return client.post(reverse("roster:import"), {"export": archive})


def test_upload_is_stored_and_queued_and_the_page_refreshes_itself_without_javascript(world, client_for, settings):
    settings.TASKS = DUMMY
    client = client_for("admin")

    response = _post(client)

    run = m.ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("roster:import_run", args=[run.pk])
    assert run.status == m.ImportRun.Status.QUEUED and default_storage.exists(run.upload)
    page = client.get(response["Location"]).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "waits for a worker" in page and 'hx-trigger="every 3s"' in page
    assert f'href="{reverse("roster:import_run", args=[run.pk])}"' in page  # a plain link to look again


def test_htmx_polls_get_the_progress_alone_then_a_full_refresh_when_done(world, client_for, settings):
    settings.TASKS = DUMMY
    client = client_for("admin")
    _post(client)
    run = m.ImportRun.objects.get()
    url = reverse("roster:import_run", args=[run.pk])

    waiting = client.get(url, HTTP_HX_REQUEST="true")
    assert waiting.content.decode().startswith('<div id="import-progress"')

    m.ImportRun.objects.filter(pk=run.pk).update(status=m.ImportRun.Status.RUNNING, stage="writing",
                                                 heartbeat_at=timezone.now())
    assert "Saving…" in client.get(url, HTTP_HX_REQUEST="true").content.decode()

    m.ImportRun.objects.filter(pk=run.pk).update(status=m.ImportRun.Status.APPLIED)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done.headers["HX-Refresh"] == "true"


def test_the_worker_imports_the_stored_file_then_deletes_it(world, client_for, django_capture_on_commit_callbacks):
    client = client_for("admin")

    response = _post(client, capture=django_capture_on_commit_callbacks)

    run = m.ImportRun.objects.get()
    assert run.status == m.ImportRun.Status.APPLIED and run.attempts == 1 and run.upload == ""
    assert not default_storage.listdir("imports/" + str(world.district.pk))[1]
    assert "The roster was updated." in client.get(response["Location"]).content.decode()


def test_problems_are_written_in_the_language_of_the_person_who_uploaded(world, client_for,
                                                                         django_capture_on_commit_callbacks):
    world.admin.user.language = "es"
    world.admin.user.save(update_fields=["language"])
    files = files_11()
    files["classes.csv"] = files["classes.csv"].replace("Room 12,sch-1", "Room 12,sch-9")

    _post(client_for("admin"), files, capture=django_capture_on_commit_callbacks)

    run = m.ImportRun.objects.get()
    assert run.status == m.ImportRun.Status.REJECTED
    assert {"file": "classes.csv", "row": 2, "column": "schoolSourcedId",
            "message": "sch-9 no está en orgs.csv."} in run.errors


def test_an_upload_over_the_size_limit_is_refused_on_the_form(world, client_for, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0
    response = _post(client_for("admin"))
    assert response.status_code == 422
    assert "larger than 0 MB" in response.content.decode()
    assert not m.ImportRun.objects.exists()


def test_a_running_import_is_marked_failed_only_once_its_lease_has_run_out(world, settings):
    settings.IMPORT_LEASE_SECONDS = 300
    beat = timezone.now()
    run = m.ImportRun.objects.create(district=world.district, source_name="x.zip", status=m.ImportRun.Status.RUNNING,
                                     heartbeat_at=beat, upload="imports/x.zip")

    assert import_runs_mark_stale(now=beat + dt.timedelta(seconds=299)) == 0
    assert import_runs_mark_stale(now=beat + dt.timedelta(seconds=301)) == 1

    run.refresh_from_db()
    assert run.status == m.ImportRun.Status.FAILED and run.retryable


def test_only_a_failed_run_can_be_tried_again(world, client_for, settings):
    settings.TASKS = DUMMY
    run = m.ImportRun.objects.create(district=world.district, source_name="x.zip", status=m.ImportRun.Status.APPLIED,
                                     upload="imports/x.zip")
    client_for("admin").post(reverse("roster:import_run_again", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == m.ImportRun.Status.APPLIED


def test_an_import_analyzes_the_tables_it_changed(db):
    report = import_oneroster(make_zip(files_11()))
    assert report.ok
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ANALYZE sets the planner's row estimate (-1: never analysed) within the same transaction.
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'roster_student'")
            assert cursor.fetchone()[0] == 2
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'roster_student'")
            assert cursor.fetchone() is not None
