"""Core pages in Spanish: by the browser's language, the language cookie, or the account's language."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse


def test_login_page_is_spanish_for_a_spanish_browser(db):
    html = Client(HTTP_ACCEPT_LANGUAGE="es").get(reverse("account_login")).content.decode()
    assert "Entrar a Homeroom" in html
    assert '<html lang="es">' in html


def test_login_page_is_spanish_with_the_language_cookie(db):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    assert "Familias" in client.get(reverse("account_login")).content.decode()


def test_code_request_and_welcome_pages_are_spanish(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    assert "Recibir un código para entrar" in client.get(reverse("account_request_login_code")).content.decode()
    assert "Bienvenidos a Homeroom" in client.get(reverse("home")).content.decode()


def test_guardian_whose_account_is_spanish_gets_spanish_pages(world, client_for):
    html = client_for("ana").get(reverse("account_logout"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="es">' in html
    assert "Salir" in html


def test_language_chosen_on_the_device_wins_over_the_account(world, client_for):
    client = client_for("ana")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en">' in client.get(reverse("account_logout")).content.decode()


def test_english_speaking_guardian_gets_english_pages(world, client_for):
    assert '<html lang="en">' in client_for("paul").get(reverse("account_logout")).content.decode()


def test_staff_see_the_security_link(world, client_for):
    assert reverse("mfa_index") in client_for("teacher").get(reverse("account_logout")).content.decode()


def test_language_switcher_button_uses_our_spanish_wording(db):
    from django.test import Client

    page = Client(HTTP_ACCEPT_LANGUAGE="es").get("/").content.decode()
    assert '<button type="submit">Cambiar</button>' in page
