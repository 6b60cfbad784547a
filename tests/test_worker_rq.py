"""The Redis-backed worker path: tasks enqueued through django-tasks-rq run in a separate `rqworker` process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.redis

REDIS_URL = os.environ.get("REDIS_URL", "")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def rq_settings(settings):
    if not REDIS_URL:
        pytest.skip("REDIS_URL is not set: the Redis worker test runs in `make test-redis` (.ci/run)")
    if "django_rq" not in settings.INSTALLED_APPS:
        pytest.skip("django_rq is installed only when REDIS_URL is set at start-up")
    queue = "default"
    settings.RQ_QUEUES = {queue: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue]}}
    import django_rq

    django_rq.get_queue(queue).empty()
    return queue


def run_worker(queue: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REDIS_URL": REDIS_URL, "HOMEROOM_TASK_BACKEND": "rq", "HOMEROOM_RQ_QUEUES": queue}
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "homeroom.cli", "rqworker", queue, "--burst",
         "--job-class", "django_tasks_rq.backend.Job"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def test_task_enqueued_on_redis_runs_in_a_separate_worker_process(rq_settings):
    from django_tasks import TaskResultStatus

    from homeroom.core.tasks import worker_ping

    result = worker_ping.enqueue("abc123")
    assert result.status == TaskResultStatus.READY

    done = run_worker(rq_settings)
    assert done.returncode == 0, done.stderr

    deadline = time.monotonic() + 10
    result.refresh()
    while result.status != TaskResultStatus.SUCCESSFUL and time.monotonic() < deadline:
        time.sleep(0.2)
        result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL, (result.status, done.stderr[-2000:])
    assert result.return_value == "pong:abc123"


def _database_url_of_test_db() -> str:
    from django.db import connection

    conf = connection.settings_dict
    if conf["ENGINE"].endswith("sqlite3"):
        name = str(conf["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            pytest.skip("the worker process needs a file database: set HOMEROOM_TEST_SQLITE (make test-redis does)")
        return f"sqlite:///{name}"
    user, host, port = conf["USER"] or "postgres", conf["HOST"] or "127.0.0.1", conf["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{conf['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_school_wide_message_is_delivered_by_the_redis_worker(rq_settings):
    from homeroom.core.models import OutboxEntry
    from homeroom.messaging import services
    from homeroom.messaging.models import Delivery, DeliveryState
    from tests.actors import build_world
    from tests.messaging.helpers import compose

    world = build_world()
    message = compose(world, "principal", category="news")
    services.message_send(message=message, user=world.principal.user)
    planned = Delivery.objects.filter(message=message).exclude(state=DeliveryState.SKIPPED)
    assert planned.exists()
    assert not OutboxEntry.objects.exists()  # nothing is sent in the web process

    done = run_worker(rq_settings, {"DATABASE_URL": _database_url_of_test_db()})
    assert done.returncode == 0, done.stderr[-3000:]

    states = set(planned.values_list("state", flat=True))
    assert states <= {DeliveryState.SENT, DeliveryState.DELIVERED}, states
    assert OutboxEntry.objects.count() == planned.count()
