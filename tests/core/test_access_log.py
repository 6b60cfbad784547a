"""FERPA record of access: every view of a student's record is written; admins and principals read it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from homeroom.access.access_log import access_log_for, record_student_access
from homeroom.core.models import AccessLog


def test_recording_access_writes_one_row_per_student(world):
    record_student_access(user=world.teacher.user, student_ids=[world.sofia.pk, world.mateo.pk, world.sofia.pk],
                          action="view")
    rows = AccessLog.objects.filter(user=world.teacher.user)
    assert sorted(r.student_id for r in rows) == sorted([world.sofia.pk, world.mateo.pk])
    assert {r.action for r in rows} == {"view"}


def test_district_admin_reads_every_school_in_the_district(world):
    record_student_access(user=world.teacher.user, student_ids=[world.sofia.pk], action="view")
    record_student_access(user=world.other_teacher.user, student_ids=[world.liam.pk], action="view")
    assert access_log_for(world.admin.user).count() == 2


def test_principal_reads_only_their_school(world):
    record_student_access(user=world.teacher.user, student_ids=[world.sofia.pk], action="view")
    record_student_access(user=world.other_teacher.user, student_ids=[world.liam.pk], action="view")
    assert [r.student_id for r in access_log_for(world.principal.user)] == [world.sofia.pk]


def test_teacher_reads_nothing_even_for_their_own_students(world):
    record_student_access(user=world.teacher.user, student_ids=[world.sofia.pk], action="view")
    assert not access_log_for(world.teacher.user).exists()


def test_log_filters_by_viewer_and_date(world):
    record_student_access(user=world.teacher.user, student_ids=[world.sofia.pk], action="view")
    record_student_access(user=world.case_manager.user, student_ids=[world.mateo.pk], action="view")
    AccessLog.objects.filter(user=world.case_manager.user).update(at=timezone.now() - dt.timedelta(days=10))
    today = timezone.localdate()
    assert [r.student_id for r in access_log_for(world.admin.user, viewer_id=world.teacher.user.pk)] == [world.sofia.pk]
    assert [r.student_id for r in access_log_for(world.admin.user, since=today)] == [world.sofia.pk]
    assert [r.student_id for r in access_log_for(world.admin.user, until=today - dt.timedelta(days=5))] == [
        world.mateo.pk
    ]


def test_page_lists_who_viewed_which_student(world, client_for):
    record_student_access(user=world.teacher.user, student_ids=[world.sofia.pk], action="view")
    html = client_for("principal").get(reverse("access_log")).content.decode()
    assert "Elena Rivera" in html
    assert "Sofia Garcia" in html


def test_page_filters_by_student_number_sent_in_the_form_not_the_url(world, client_for):
    record_student_access(user=world.teacher.user, student_ids=[world.sofia.pk, world.mateo.pk], action="view")
    response = client_for("admin").post(reverse("access_log"), {"student_number": world.mateo.identifier})
    html = response.content.decode()
    assert "Mateo Lopez" in html
    assert "Sofia Garcia" not in html


def test_page_links_by_student_primary_key(world, client_for):
    record_student_access(user=world.teacher.user, student_ids=[world.sofia.pk, world.mateo.pk], action="view")
    html = client_for("admin").get(reverse("access_log"), {"student": world.sofia.pk}).content.decode()
    assert "Sofia Garcia" in html
    assert "Mateo Lopez" not in html


def test_principal_cannot_read_another_schools_student_by_primary_key(world, client_for):
    record_student_access(user=world.other_teacher.user, student_ids=[world.liam.pk], action="view")
    html = client_for("principal").get(reverse("access_log"), {"student": world.liam.pk}).content.decode()
    assert "Liam" not in html


def test_teacher_is_refused_the_page(world, client_for):
    assert client_for("teacher").get(reverse("access_log")).status_code == 403


def test_access_log_link_shown_to_admins_only(world, client_for):
    assert reverse("access_log") in client_for("admin").get(reverse("mfa_index")).content.decode()
    assert reverse("access_log") not in client_for("teacher").get(reverse("mfa_index")).content.decode()


def test_viewing_a_student_page_writes_an_access_row(world, client_for):
    response = client_for("teacher").get(reverse("roster:student", kwargs={"pk": world.sofia.pk}))
    assert response.status_code == 200
    assert AccessLog.objects.filter(user=world.teacher.user, student=world.sofia).exists()


def test_a_read_without_an_account_shows_how_it_came(world, client_for):
    record_student_access(user=AnonymousUser(), student_ids=[world.sofia.pk], action="meetings.conference_link",
                          via="booking link")
    html = client_for("principal").get(reverse("access_log")).content.decode()
    assert "No account" in html
    assert "meetings.conference_link (booking link)" in html


def test_a_read_without_an_account_must_say_how_it_came(world):
    with pytest.raises(ValueError, match="via"):
        record_student_access(user=AnonymousUser(), student_ids=[world.sofia.pk], action="view")
    assert not AccessLog.objects.exists()
