"""A checklist "Done" can be undone by the task's own staff member, and the checklist keeps a trail of who did."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homeroom.contacts.models import ChecklistTask, ChecklistTaskChange
from tests.contacts.helpers import case_manager_task

pytestmark = pytest.mark.django_db


def _checklist(client, world) -> str:
    return client.get(reverse("contacts:student_checklist", args=[world.mateo.pk])).content.decode()


def test_mr_chen_undoes_a_mistaken_done_and_the_checklist_says_who(world, client_for):
    task = case_manager_task(world)
    client = client_for("case_manager")
    client.post(reverse("contacts:task_complete", args=[task.pk]))
    assert ChecklistTask.objects.get(pk=task.pk).completed_at is not None
    response = client.post(reverse("contacts:task_undo", args=[task.pk]),
                           {"next": reverse("contacts:student_checklist", args=[world.mateo.pk])})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.completed_at is None and task.completed_by is None
    trail = list(ChecklistTaskChange.objects.filter(task=task).values_list("action", "by_id"))
    assert trail == [("done", world.case_manager.user.pk), ("undone", world.case_manager.user.pk)]
    page = _checklist(client, world)
    assert "Undone by Wei Chen" in page and "Marked done by Wei Chen" in page


def test_undoing_a_contact_completion_keeps_which_contact_it_was(world, client_for):
    task = case_manager_task(world)
    task.completed_at = task.created_at
    task.save()
    client_for("case_manager").post(reverse("contacts:task_undo", args=[task.pk]))
    change = ChecklistTaskChange.objects.get(task=task)
    assert change.action == "undone" and change.was_completed_at == task.created_at


def test_undo_of_an_open_task_changes_nothing(world, client_for):
    task = case_manager_task(world)
    client_for("case_manager").post(reverse("contacts:task_undo", args=[task.pk]))
    assert not ChecklistTaskChange.objects.exists()


def test_only_the_task_owner_can_undo_it(world, client_for):
    task = case_manager_task(world)
    client_for("case_manager").post(reverse("contacts:task_complete", args=[task.pk]))
    assert client_for("principal").post(reverse("contacts:task_undo", args=[task.pk])).status_code == 404
    assert ChecklistTask.objects.get(pk=task.pk).completed_at is not None


def test_the_undo_button_and_trail_are_in_spanish(world, client_for):
    task = case_manager_task(world)
    client = client_for("case_manager")
    client.post(reverse("contacts:task_complete", args=[task.pk]))
    client.post(reverse("set_language"), {"language": "es"})
    page = _checklist(client, world)
    assert "Deshacer" in page and "Marcado como hecho por Wei Chen" in page
