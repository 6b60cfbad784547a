"""The monthly family contact log: counts, and XLSX/CSV exports read back."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import openpyxl
from django.urls import reverse

from tests.contacts.helpers import aware, log_contact

OCTOBER = {"month": "2025-10"}


def _october(world):
    log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], purpose="positive",
                when=aware(2025, 10, 3, 15, 30), notes="Great reading", follow_up_on=date(2025, 10, 17))
    log_contact(world.teacher, students=[world.mateo], guardians=[world.rosa], direction="family",
                outcome="no_answer", when=aware(2025, 10, 9, 8))
    log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa], when=aware(2025, 10, 10, 9),
                notes="Case manager's private note")
    log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], when=aware(2025, 11, 2, 9))


def _xlsx(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_counts_for_the_teachers_month(client_for, world):
    _october(world)
    counts = client_for("teacher").get(reverse("contacts:monthly_log"), OCTOBER).context["counts"]
    assert counts == {"contacts": 2, "families_reached": 1, "positive": 1, "family_initiated_share": 50,
                      "families_in_scope": 2, "families_not_contacted": 0}


def test_principal_sees_everyones_contacts_at_the_school(client_for, world):
    _october(world)
    counts = client_for("principal").get(reverse("contacts:monthly_log"), OCTOBER).context["counts"]
    assert counts["contacts"] == 3


def test_families_not_contacted_counts_families_in_scope(client_for, world):
    log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], when=aware(2025, 10, 3, 9))
    counts = client_for("teacher").get(reverse("contacts:monthly_log"), OCTOBER).context["counts"]
    assert (counts["families_in_scope"], counts["families_not_contacted"]) == (2, 1)


def test_a_schools_counts_are_cached_until_a_contact_or_an_import_changes_them(client_for, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from homeroom.roster import generation
    from tests import factories as f

    _october(world)
    client = client_for("principal")

    def counts():
        with CaptureQueriesContext(connection) as queries:
            figures = client.get(reverse("contacts:monthly_log"), OCTOBER).context["counts"]
        return figures, sum("COUNT(DISTINCT" in q["sql"] for q in queries.captured_queries)

    first, counted = counts()
    assert counted >= 1
    assert counts() == (first, 0)  # read from the cache
    log_contact(world.teacher, students=[world.mateo], guardians=[world.rosa], when=aware(2025, 10, 20, 9))
    after_contact, counted = counts()
    assert counted >= 1 and after_contact["contacts"] == first["contacts"] + 1
    newcomer = f.StudentFactory(district=world.district, school=world.lincoln)
    f.StudentGuardianFactory(student=newcomer, guardian=f.GuardianFactory(district=world.district))
    assert counts()[0] == after_contact  # a roster change outside an import waits for the next import (or 10 min)
    generation.bump()  # what the import does when it ends
    after_import, counted = counts()
    assert counted >= 1 and after_import["families_in_scope"] == after_contact["families_in_scope"] + 1


def test_a_teachers_counts_are_cached_until_one_of_their_contacts_changes(client_for, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from homeroom.contacts.models import ContactLog
    from homeroom.contacts.services import ContactInput, contact_log_update
    from homeroom.roster import generation

    _october(world)
    client = client_for("teacher")

    def counts():
        with CaptureQueriesContext(connection) as queries:
            figures = client.get(reverse("contacts:monthly_log"), OCTOBER).context["counts"]
        return figures, sum("COUNT(DISTINCT" in q["sql"] for q in queries.captured_queries)

    first, counted = counts()
    assert counted >= 1 and first["contacts"] == 2
    assert counts() == (first, 0)  # read from the cache
    # A colleague's contact is not in the teacher's own log: their counts stay cached.
    log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa], when=aware(2025, 10, 21, 9))
    assert counts() == (first, 0)
    # The teacher's own new contact is counted at once.
    log_contact(world.teacher, students=[world.mateo], guardians=[world.rosa], when=aware(2025, 10, 20, 9),
                purpose="positive")
    after_contact, counted = counts()
    assert counted >= 1 and after_contact["contacts"] == 3 and after_contact["positive"] == 2
    # An edit that moves a contact out of the month is counted at once too.
    praise = ContactLog.objects.get(staff=world.teacher, occurred_at=aware(2025, 10, 3, 15, 30))
    contact_log_update(contact=praise, edited_by=world.teacher.user, data=ContactInput(
        occurred_at=aware(2025, 11, 20, 9), method=praise.method, purpose=praise.purpose,
        students=[world.sofia], guardians=[world.ana]))
    after_edit, counted = counts()
    assert counted >= 1 and (after_edit["contacts"], after_edit["positive"]) == (2, 1)
    generation.bump()  # an import
    assert counts()[1] >= 1


def test_xlsx_has_one_row_per_contact_with_real_dates(client_for, world):
    _october(world)
    response = client_for("teacher").get(reverse("contacts:monthly_log_xlsx"), OCTOBER)
    sheet = _xlsx(response).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Date", "Staff member", "Student")
    assert len(rows) == 3
    assert rows[1][0] == datetime(2025, 10, 3, 15, 30)
    assert rows[1][2:5] == ("Sofia Garcia", "Ana Garcia", "Mother")
    assert rows[1][-1] == datetime(2025, 10, 17)


def test_xlsx_header_is_frozen_and_columns_sized(client_for, world):
    _october(world)
    sheet = _xlsx(client_for("teacher").get(reverse("contacts:monthly_log_xlsx"), OCTOBER)).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width > 20


def test_xlsx_sheet_per_staff_member(client_for, world):
    _october(world)
    response = client_for("principal").get(reverse("contacts:monthly_log_xlsx"), {**OCTOBER, "group": "staff"})
    assert _xlsx(response).sheetnames == ["Wei Chen", "Elena Rivera", "Definitions"]


def test_xlsx_sheet_per_month(client_for, world):
    _october(world)
    response = client_for("teacher").get(reverse("contacts:monthly_log_xlsx"), {**OCTOBER, "through": "2025-11"})
    assert _xlsx(response).sheetnames == ["October 2025", "November 2025", "Definitions"]


def test_notes_column_present_for_the_author(client_for, world):
    _october(world)
    sheet = _xlsx(client_for("teacher").get(reverse("contacts:monthly_log_xlsx"), OCTOBER)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert "Notes" in rows[0]
    assert rows[1][rows[0].index("Notes")] == "Great reading"


def test_notes_column_absent_when_requester_may_read_none(client_for, world):
    _october(world)
    staff_filter = {**OCTOBER, "staff": world.case_manager.pk}
    sheet = _xlsx(client_for("teacher").get(reverse("contacts:monthly_log_xlsx"), staff_filter)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert "Notes" not in rows[0]
    assert len(rows) == 2


def test_notes_of_others_are_blank_when_the_column_is_shown(client_for, world):
    _october(world)
    log_contact(world.teacher, students=[world.mateo], guardians=[world.rosa], when=aware(2025, 10, 11, 9),
                notes="mine")
    response = client_for("teacher").get(reverse("contacts:monthly_log_csv"),
                                         {**OCTOBER, "school": world.lincoln.pk})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "mine" in text
    assert "Case manager's private note" not in text


def test_csv_has_the_same_rows(client_for, world):
    _october(world)
    response = client_for("teacher").get(reverse("contacts:monthly_log_csv"), OCTOBER)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][0] == "2025-10-03 15:30"
    assert len(rows) == 3
    assert response["Content-Disposition"] == 'attachment; filename="contact-log-2025-10.csv"'


def test_other_school_teacher_export_has_no_lincoln_rows(client_for, world):
    _october(world)
    response = client_for("other_teacher").get(reverse("contacts:monthly_log_csv"),
                                               {**OCTOBER, "staff": world.teacher.pk})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1


def test_spanish_export_uses_spanish_headers(client_for, world):
    _october(world)
    client = client_for("teacher")
    client.cookies["django_language"] = "es"
    response = client.get(reverse("contacts:monthly_log_csv"), OCTOBER)
    header = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Fecha,")


def test_csv_keeps_cells_that_look_like_formulas_as_text(client_for, world):
    world.rosa.given_name = "=HYPERLINK(\"http://evil.example\")"
    world.rosa.save()
    log_contact(world.teacher, students=[world.mateo], guardians=[world.rosa], when=aware(2025, 10, 9, 8),
                notes="@SUM(1+1)")
    for start in ("+", "-"):
        log_contact(world.teacher, students=[world.mateo], guardians=[world.rosa], when=aware(2025, 10, 9, 9),
                    notes=f"{start}cmd|' /C calc'!A0")
    response = client_for("teacher").get(reverse("contacts:monthly_log_csv"), OCTOBER)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    guardian, notes = rows[0].index("Guardian"), rows[0].index("Notes")
    assert rows[1][guardian] == "'=HYPERLINK(\"http://evil.example\") Lopez"
    assert [row[notes] for row in rows[1:]] == ["'@SUM(1+1)", "'+cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"]
