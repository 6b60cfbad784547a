"""Sessions and caching: staff sessions lapse after 12 idle hours, families' last; student data is never stored."""

from __future__ import annotations

import datetime as dt
import runpy
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import homeroom
from tests.security.sign_in_helpers import password_login, sign_in_code, signed_in_user

SETTINGS_FILE = Path(homeroom.__file__).parent / "settings.py"
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def clock(monkeypatch):
    """clock.advance(hours): everything that asks Django for the time sees it later."""

    class Clock:
        offset = dt.timedelta(0)

        def advance(self, by: dt.timedelta) -> None:
            self.offset += by

    clock = Clock()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + clock.offset)
    return clock


def _session_lifetime(client: Client) -> dt.timedelta:
    session = Session.objects.get(session_key=client.session.session_key)
    return session.expire_date - timezone.now()


def test_a_staff_session_lasts_twelve_idle_hours(world):
    client = Client()
    password_login(client, world.teacher.user.email)
    client.get(reverse("roster:dashboard"))
    assert 11.9 * HOUR < _session_lifetime(client) <= 12 * HOUR


def test_a_staff_session_idle_for_thirteen_hours_is_signed_out(world, clock):
    client = Client()
    password_login(client, world.teacher.user.email)
    assert client.get(reverse("roster:dashboard")).status_code == 200
    clock.advance(13 * HOUR)
    assert not signed_in_user(client).is_authenticated
    assert client.get(reverse("roster:dashboard")).status_code == 302


def test_a_staff_session_in_use_keeps_going(world, clock):
    client = Client()
    password_login(client, world.teacher.user.email)
    for _ in range(3):
        clock.advance(10 * HOUR)
        assert client.get(reverse("roster:dashboard")).status_code == 200


def test_a_family_session_stays_for_weeks(world, clock, mailoutbox):
    client = Client()
    client.post(reverse("account_request_login_code"), {"login": "paul@family.example"})
    client.post(reverse("account_confirm_login_code"), {"code": sign_in_code(mailoutbox[0].body)})
    assert signed_in_user(client) == world.paul.user
    clock.advance(13 * HOUR)
    assert signed_in_user(client) == world.paul.user
    assert _session_lifetime(client) > 30 * 24 * HOUR


def test_the_staff_idle_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("HOMEROOM_STAFF_SESSION_IDLE_HOURS", "2")
    assert runpy.run_path(str(SETTINGS_FILE))["HOMEROOM_STAFF_SESSION_IDLE_SECONDS"] == 2 * 3600


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("actor", "url"),
    [
        ("teacher", lambda w: reverse("roster:student", kwargs={"pk": w.sofia.pk})),
        ("teacher", lambda w: reverse("roster:dashboard")),
        ("principal", lambda w: reverse("contacts:monthly_log_csv")),
        ("principal", lambda w: reverse("contacts:monthly_log_xlsx")),
        ("teacher", lambda w: reverse("api:students")),
        ("teacher", lambda w: reverse("api:student", kwargs={"student_id": w.sofia.pk})),
        ("ana", lambda w: reverse("portal:home")),
    ],
    ids=["student-page", "dashboard", "monthly-csv", "monthly-xlsx", "api-list", "api-student", "family-portal"],
)
def test_student_pages_exports_and_the_api_are_never_stored(world, client_for, actor, url):
    response = client_for(actor).get(url(world))
    assert response.status_code == 200
    assert _no_store(response)


def test_static_files_may_still_be_cached(world, client_for):
    response = client_for("teacher").get(reverse("healthz"))
    assert not _no_store(response)
