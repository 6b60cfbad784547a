"""Teachers post 'what we're working on this week' for their class's families."""

from __future__ import annotations

from django.urls import reverse

from homeroom.portal.models import SectionNote


def _post(client_for, world, actor="teacher"):
    return client_for(actor).post(
        reverse("portal:section_notes", args=[world.section_5a.pk]),
        {"week_of": "2025-03-03", "body": "Fractions and the water cycle"},
    )


def test_teacher_of_the_class_posts_a_note(world, client_for):
    assert _post(client_for, world).status_code == 302
    note = SectionNote.objects.get()
    assert note.author == world.teacher
    assert note.section == world.section_5a


def test_principal_may_not_post_for_a_class_they_do_not_teach(world, client_for):
    assert _post(client_for, world, "principal").status_code == 403
    assert not SectionNote.objects.exists()


def test_teacher_of_another_school_gets_not_found(world, client_for):
    assert _post(client_for, world, "other_teacher").status_code == 404


def test_teacher_sees_their_classes_listed(world, client_for):
    body = client_for("teacher").get(reverse("portal:section_notes_index")).content.decode()
    assert reverse("portal:section_notes", args=[world.section_5a.pk]) in body
    assert reverse("portal:section_notes", args=[world.section_7b.pk]) not in body
