"""The dev outbox: DEBUG only, the viewer's district only, sign-in messages for their owner only; staff never
sign in with a code; with debug off, nothing is kept silently in the outbox."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.test import Client
from django.urls import reverse

from homeroom.core.models import OutboxEntry
from homeroom.core.outbox import SIGN_IN
from homeroom.messaging.providers.dev_outbox import DevOutboxPhone
from tests import factories as f
from tests.security.sign_in_helpers import sign_in_code, signed_in_user

OUTBOX = "/messaging/outbox/"
DEV_EMAIL = "homeroom.core.mail.DevOutboxEmailBackend"


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = DEV_EMAIL
    return settings


def test_the_outbox_page_does_not_exist_without_debug(world, client_for):
    OutboxEntry.objects.create(channel="sms", to=world.ana.mobile_phone or "+12035550123", body="Hola")
    assert client_for("admin").get(OUTBOX).status_code == 404
    assert Client().get(OUTBOX).status_code == 404


def test_the_outbox_shows_a_district_administrator_their_own_district_only(world, client_for, debug):
    elsewhere = f.DistrictFactory(name="Hillside Schools", slug="hillside")
    other = f.GuardianFactory(district=elsewhere, email="far@elsewhere.example")
    OutboxEntry.objects.create(channel="email", to="ana@family.example", subject="Conferencias", body="Hola Ana")
    OutboxEntry.objects.create(channel="email", to=other.email, subject="Elsewhere", body="Not yours")
    page = client_for("admin").get(OUTBOX).content.decode()
    assert "Hola Ana" in page
    assert "Not yours" not in page and "far@elsewhere.example" not in page


def test_other_staff_are_refused_the_outbox(world, client_for, debug):
    assert client_for("principal").get(OUTBOX).status_code == 403


def test_a_guardians_sign_in_code_is_not_shown_to_the_district_administrator(world, client_for, debug):
    Client().post(reverse("account_request_login_code"), {"login": "ana@family.example"})
    entry = OutboxEntry.objects.get(to="ana@family.example")
    assert entry.meta["kind"] == SIGN_IN
    code = sign_in_code(entry.body)
    page = client_for("admin").get(OUTBOX).content.decode()
    assert code not in page


def test_a_text_message_sign_in_code_is_not_shown_either(world, client_for, debug):
    world.ana.mobile_phone = "+12035550143"
    world.ana.save()
    Client().post(reverse("account_request_login_code"), {"login": "+12035550143"})
    entry = OutboxEntry.objects.get(channel="sms")
    assert entry.meta["kind"] == SIGN_IN
    assert sign_in_code(entry.body) not in client_for("admin").get(OUTBOX).content.decode()


def test_a_password_reset_link_is_shown_to_its_owner_only(world, client_for, debug):
    for actor in ("teacher", "admin"):
        Client().post(reverse("account_reset_password"), {"email": world.user(actor).email})
    page = client_for("admin").get(OUTBOX).content.decode()
    assert "admin@riverside.example" in page
    assert "rivera@riverside.example" not in page


def test_sign_in_messages_are_printed_on_the_console_in_debug(world, debug, caplog):
    with caplog.at_level(logging.WARNING, logger="homeroom.outbox"):
        Client().post(reverse("account_request_login_code"), {"login": "paul@family.example"})
    assert sign_in_code(OutboxEntry.objects.get().body) in caplog.text


def test_without_debug_no_sign_in_code_reaches_the_log(world, settings, caplog):
    settings.DEBUG = False
    settings.HOMEROOM_DEV_OUTBOX = True  # benchmarks and tests keep the outbox without debug
    settings.EMAIL_BACKEND = DEV_EMAIL
    with caplog.at_level(logging.DEBUG):
        Client().post(reverse("account_request_login_code"), {"login": "paul@family.example"})
    code = sign_in_code(OutboxEntry.objects.get().body)
    assert code and code not in caplog.text


def test_a_staff_member_asking_for_a_code_gets_none(world, mailoutbox):
    client = Client()
    response = client.post(reverse("account_request_login_code"), {"login": world.teacher.user.email})
    assert response.status_code == 302  # the same next page as anyone: nothing is given away
    [mail] = mailoutbox
    assert mail.to == [world.teacher.user.email]
    assert sign_in_code(mail.body) is None
    assert "password" in mail.body
    client.post(reverse("account_confirm_login_code"), {"code": "ABCD-EFGH"})
    assert not signed_in_user(client).is_authenticated


def test_a_guardian_who_is_also_staff_gets_no_code_by_text(world):
    staff_user = world.teacher.user
    world.ana.mobile_phone = "+12035550143"
    world.ana.user = staff_user
    world.ana.save()
    Client().post(reverse("account_request_login_code"), {"login": "+12035550143"})
    assert not OutboxEntry.objects.filter(channel="sms").exists()


def test_without_debug_the_outbox_refuses_to_keep_email(settings, db):
    settings.HOMEROOM_DEV_OUTBOX = False
    with pytest.raises(ImproperlyConfigured):
        get_connection(DEV_EMAIL).send_messages([EmailMessage("Hi", "Body", to=["ana@family.example"])])
    assert not OutboxEntry.objects.exists()


def test_without_debug_the_outbox_refuses_to_keep_texts(settings, db):
    settings.HOMEROOM_DEV_OUTBOX = False
    with pytest.raises(ImproperlyConfigured):
        DevOutboxPhone().send_sms("+12035550143", "Hola")
    assert not OutboxEntry.objects.exists()


def test_the_dashboard_links_to_the_outbox_only_in_debug(world, client_for, settings):
    dashboard = reverse("roster:dashboard")
    assert OUTBOX not in client_for("admin").get(dashboard).content.decode()
    settings.DEBUG = True
    assert OUTBOX in client_for("admin").get(dashboard).content.decode()
