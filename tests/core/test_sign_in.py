"""Sign-in: staff by email and password (with optional TOTP), families by a one-time code."""

from __future__ import annotations

import re

from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from django.urls import reverse

from homeroom.core.models import OutboxEntry, User

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory


def _code_from(body: str) -> str:
    match = re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", body)
    assert match, body
    return match.group(1)


def _password_login(client: Client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _signed_in_as(client: Client):
    return client.get(reverse("home")).wsgi_request.user


def test_staff_member_with_password_lands_on_roster(world):
    response = _password_login(Client(), world.teacher.user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("roster:dashboard")


def test_wrong_password_is_refused(world):
    client = Client()
    response = _password_login(client, world.teacher.user.email, "not-the-password")
    assert response.status_code == 200
    assert not _signed_in_as(client).is_authenticated


def test_sixth_failed_password_attempt_for_an_account_is_refused_even_when_right(world):
    client = Client()
    email = world.teacher.user.email
    for _ in range(5):
        _password_login(client, email, "not-the-password")
    response = _password_login(client, email)
    assert response.status_code == 200
    assert not _signed_in_as(client).is_authenticated
    assert "Too many failed login attempts" in response.content.decode()


def test_fifth_attempt_after_four_failures_still_signs_in(world):
    client = Client()
    for _ in range(4):
        _password_login(client, world.teacher.user.email, "not-the-password")
    assert _password_login(client, world.teacher.user.email).status_code == 302


def _enrol_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def test_staff_member_with_totp_is_not_signed_in_by_password_alone(world):
    _enrol_totp(world.principal.user)
    client = Client()
    response = _password_login(client, world.principal.user.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not _signed_in_as(client).is_authenticated


def test_staff_member_with_totp_is_signed_in_after_the_authenticator_code(world):
    secret = _enrol_totp(world.principal.user)
    client = Client()
    _password_login(client, world.principal.user.email)
    counter = next(yield_hotp_counters_from_time())
    response = client.post(reverse("mfa_authenticate"), {"code": format_hotp_value(hotp_value(secret, counter))})
    assert response.status_code == 302
    assert response["Location"] == reverse("roster:dashboard")
    assert _signed_in_as(client) == world.principal.user


def test_staff_member_with_totp_is_refused_a_wrong_authenticator_code(world):
    _enrol_totp(world.principal.user)
    client = Client()
    _password_login(client, world.principal.user.email)
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert not _signed_in_as(client).is_authenticated


def _request_code(client: Client, login: str):
    return client.post(reverse("account_request_login_code"), {"login": login})


def test_guardian_requesting_a_code_by_email_gets_one_and_is_sent_to_confirm(world, mailoutbox):
    client = Client()
    response = _request_code(client, "paul@family.example")
    assert response["Location"] == reverse("account_confirm_login_code")
    [mail] = mailoutbox
    assert mail.to == ["paul@family.example"]
    assert mail.subject == "Your Homeroom sign-in code"


def test_guardian_signed_in_by_email_code_lands_on_family_page(world, mailoutbox):
    client = Client()
    _request_code(client, "paul@family.example")
    code = _code_from(mailoutbox[0].body)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response["Location"] == reverse("portal:home")
    assert _signed_in_as(client) == world.paul.user


def test_code_email_is_in_the_guardians_language(world, mailoutbox):
    _request_code(Client(HTTP_ACCEPT_LANGUAGE="en"), "ana@family.example")
    [mail] = mailoutbox
    assert mail.subject == "Su código para entrar a Homeroom"
    assert "Aquí tiene su código" in mail.body


def test_code_email_follows_the_roster_language_when_the_account_has_none(world, mailoutbox):
    world.rosa.user.language = ""
    world.rosa.user.save()
    _request_code(Client(), "rosa@family.example")
    assert mailoutbox[0].subject == "Su código para entrar a Homeroom"


def test_wrong_code_does_not_sign_in(world):
    client = Client()
    _request_code(client, "paul@family.example")
    client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})
    assert not _signed_in_as(client).is_authenticated


def test_guardian_can_type_a_mobile_number_in_national_format_and_gets_a_text(world):
    world.paul.mobile_phone = "+12035550142"
    world.paul.save()
    client = Client()
    response = _request_code(client, "(203) 555-0142")
    assert response["Location"] == reverse("account_confirm_login_code")
    text = OutboxEntry.objects.get(channel="sms")
    assert text.to == "+12035550142"
    assert "sign-in code" in text.body


def test_guardian_signed_in_by_text_code_lands_on_family_page(world):
    world.ana.mobile_phone = "+12035550143"
    world.ana.save()
    client = Client()
    _request_code(client, "+1 203 555 0143")
    code = _code_from(OutboxEntry.objects.get(channel="sms").body)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response["Location"] == reverse("portal:home")
    assert _signed_in_as(client) == world.ana.user


def test_text_code_is_in_the_guardians_language(world):
    world.ana.mobile_phone = "+12035550143"
    world.ana.save()
    _request_code(Client(), "203-555-0143")
    assert OutboxEntry.objects.get(channel="sms").body.startswith("Su código de Homeroom es")


def test_unknown_mobile_number_gets_no_text_but_the_same_next_page(world):
    response = _request_code(Client(), "(203) 555-0199")
    assert response["Location"] == reverse("account_confirm_login_code")
    assert not OutboxEntry.objects.filter(channel="sms").exists()


def test_number_shared_by_two_guardians_gets_no_text(world):
    for guardian in (world.ana, world.paul):
        guardian.mobile_phone = "+12035550144"
        guardian.save()
    _request_code(Client(), "2035550144")
    assert not OutboxEntry.objects.filter(channel="sms").exists()


def test_something_that_is_neither_email_nor_phone_is_refused_with_help(world):
    response = _request_code(Client(), "ana garcia")
    assert response.status_code == 200
    assert "mobile number the school has for you" in response.content.decode()


def test_fourth_code_request_for_one_address_within_a_minute_is_refused(world, mailoutbox):
    for _ in range(3):
        assert _request_code(Client(), "paul@family.example").status_code == 302
    response = _request_code(Client(), "paul@family.example")
    assert response.status_code == 200
    assert len(mailoutbox) == 3


def test_code_requests_from_one_address_are_throttled_across_accounts(world):
    statuses = [_request_code(Client(), f"someone{n}@family.example").status_code for n in range(11)]
    assert statuses[:10] == [302] * 10
    assert statuses[10] == 200


def test_nobody_can_sign_up(world):
    response = Client().post(reverse("account_signup"), {"email": "new@family.example", "password1": "x" * 12})
    assert response.status_code == 200
    assert not User.objects.filter(email="new@family.example").exists()
