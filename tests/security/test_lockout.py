"""Lock-outs: wrong passwords are counted per account + IP address, and per account from anywhere.

A stranger's guesses must not lock the owner out; a locked account still lets its owner in with the right
password plus the authenticator code, or after the unlock email (a password reset).
"""

from __future__ import annotations

import re

from django.test import override_settings
from django.urls import reverse

from tests.security.sign_in_helpers import (
    client_from,
    enrol_totp,
    password_login,
    signed_in_user,
    totp_code,
)

STRANGER = "198.51.100.7"
OWNER = "203.0.113.20"
MANY_PLACES = {"login_failed_account": "20/h/key"}


def test_a_strangers_five_wrong_passwords_do_not_lock_the_owner_out(world):
    email = world.teacher.user.email
    stranger = client_from(STRANGER)
    for _ in range(5):
        password_login(stranger, email, "not-the-password")
    owner = client_from(OWNER)
    response = password_login(owner, email)
    assert response.status_code == 302
    assert signed_in_user(owner) == world.teacher.user


def test_five_wrong_passwords_from_one_address_lock_the_account_there(world):
    email = world.teacher.user.email
    stranger = client_from(STRANGER)
    for _ in range(5):
        password_login(stranger, email, "not-the-password")
    response = password_login(stranger, email)
    assert response.status_code == 200
    assert not signed_in_user(stranger).is_authenticated


def _guess_from_many_places(email: str, times: int = 20) -> None:
    for n in range(times):
        password_login(client_from(f"192.0.2.{n + 1}"), email, "not-the-password")


@override_settings(HOMEROOM_RATE_LIMITS=MANY_PLACES)
def test_wrong_passwords_from_many_addresses_lock_the_account_everywhere(world):
    email = world.teacher.user.email
    _guess_from_many_places(email)
    owner = client_from(OWNER)
    response = password_login(owner, email)
    assert response.status_code == 200
    assert not signed_in_user(owner).is_authenticated
    page = response.content.decode()
    assert "This account is locked" in page
    assert reverse("account_reset_password") in page  # the unlock email is offered


@override_settings(HOMEROOM_RATE_LIMITS=MANY_PLACES)
def test_a_locked_account_answers_a_right_and_a_wrong_password_alike(world):
    email = world.teacher.user.email
    _guess_from_many_places(email)
    wrong = password_login(client_from(OWNER), email, "still-not-it").content.decode()
    right = password_login(client_from("203.0.113.21"), email).content.decode()
    assert "This account is locked" in wrong and "This account is locked" in right


@override_settings(HOMEROOM_RATE_LIMITS=MANY_PLACES)
def test_the_owner_with_an_authenticator_gets_through_a_lock_with_password_and_code(world):
    user = world.principal.user
    secret = enrol_totp(user)
    _guess_from_many_places(user.email)
    owner = client_from(OWNER)
    response = password_login(owner, user.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not signed_in_user(owner).is_authenticated
    owner.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert signed_in_user(owner) == user


@override_settings(HOMEROOM_RATE_LIMITS=MANY_PLACES)
def test_the_unlock_email_lets_the_owner_back_in(world, mailoutbox):
    email = world.teacher.user.email
    _guess_from_many_places(email)
    owner = client_from(OWNER)
    owner.post(reverse("account_reset_password"), {"email": email})
    [mail] = mailoutbox
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.body).group(1)
    form_url = owner.get(link)["Location"]
    owner.post(form_url, {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"})
    owner.post(reverse("account_logout"))
    response = password_login(client_from("203.0.113.99"), email, "a-brand-new-passphrase")
    assert response.status_code == 302


def test_the_account_wide_limit_is_generous_enough_for_a_forgetful_owner(world):
    """Fewer than the limit's wrong passwords from a few places leave the account open."""
    email = world.teacher.user.email
    _guess_from_many_places(email, times=4)
    assert password_login(client_from(OWNER), email).status_code == 302


@override_settings(HOMEROOM_RATE_LIMITS=MANY_PLACES)
def test_the_lock_is_explained_in_spanish_too(world):
    email = world.teacher.user.email
    _guess_from_many_places(email)
    owner = client_from(OWNER)
    owner.cookies["django_language"] = "es"
    page = password_login(owner, email).content.decode()
    assert "Esta cuenta está bloqueada" in page
    assert "Enviarme por correo un enlace para desbloquear mi cuenta" in page
