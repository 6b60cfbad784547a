"""Django's SMTP backend for messages to families, with the same conversation and the same bytes, written cheaper.

A fan-out hands tens of thousands of emails to the SMTP server one at a time, and Django's backend spent most of
each hand-over in the standard library's header folding (the compat32 `Header` algorithm runs for every header,
even a short ASCII one that needs no folding) and in parsing the same From address again for every email.
This backend writes a header that needs no folding (ASCII, no whitespace to fold at, shorter than a line) as
`Name: value` itself, which is what the folding algorithm returns for it, and hands every other header to that
algorithm; it parses the From address once per process. tests/messaging/test_smtp_backend.py holds the bytes
equal to Django's.

The email channel uses it wherever Django's SMTP backend is configured (channels.email.email_backend_path).
"""

from __future__ import annotations

import re
import smtplib
from email import generator
from email._policybase import Compat32
from functools import lru_cache
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.mail.backends import smtp
from django.core.mail.message import EmailMessage, sanitize_address

# A value the compat32 folding returns unchanged: printable ASCII, single spaces between words, none at the
# ends, and the whole header within the policy's line length.
PLAIN_VALUE = re.compile(r"[!-~]+(?: [!-~]+)*\Z")


class _Generator(generator.BytesGenerator):
    def _write_headers(self, msg: Any) -> None:  # type: ignore[misc]  # the generator's own step, per part
        policy = self.policy
        if not isinstance(policy, Compat32) or type(policy).fold_binary is not Compat32.fold_binary:
            super()._write_headers(msg)  # type: ignore[misc]
            return
        limit = policy.max_line_length or 0
        linesep = policy.linesep
        out = self._fp  # type: ignore[attr-defined]
        for name, value in msg.raw_items():
            if (isinstance(value, str) and value.isascii() and (not limit or len(name) + 2 + len(value) <= limit)
                    and PLAIN_VALUE.match(value)):
                out.write(f"{name}: {value}{linesep}".encode("ascii"))
            else:
                out.write(policy.fold_binary(name, value))
        self.write(self._NL)  # type: ignore[attr-defined]


def message_bytes(message: Any, linesep: str = "\r\n") -> bytes:
    """The bytes Django's SafeMIME message.as_bytes(linesep=…) gives, without folding headers that need none."""
    out = BytesIO()
    _Generator(out, mangle_from_=False).flatten(message, linesep=linesep)
    return out.getvalue()


@lru_cache(maxsize=16)
def _sender(address: str, encoding: str) -> str:
    return sanitize_address(address, encoding)


class EmailBackend(smtp.EmailBackend):
    def _send(self, email_message: EmailMessage) -> bool:
        """Django's SMTPBackend._send, with the From address parsed once and the message written by message_bytes."""
        if not email_message.recipients():
            return False
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        from_email = _sender(email_message.from_email, encoding)
        recipients = [sanitize_address(addr, encoding) for addr in email_message.recipients()]
        message = email_message.message()
        try:
            self.connection.sendmail(from_email, recipients, message_bytes(message))  # type: ignore[union-attr]
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
