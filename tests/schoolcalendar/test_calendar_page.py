"""The district calendar page: district administrators add, remove and import closures."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from homeroom.schoolcalendar.models import Closure, SchoolCalendar


def test_admin_adds_a_closure(client_for, world):
    response = client_for("admin").post(reverse("schoolcalendar:manage"), {
        "start_date": "2025-11-27", "end_date": "2025-11-28", "reason": "Thanksgiving", "school": ""})
    assert response.status_code == 302
    closure = Closure.objects.get()
    assert (closure.reason, closure.school, str(closure.end_date)) == ("Thanksgiving", None, "2025-11-28")


def test_admin_adds_a_school_year(client_for, world):
    client_for("admin").post(reverse("schoolcalendar:year_add"), {
        "year-label": "2025–26", "year-start_date": "2025-08-27", "year-end_date": "2026-06-12",
        "year-school": world.lincoln.pk})
    assert SchoolCalendar.objects.get().school == world.lincoln


def test_import_errors_are_shown_and_nothing_is_saved(client_for, world):
    upload = SimpleUploadedFile("closures.csv", b"date\nnot-a-date\n", content_type="text/csv")
    response = client_for("admin").post(reverse("schoolcalendar:import"), {"import-file": upload})
    assert response.status_code == 400
    assert "closures.csv row 2" in response.content.decode()
    assert not Closure.objects.exists()


def test_principal_may_not_edit_the_calendar(client_for, world):
    assert client_for("principal").get(reverse("schoolcalendar:manage")).status_code == 403
