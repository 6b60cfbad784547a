from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client

from tests.actors import World, build_world


@pytest.fixture(autouse=True)
def _fresh_process_state():
    """Per-process caches and the active language must not leak from one test into the next."""
    from django.utils import translation

    from homeroom.schoolcalendar.days import clear_cache

    translation.activate("en")
    clear_cache()
    yield
    translation.activate("en")
    clear_cache()


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_rate_limits_left_behind(request):
    """Rate limits live in a database table (settings.CACHES), which a live-server test's flush keeps."""
    yield
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        with request.getfixturevalue("django_db_blocker").unblock():
            caches["default"].clear()


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def client_for(world):
    """client_for('teacher') → a Client signed in as that actor ('anonymous' → signed out)."""

    def make(actor: str) -> Client:
        client = Client()
        user = world.user(actor)
        if user is not None:
            client.force_login(user)
        return client

    return make
