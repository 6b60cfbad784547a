"""`homeroom contacts-ledger-sync [--days N]`: re-derive the ledger's message and conversation contacts
(idempotent), e.g. after restoring a backup or a worker outage that lost signals (contacts.ledger)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from homeroom.contacts.ledger import ledger_sync


class Command(BaseCommand):
    help = "Write the contacts that school messages and conversations stand for, for the last N days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=31)

    def handle(self, *args: Any, **options: Any) -> None:
        created = ledger_sync(since=timezone.now() - dt.timedelta(days=options["days"]))
        self.stdout.write(f"{created} new contacts")
