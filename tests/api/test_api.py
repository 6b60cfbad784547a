"""The JSON API answers only within the caller's scope."""

from __future__ import annotations

from django.urls import reverse

from homeroom.core.models import AccessLog


def test_me_lists_roles(world, client_for):
    body = client_for("teacher").get(reverse("api:me")).json()
    assert body == {"email": "rivera@riverside.example", "roles": ["teacher"], "is_guardian": False}


def test_anonymous_is_refused(world, client_for):
    assert client_for("anonymous").get(reverse("api:students")).status_code == 401


def test_teacher_lists_only_their_students(world, client_for):
    body = client_for("teacher").get(reverse("api:students")).json()
    assert body["count"] == 2
    assert sorted(s["given_name"] for s in body["items"]) == ["Mateo", "Sofia"]


def test_guardian_is_refused_staff_endpoints(world, client_for):
    assert client_for("ana").get(reverse("api:students")).status_code == 403


def test_student_outside_scope_is_not_found(world, client_for):
    url = reverse("api:student", kwargs={"student_id": world.liam.pk})
    assert client_for("teacher").get(url).status_code == 404


def test_restricted_fields_only_for_roles_that_may_see_them(world, client_for):
    url = reverse("api:student", kwargs={"student_id": world.mateo.pk})
    assert client_for("teacher").get(url).json()["restricted"] is None
    assert client_for("principal").get(url).json()["restricted"]["has_iep"] is True


def test_viewing_a_student_is_logged(world, client_for):
    client_for("case_manager").get(reverse("api:student", kwargs={"student_id": world.mateo.pk}))
    log = AccessLog.objects.get()
    assert (log.user_id, log.student_id, log.action) == (world.case_manager.user_id, world.mateo.pk, "api_student")


def test_guardians_of_student_show_rights_flags(world, client_for):
    url = reverse("api:guardians", kwargs={"student_id": world.sofia.pk})
    body = {g["given_name"]: g for g in client_for("teacher").get(url).json()}
    assert body["Luis"]["has_educational_rights"] is False
    assert body["Ana"]["has_educational_rights"] is True


def test_openapi_schema_is_published_to_staff(world, client_for):
    schema = client_for("teacher").get(reverse("api:openapi-json")).json()
    assert "/api/v1/roster/students" in schema["paths"]
