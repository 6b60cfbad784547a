"""The Django admin: signed in through allauth (same throttle, same authenticator code), superusers only."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from homeroom.core.models import User
from tests.security.sign_in_helpers import PASSWORD, enrol_totp, password_login, signed_in_user, totp_code

ADMIN = "/admin/"


def _superuser() -> User:
    return User.objects.create_superuser("root@riverside.example", PASSWORD)


def test_the_admin_login_page_sends_people_to_the_sign_in_page(db):
    response = Client().get(reverse("admin:login"), {"next": ADMIN})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=%2Fadmin%2F" in response["Location"]


def test_posting_a_password_to_the_admin_login_signs_nobody_in(db):
    root = _superuser()
    enrol_totp(root)
    client = Client()
    client.post(reverse("admin:login"), {"username": root.email, "password": PASSWORD, "next": ADMIN})
    assert not signed_in_user(client).is_authenticated
    assert client.get(ADMIN).status_code == 302


def test_many_wrong_passwords_at_the_admin_login_never_end_inside(db):
    root = _superuser()
    client = Client()
    for _ in range(25):
        client.post(reverse("admin:login"), {"username": root.email, "password": "wrong", "next": ADMIN})
    client.post(reverse("admin:login"), {"username": root.email, "password": PASSWORD, "next": ADMIN})
    assert client.get(ADMIN).status_code == 302


def test_a_superuser_with_an_authenticator_reaches_the_admin_only_after_the_code(db):
    root = _superuser()
    secret = enrol_totp(root)
    client = Client()
    response = password_login(client, root.email, next=ADMIN)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(ADMIN).status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_the_admin_sign_in_is_throttled_like_every_staff_sign_in(db):
    root = _superuser()
    client = Client()
    for _ in range(5):
        password_login(client, root.email, "wrong", next=ADMIN)
    password_login(client, root.email, next=ADMIN)
    assert client.get(ADMIN).status_code == 302


def test_django_staff_who_are_not_superusers_are_refused(db):
    clerk = User.objects.create_user("clerk@riverside.example", PASSWORD, is_staff=True)
    client = Client()
    client.force_login(clerk)
    assert client.get(ADMIN, follow=True).status_code == 403


def test_signed_in_roster_staff_are_refused_the_admin(world, client_for):
    assert client_for("admin").get(ADMIN, follow=True).status_code == 403
