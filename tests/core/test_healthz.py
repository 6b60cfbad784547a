"""/healthz is the trivial reference page: it answers without touching the database, signed in or not."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def test_healthz_answers_without_a_query_for_a_signed_in_user(client_for):
    client = client_for("teacher")
    assert client.cookies.get("sessionid")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("healthz"))
    assert (response.status_code, response.content) == (200, b"ok")
    assert len(queries) == 0, [q["sql"] for q in queries]


def test_healthz_keeps_the_security_headers(client):
    response = client.get(reverse("healthz"))
    assert response["X-Content-Type-Options"] == "nosniff"
