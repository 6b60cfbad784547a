"""The family's attendance page: what counted and why, what notes are still needed, and sending one; scoped to
children the guardian holds rights for, in the guardian's language."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import formats, timezone, translation

from homeroom.attendance.models import AbsenceNote
from tests.attendance.helpers import run_import


def recent_school_days(count: int) -> list:
    """The last `count` weekdays before today (the page shows the current school year)."""
    days, day = [], timezone.localdate()
    while len(days) < count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return sorted(days)


def import_recent(world, *, absent: int = 2, reason: str = ""):
    days = recent_school_days(6)
    rows = [(world.sofia.sourced_id, d.isoformat(), "absent" if i < absent else
             ("tardy" if i == absent else "present"), reason if i < absent else "", "", "")
            for i, d in enumerate(days)]
    run_import(world, rows, today=timezone.localdate())
    return days


def test_the_family_sees_days_present_absences_tardies_and_missing_notes(world, client_for):
    days = import_recent(world)
    page = client_for("ana").get(reverse("portal:child_attendance", args=[world.sofia.pk])).content.decode()
    # Ana reads Spanish: her page is in Spanish.
    assert "4 de 6 días escolares" in page
    assert "Ausencias injustificadas" in page
    assert "Llegadas tarde" in page
    assert "Notas que faltan" in page
    assert "Todavía falta una nota de la familia." in page
    assert "la escuela quiere ayudar" in page  # two absences in six days: chronically absent
    # Offered in the note form, in her words: the value is the date, the label as the page writes days.
    with translation.override("es"):
        label = formats.date_format(days[0], "DATE_FORMAT")
    assert f'<option value="{days[0].isoformat()}">{label}</option>' in page
    assert f">{days[0].isoformat()}<" not in page


def test_the_family_sends_a_note_that_waits_for_staff(world, client_for):
    days = import_recent(world)
    ana = client_for("ana")
    response = ana.post(reverse("portal:child_absence_note", args=[world.sofia.pk]),
                        {"day": days[0].isoformat(), "text": "Tenía fiebre."})
    assert response.status_code == 302
    note = AbsenceNote.objects.get()
    assert (note.student, note.guardian, note.state, note.kind, note.text) == (
        world.sofia, world.ana, "pending", "parent", "Tenía fiebre.")
    assert note.received_on == timezone.localdate()


def test_a_note_for_a_day_that_was_not_an_unexcused_absence_is_refused(world, client_for):
    days = import_recent(world)
    response = client_for("ana").post(reverse("portal:child_absence_note", args=[world.sofia.pk]),
                                      {"day": days[-1].isoformat(), "text": "?"})
    assert response.status_code == 400
    assert not AbsenceNote.objects.exists()


def test_a_parent_without_rights_and_another_family_do_not_find_the_child(world, client_for):
    import_recent(world)
    for actor in ("luis", "paul"):
        assert client_for(actor).get(reverse("portal:child_attendance", args=[world.sofia.pk])).status_code == 404
        response = client_for(actor).post(reverse("portal:child_absence_note", args=[world.sofia.pk]),
                                          {"day": recent_school_days(6)[0].isoformat(), "text": "x"})
        assert response.status_code == 404
    assert not AbsenceNote.objects.exists()


def test_a_child_without_records_gets_a_plain_sentence(world, client_for):
    page = client_for("paul").get(reverse("portal:child_attendance", args=[world.liam.pk])).content.decode()
    assert "No attendance has been recorded this school year yet." in page
