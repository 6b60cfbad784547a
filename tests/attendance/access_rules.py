"""URL × role rules for the attendance pages (walked by tests/test_url_access.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.access import Rule, expect_all, staff_only
from tests.actors import World

ADMIN_ONLY = expect_all(403, anonymous=302, admin=200)
# Sofia's attendance: staff who may see her; Mr. Baker (another school) and Mr. Chen (not his caseload) do not.
SOFIA_STAFF = staff_only(200, other_teacher=404, case_manager=404)


def _run(w: World) -> dict[str, Any]:
    from homeroom.attendance.models import AttendanceImportRun

    return {"pk": AttendanceImportRun.objects.create(district=w.district, source_name="attendance.csv",
                                                     result="applied").pk}


def _pending_note(w: World) -> dict[str, Any]:
    from homeroom.attendance.models import AbsenceNote

    note = AbsenceNote.objects.create(district=w.district, student=w.sofia, day=date(2025, 9, 2), kind="parent",
                                      received_on=date(2025, 9, 3), state="pending", guardian=w.ana)
    return {"pk": note.pk}


def _teachers_task(w: World) -> dict[str, Any]:
    from homeroom.attendance.models import OutreachTask

    task = OutreachTask.objects.create(district=w.district, student=w.sofia, school=w.lincoln, school_year=2025,
                                       threshold="at_risk", kind="personal_contact", assigned_to=w.teacher,
                                       due_on=date(2025, 10, 1))
    return {"pk": task.pk}


RULES = {
    "attendance:import": Rule(expect=ADMIN_ONLY),
    "attendance:import_run": Rule(kwargs=_run, expect=ADMIN_ONLY),
    "attendance:student": Rule(kwargs=lambda w: {"pk": w.sofia.pk}, expect=SOFIA_STAFF),
    "attendance:notes": Rule(expect=staff_only(200)),
    "attendance:note_review": Rule(method="post", kwargs=_pending_note, data=lambda w: {"decision": "decline"},
                                   expect=staff_only(302, other_teacher=404, case_manager=404)),
    # Only the person the task is assigned (or escalated) to may close it.
    "attendance:task_close": Rule(kwargs=_teachers_task, expect=staff_only(404, teacher=200)),
    "attendance:district_dashboard": Rule(expect=ADMIN_ONLY),
    "attendance:school_dashboard": Rule(kwargs=lambda w: {"pk": w.lincoln.pk},
                                        expect=staff_only(403, admin=200, principal=200)),
}
