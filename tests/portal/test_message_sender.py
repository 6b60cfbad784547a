"""The family sees who at school wrote to them: the teacher's name, not just "School"."""

from __future__ import annotations

from django.urls import reverse

from homeroom.messaging.models import ConversationEntry
from tests.portal.helpers import conversation_with


def test_the_family_sees_the_teachers_name_on_her_message(world, client_for):
    conversation = conversation_with(world, world.ana)
    page = client_for("ana").get(reverse("portal:conversation", args=[conversation.pk])).content.decode()
    assert "Elena Rivera (Lincoln Elementary)" in page


def test_an_unsigned_school_entry_names_the_thread_staff_member_never_an_email(world, client_for):
    conversation = conversation_with(world, world.ana)
    ConversationEntry.objects.filter(conversation=conversation).update(author=world.admin.user)
    world.admin.user.staff.delete()  # an account without a staff record: its email must not reach the family
    page = client_for("ana").get(reverse("portal:conversation", args=[conversation.pk])).content.decode()
    assert "admin@riverside.example" not in page
    assert "Elena Rivera" in page


def test_with_no_one_to_name_the_entry_says_school(world, client_for):
    conversation = conversation_with(world, world.ana)
    conversation.staff = None
    conversation.save()
    ConversationEntry.objects.filter(conversation=conversation).update(author=None)
    page = client_for("ana").get(reverse("portal:conversation", args=[conversation.pk])).content.decode()
    assert '<p class="muted">Escuela · ' in page  # Ana reads Spanish
