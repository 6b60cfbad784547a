"""The JSON API follows the pages' scoping, whatever query parameters a caller adds.

Issue #11, Medium 7: `include_inactive=true` returned a guardian link that had ended (name, language, channel
order) which the student page hides. The API now lists exactly the guardians the student page lists.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from homeroom.roster.selectors import student_record
from tests import factories as f


@pytest.fixture
def ended_link(world):
    """Sofia's former stepfather: the link ended at the last import, and pages no longer show him."""
    marta = f.GuardianFactory(district=world.district, given_name="Victor", family_name="Ended", language="pt",
                              channel_order=["sms", "email"])
    return f.StudentGuardianFactory(student=world.sofia, guardian=marta, relationship="stepparent", is_active=False)


@pytest.fixture
def inactive_guardian(world):
    """A guardian record the district deactivated, though the link itself was never ended."""
    gone = f.GuardianFactory(district=world.district, given_name="Greta", family_name="Gone", is_active=False)
    return f.StudentGuardianFactory(student=world.sofia, guardian=gone, relationship="guardian")


def _guardians(client, world, **params):
    url = reverse("api:guardians", kwargs={"student_id": world.sofia.pk})
    response = client.get(url, params)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("actor", ["admin", "principal", "teacher"])
@pytest.mark.parametrize("value", ["true", "1", "yes", "on"])
def test_include_inactive_does_not_return_an_ended_link(world, client_for, ended_link, actor, value):
    response = _guardians(client_for(actor), world, include_inactive=value)
    assert "Ended" not in response.content.decode()
    assert ended_link.guardian_id not in {g["guardian_id"] for g in response.json()}


def test_an_inactive_guardian_is_not_returned_either(world, client_for, inactive_guardian):
    response = _guardians(client_for("teacher"), world)
    assert inactive_guardian.guardian_id not in {g["guardian_id"] for g in response.json()}


def test_the_api_lists_exactly_the_guardians_the_student_page_lists(world, client_for, ended_link,
                                                                     inactive_guardian):
    page = {link.guardian.pk for link in student_record(world.teacher.user, student_id=world.sofia.pk).guardians}
    for params in ({}, {"include_inactive": "true"}):
        api = {g["guardian_id"] for g in _guardians(client_for("teacher"), world, **params).json()}
        assert api == page == {world.ana.pk, world.luis.pk}


def test_include_inactive_is_not_offered_in_the_published_schema(world, client_for):
    schema = client_for("admin").get(reverse("api:openapi-json")).json()
    path = schema["paths"]["/api/v1/roster/students/{student_id}/guardians"]["get"]
    assert "include_inactive" not in {p["name"] for p in path.get("parameters", [])}


def test_a_school_filter_never_widens_the_student_list(world, client_for):
    body = client_for("teacher").get(reverse("api:students"), {"school": world.washington.pk}).json()
    assert body == {"items": [], "count": 0}


def test_paging_parameters_never_reach_past_the_scope(world, client_for):
    body = client_for("teacher").get(reverse("api:students"), {"limit": 1000, "offset": 0, "grade": "05"}).json()
    assert sorted(s["given_name"] for s in body["items"]) == ["Mateo", "Sofia"]
    assert client_for("teacher").get(reverse("api:students"), {"offset": 2}).json()["items"] == []
