from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from pytest_django.live_server_helper import LiveServer

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


@pytest.fixture
def shared_database(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    """A DATABASE_URL for this test's database that another process (or thread) can open.

    PostgreSQL, or SQLite in a file (HOMEROOM_TEST_SQLITE): the test database itself. SQLite in memory (the
    usual `make test`): no other process can open that, and its shared cache reports a lock another thread holds
    at once ("database table is locked") where a file waits (busy_timeout), as production does; so for this test
    the connection moves to a file copy of it, and back afterwards. The in-memory connection is only set aside,
    never closed: closing the last connection to a shared in-memory database would destroy it for the rest of
    the session.
    """
    conf = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(conf["USER"] or "", safe="")
        password = f":{quote(conf['PASSWORD'], safe='')}" if conf["PASSWORD"] else ""
        port = f":{conf['PORT']}" if conf["PORT"] else ""
        yield f"postgres://{user}{password}@{conf['HOST'] or ''}{port}/{conf['NAME']}"
        return
    if connection.vendor != "sqlite":
        pytest.skip(f"this test shares its database with another process or thread; not set up for "
                    f"{connection.vendor}")
    if not (conf["NAME"] == ":memory:" or "mode=memory" in str(conf["NAME"])):
        yield f"sqlite:///{conf['NAME']}"
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    in_memory, memory_name = connection.connection, conf["NAME"]
    with contextlib.closing(sqlite3.connect(path)) as copy:
        in_memory.backup(copy)
    connection.connection = None
    conf["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        conf["NAME"] = memory_name
        connection.connection = in_memory


@pytest.fixture
def live_server(shared_database: str) -> Iterator[LiveServer]:
    """A live server for this test whose threads open their own database connections (replaces pytest-django's).

    pytest-django's server hands the test's one in-memory SQLite connection to its threads. When a request runs
    while the test (or another request) is using it, the two break each other's transactions ("no such
    savepoint", an IndexError in atomic), and every later test on that server errors. `shared_database` moves
    the database to a file (WAL, busy timeout) first, so the server's threads wait for each other's writes, as a
    deployment's web and worker processes do. On PostgreSQL every thread has its own connection anyway.
    """
    server = LiveServer("localhost")
    yield server
    server.stop()
