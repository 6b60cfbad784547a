"""Keeps query strings out of log lines: search boxes carry student and family names."""

from __future__ import annotations

import logging
import re

# A path followed by its query string, as in a request line ("GET /roster/?q=Sofia HTTP/1.1").
_QUERY = re.compile(r"(/[^\s?\"']*)\?[^\s\"']+")


def redact(text: str) -> str:
    return _QUERY.sub(r"\1?[redacted]", text)


class RedactQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
