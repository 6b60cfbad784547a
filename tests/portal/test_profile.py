"""Getting to Know My Child: the family writes it, the child's teachers read it, next year's too."""

from __future__ import annotations

from django.urls import reverse

from homeroom.portal.models import ChildProfile
from homeroom.portal.selectors import child_profile_for_staff
from tests import factories as f

PROFILE = {
    "strengths": "Draws beautifully",
    "interests": "Dinosaurs",
    "what_helps": "A quiet corner",
    "worries": "Loud noises",
    "health_routines": "Asthma inhaler in backpack",
    "contact_wishes": "Text in Spanish after 5 pm",
    "shared_with_teachers": "on",
}


def test_guardian_saves_the_profile(world, client_for):
    response = client_for("ana").post(reverse("portal:child_profile", args=[world.sofia.pk]), PROFILE)
    assert response.status_code == 302
    profile = ChildProfile.objects.get(student=world.sofia)
    assert profile.interests == "Dinosaurs"
    assert profile.updated_by == world.ana.user
    assert profile.shared_with_teachers


def test_saving_again_updates_the_same_profile(world, client_for):
    client = client_for("ana")
    client.post(reverse("portal:child_profile", args=[world.sofia.pk]), PROFILE)
    client.post(reverse("portal:child_profile", args=[world.sofia.pk]), {**PROFILE, "interests": "Soccer"})
    assert ChildProfile.objects.filter(student=world.sofia).count() == 1
    assert ChildProfile.objects.get(student=world.sofia).interests == "Soccer"


def test_childs_teacher_sees_a_shared_profile(world, client_for):
    client_for("ana").post(reverse("portal:child_profile", args=[world.sofia.pk]), PROFILE)
    assert child_profile_for_staff(world.teacher.user, world.sofia).strengths == "Draws beautifully"


def test_teacher_does_not_see_a_profile_the_family_kept_private(world, client_for):
    private = {k: v for k, v in PROFILE.items() if k != "shared_with_teachers"}
    client_for("ana").post(reverse("portal:child_profile", args=[world.sofia.pk]), private)
    assert child_profile_for_staff(world.teacher.user, world.sofia) is None


def test_teacher_of_another_school_does_not_see_the_profile(world, client_for):
    client_for("ana").post(reverse("portal:child_profile", args=[world.sofia.pk]), PROFILE)
    assert child_profile_for_staff(world.other_teacher.user, world.sofia) is None


def test_next_years_teacher_sees_the_profile(world, client_for):
    client_for("ana").post(reverse("portal:child_profile", args=[world.sofia.pk]), PROFILE)
    sixth_grade = f.SectionFactory(district=world.district, school=world.washington, title="6C")
    f.EnrollmentFactory(section=sixth_grade, role="teacher", staff=world.other_teacher)
    f.EnrollmentFactory(section=sixth_grade, student=world.sofia)
    assert child_profile_for_staff(world.other_teacher.user, world.sofia).interests == "Dinosaurs"


def test_staff_include_renders_the_shared_profile(world, client_for):
    from django.template.loader import render_to_string

    client_for("ana").post(reverse("portal:child_profile", args=[world.sofia.pk]), PROFILE)
    html = render_to_string(
        "portal/_child_profile_for_staff.html",
        {"child_profile": child_profile_for_staff(world.teacher.user, world.sofia)},
    )
    assert "Asthma inhaler in backpack" in html
