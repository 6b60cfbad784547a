"""A student who joins a caseload through a roster import gets their checklist tasks."""

from __future__ import annotations

from homeroom.contacts.models import ChecklistTask
from homeroom.roster.importers import import_oneroster
from tests.roster.test_import_helpers import files_11, make_zip


def test_import_with_caseloads_creates_the_case_managers_checklist_tasks(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = import_oneroster(make_zip(files_11(), version="1.1"))
    assert report.ok
    tasks = ChecklistTask.objects.filter(student__sourced_id="stu-2", staff__sourced_id="cm-1")
    assert tasks.exists()


def test_unchanged_re_import_sends_no_sync(db, django_capture_on_commit_callbacks):
    import_oneroster(make_zip(files_11(), version="1.1"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = import_oneroster(make_zip(files_11(), version="1.1"))
    assert report.unchanged
    assert callbacks == []
