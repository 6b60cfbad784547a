"""Security headers, CSRF on every form post, cookie settings, and HTTPS-only settings."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

import homeroom

SETTINGS_FILE = Path(homeroom.__file__).parent / "settings.py"


@pytest.fixture
def page(db):
    return Client().get(reverse("account_login"))


def test_pages_carry_a_strict_content_security_policy(page):
    policy = dict(part.strip().split(" ", 1) for part in page["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


def test_pages_have_no_inline_scripts_the_policy_would_block(page):
    html = page.content.decode()
    assert "<script>" not in html
    assert " onclick=" not in html and " onload=" not in html


def test_pages_switch_off_browser_features_we_never_use(page):
    assert "camera=()" in page["Permissions-Policy"]
    assert "geolocation=()" in page["Permissions-Policy"]


def test_pages_refuse_framing_and_sniffing(page):
    assert page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Referrer-Policy"] == "same-origin"


def test_a_view_may_set_its_own_policy(rf, settings):
    from homeroom.core.security import SecurityHeadersMiddleware

    def view(request):
        from django.http import HttpResponse

        response = HttpResponse()
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = SecurityHeadersMiddleware(view)(rf.get("/"))
    assert response["Content-Security-Policy"] == "default-src 'none'"


@pytest.mark.parametrize(
    ("actor", "url_name", "data"),
    [
        (None, "account_login", {"login": "rivera@riverside.example", "password": "correct-horse-battery"}),
        (None, "account_request_login_code", {"login": "ana@family.example"}),
        ("ana", "set_language", {"language": "es"}),
        ("admin", "access_log", {}),
        ("teacher", "account_logout", {}),
    ],
)
def test_form_posts_without_csrf_token_are_refused(world, actor, url_name, data):
    client = Client(enforce_csrf_checks=True)
    if actor:
        client.force_login(world.user(actor))
    assert client.post(reverse(url_name), data).status_code == 403


def test_session_cookie_is_not_readable_by_scripts_nor_sent_cross_site():
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_HTTPONLY is True


def _settings_with(monkeypatch, **env: str) -> dict:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_secure_cookies_setting_turns_on_https_only_behaviour(monkeypatch):
    conf = _settings_with(monkeypatch, HOMEROOM_SECURE_COOKIES="1")
    assert conf["SESSION_COOKIE_SECURE"] is True
    assert conf["CSRF_COOKIE_SECURE"] is True
    assert conf["SECURE_SSL_REDIRECT"] is True
    assert conf["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert conf["SESSION_COOKIE_NAME"].startswith("__Host-")


def test_health_check_is_not_redirected_to_https(monkeypatch):
    conf = _settings_with(monkeypatch, HOMEROOM_SECURE_COOKIES="1")
    assert any(__import__("re").match(pattern, "healthz") for pattern in conf["SECURE_REDIRECT_EXEMPT"])


def test_without_secure_cookies_a_laptop_can_use_plain_http(monkeypatch):
    monkeypatch.delenv("HOMEROOM_SECURE_COOKIES", raising=False)
    conf = runpy.run_path(str(SETTINGS_FILE))
    assert conf["SESSION_COOKIE_SECURE"] is False
    assert "SECURE_SSL_REDIRECT" not in conf
