"""Email provider webhooks: a correctly signed request whose body cannot be read is the sender's mistake (400),
never a server error (500) that the provider would keep retrying."""

from __future__ import annotations

import base64

import pytest

from homeroom.messaging.models import Suppression

pytestmark = pytest.mark.django_db

SECRET = "hook:secret"


@pytest.fixture(autouse=True)
def _webhook_secret(settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET}


def _post(client, esp: str, body: bytes, *, auth: str = SECRET, content_type: str = "application/json"):
    header = "Basic " + base64.b64encode(auth.encode()).decode()
    return client.post(f"/messaging/hooks/email/{esp}/", body, content_type=content_type, HTTP_AUTHORIZATION=header)


@pytest.mark.parametrize("body", [b"this is not json", b"{\"unterminated\": ", b"\xff\xfe\x00 not utf-8"])
def test_sendgrid_tracking_with_a_valid_secret_and_a_non_json_body_is_a_bad_request(client, body):
    response = _post(client, "sendgrid", body)
    assert response.status_code == 400
    assert not Suppression.objects.exists()


def test_sendgrid_tracking_with_json_of_the_wrong_shape_is_a_bad_request(client):
    assert _post(client, "sendgrid", b"42").status_code == 400


def test_postmark_tracking_with_a_non_json_body_is_a_bad_request(client):
    assert _post(client, "postmark", b"<html>not json</html>").status_code == 400


def test_a_non_json_body_without_the_secret_is_still_refused_for_its_credentials(client):
    assert _post(client, "sendgrid", b"not json", auth="wrong:creds").status_code in (400, 403)
    assert _post(client, "sendgrid", b"not json", auth="wrong:creds").status_code != 500


def test_a_well_formed_sendgrid_event_is_still_accepted(client):
    body = b'[{"event": "bounce", "email": "someone@family.example", "sg_message_id": "x.1", "reason": "550"}]'
    assert _post(client, "sendgrid", body).status_code == 200
    assert Suppression.objects.filter(address="someone@family.example").exists()
