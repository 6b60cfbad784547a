"""`homeroom receive-email < message.eml`: a family's email reply piped in by a mail server (RFC 822 on stdin)."""

from __future__ import annotations

import sys
from email import policy
from email.parser import BytesParser
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from homeroom.messaging.conversations.replies import email_reply_receive


class Command(BaseCommand):
    help = "Thread one email reply, read from standard input, into its conversation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--recipient", action="append", default=[],
            help="The envelope recipient, when the mail server passes it (e.g. Postfix's ${recipient}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        message = BytesParser(policy=policy.default).parse(sys.stdin.buffer)
        entry = email_reply_receive(message=message, recipients=options["recipient"])
        # Exit 0 either way: an ignored reply must not bounce back to the family.
        if entry is None:
            self.stdout.write("ignored")
        else:
            self.stdout.write(f"conversation {entry.conversation_id}")
