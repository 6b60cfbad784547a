"""Rate limits are shared by every process: a database table by default, Redis when REDIS_URL is set.

Two separate processes (two gunicorn workers, say) count wrong passwords together, and the count survives a
restart. The table is made by `migrate`, with no extra step.
"""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

import homeroom
from tests.security.sign_in_helpers import HOMEROOM, PASSWORD, ROOT

SETTINGS_FILE = Path(homeroom.__file__).parent / "settings.py"

# One web process: signs a user in (or tries to) from one address, and prints each answer's status.
WEB_PROCESS = """
import sys, django
django.setup()
from django.test import Client
from homeroom.core.models import User
email, password, ip, times = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
if not User.objects.filter(email=email).exists():
    User.objects.create_user(email, "correct-horse-battery")
client = Client(REMOTE_ADDR=ip)
for _ in range(times):
    response = client.post("/accounts/login/", {"login": email, "password": password})
    print(response.status_code)
"""


def _process_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "HOMEROOM_TASK_BACKEND"}}
    env.update({"DJANGO_SETTINGS_MODULE": "homeroom.settings", "HOMEROOM_DATA_DIR": str(tmp_path),
                "HOMEROOM_DEBUG": "0", "HOMEROOM_SECRET_KEY": "two-processes-test-key", "HOMEROOM_DEV_OUTBOX": "1",
                "HOMEROOM_LOG_LEVEL": "WARNING", **extra})
    return env


def _web_process(env: dict[str, str], email: str, password: str, ip: str, times: int) -> list[int]:
    out = subprocess.run([sys.executable, "-c", WEB_PROCESS, email, password, ip, str(times)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    return [int(line) for line in out.stdout.split()]


def _wrong_passwords_in_two_processes_add_up(env: dict[str, str]) -> None:
    email, ip = f"{uuid.uuid4().hex[:10]}@riverside.example", f"10.{uuid.uuid4().int % 250}.0.9"
    assert _web_process(env, email, "wrong", ip, 3) == [200, 200, 200]
    assert _web_process(env, email, "wrong", ip, 2) == [200, 200]
    # Five wrong passwords in all, in two processes: the right one is refused in either.
    assert _web_process(env, email, PASSWORD, ip, 1) == [200]
    # … while the same account from another address, and another account, still get in.
    assert _web_process(env, email, PASSWORD, "192.0.2.200", 1) == [302]


def test_wrong_passwords_counted_in_two_processes_add_up_in_the_database_cache(tmp_path):
    env = _process_env(tmp_path)
    migrate = subprocess.run([*HOMEROOM, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=600, check=False)
    assert migrate.returncode == 0, migrate.stderr[-3000:]  # makes the cache table too: no extra step
    _wrong_passwords_in_two_processes_add_up(env)


REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set")
def test_wrong_passwords_counted_in_two_processes_add_up_in_redis(tmp_path):
    env = _process_env(tmp_path, REDIS_URL=REDIS_URL, HOMEROOM_TASK_BACKEND="db")
    migrate = subprocess.run([*HOMEROOM, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=600, check=False)
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    _wrong_passwords_in_two_processes_add_up(env)


def test_the_shared_cache_is_a_database_table_without_redis(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    cache = runpy.run_path(str(SETTINGS_FILE))["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_the_shared_cache_is_redis_when_there_is_one(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    cache = runpy.run_path(str(SETTINGS_FILE))["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/3"


def test_the_test_database_has_the_cache_table(db):
    from django.core.cache import cache

    cache.set("homeroom-test", 1)
    assert cache.get("homeroom-test") == 1


def test_the_database_cache_does_not_drop_counters_when_busy(monkeypatch):
    """Django's database cache culls entries past MAX_ENTRIES (300 by default): flooding it with other keys
    would lift an account's lock-out."""
    monkeypatch.delenv("REDIS_URL", raising=False)
    cache = runpy.run_path(str(SETTINGS_FILE))["CACHES"]["default"]
    assert cache["OPTIONS"]["MAX_ENTRIES"] >= 100_000
