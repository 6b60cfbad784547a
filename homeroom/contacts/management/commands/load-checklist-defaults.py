"""`homeroom load-checklist-defaults`: (re)load the shipped Connecticut checklist template."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from homeroom.contacts.defaults import load_checklist_defaults
from homeroom.contacts.models import ChecklistItem, ChecklistTemplate


class Command(BaseCommand):
    help = "Create or refresh the default (Connecticut) case manager checklist."

    def handle(self, *args: Any, **options: Any) -> None:
        template = load_checklist_defaults(ChecklistTemplate, ChecklistItem)
        self.stdout.write(f"{template.name}: {template.items.count()} items")
