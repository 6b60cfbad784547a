"""Log lines never carry query strings, where search boxes put names."""

from __future__ import annotations

import logging

from homeroom.core.log_filters import RedactQueryStrings, redact


def test_request_line_loses_its_query_string():
    assert redact('"GET /roster/search/?q=Sofia+Garcia HTTP/1.1" 200 512') == (
        '"GET /roster/search/?[redacted] HTTP/1.1" 200 512'
    )


def test_text_without_a_query_string_is_unchanged():
    line = "Not Found: /roster/students/12/ - is that right?"
    assert redact(line) == line


def test_filter_rewrites_the_formatted_record():
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                               ("GET /family/?name=Ana HTTP/1.1", "200", "10"), None)
    assert RedactQueryStrings().filter(record) is True
    assert record.getMessage() == '"GET /family/?[redacted] HTTP/1.1" 200 10'


def test_runserver_log_goes_through_the_filter():
    from django.conf import settings

    assert "redact_query" in settings.LOGGING["handlers"]["console"]["filters"]
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["console"]
