"""The upload page for district administrators (imports run in the background), and the `homeroom import-oneroster`
command."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from homeroom.roster import models as m
from tests.roster.test_import_helpers import SAMPLES, files_11, make_zip


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Post an export and follow to its run page; the queued import runs when the request's transaction commits."""

    def post(client, files, **extra):
        archive = SimpleUploadedFile("export.zip", make_zip(files).getvalue(), content_type="application/zip")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("roster:import"), {"export": archive, **extra})
        if response.status_code != 302:
            return response
        return client.get(response["Location"])

    return post


def test_admin_upload_applies_the_export_to_their_district(world, client_for, upload):
    response = upload(client_for("admin"), files_11())
    assert response.status_code == 200
    assert m.Student.objects.filter(district=world.district, sourced_id="stu-1").exists()
    assert m.ImportRun.objects.get().created_by == world.admin.user


def test_admin_sees_every_problem_of_a_rejected_upload(world, client_for, upload):
    files = files_11()
    files["classes.csv"] = files["classes.csv"].replace("Room 12,sch-1", "Room 12,sch-9")
    response = upload(client_for("admin"), files)
    assert response.status_code == 422
    assert "sch-9 is not in orgs.csv." in response.content.decode()
    assert not m.Section.objects.filter(sourced_id="cls-1").exists()


def test_check_only_upload_saves_nothing(world, client_for, upload):
    upload(client_for("admin"), files_11(), dry_run="on")
    assert not m.Student.objects.filter(sourced_id="stu-1").exists()


def test_import_history_lists_past_runs(world, client_for, upload):
    upload(client_for("admin"), files_11())
    response = client_for("admin").get(reverse("roster:import"))
    assert "export.zip" in response.content.decode()


def test_principal_may_not_upload(world, client_for, upload):
    assert upload(client_for("principal"), files_11()).status_code == 403
    assert not m.ImportRun.objects.exists()


def test_admin_of_another_district_cannot_see_a_run(world, client_for):
    other = m.District.objects.create(name="Elsewhere", slug="elsewhere")
    run = m.ImportRun.objects.create(district=other, source_name="x.zip", status="applied")
    assert client_for("admin").get(reverse("roster:import_run", args=[run.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"OneRoster samples not found at {SAMPLES}")
def test_command_prints_the_summary(capsys):
    call_command("import-oneroster", str(SAMPLES / "Test_full_data_set.zip"))
    out = capsys.readouterr().out
    assert "students" in out and "enrollments.csv row 3, role:" in out


@pytest.mark.django_db
@pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"OneRoster samples not found at {SAMPLES}")
def test_command_fails_and_lists_errors_when_rejected(capsys):
    with pytest.raises(CommandError):
        call_command("import-oneroster", str(SAMPLES / "v1p2_full_dataset.zip"))
    assert "error: roles.csv row 1, dataLastModified:" in capsys.readouterr().err


def test_admin_missing_from_the_export_keeps_their_own_access(world, client_for, upload):
    upload(client_for("admin"), files_11())
    world.admin.refresh_from_db()
    assert world.admin.is_active
    assert not m.Staff.objects.get(pk=world.teacher.pk).is_active  # everyone else absent is deactivated


@pytest.mark.django_db
def test_command_counts_the_problems_it_does_not_list(tmp_path, settings, capsys):
    settings.IMPORT_MAX_PROBLEMS = 2
    files = files_11()
    files["classes.csv"] = files["classes.csv"].replace("Room 12,sch-1", "Room 12,sch-9")
    files["users.csv"] = files["users.csv"].replace("2024-08-01T00:00:00Z,true", "yesterday,maybe")
    path = tmp_path / "export.zip"
    path.write_bytes(make_zip(files).getvalue())
    with pytest.raises(CommandError, match="Rejected: 14 problem"):
        call_command("import-oneroster", str(path))
    err = capsys.readouterr().err
    assert err.count("error: ") == 2 and "... and 12 more error(s)" in err
