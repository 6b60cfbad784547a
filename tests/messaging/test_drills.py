"""Drills with a real worker (`homeroom db_worker --batch`, a process of its own on this test's database) and the
HTTP Twilio stand-in: a wrong auth token, then fixed; a text Twilio takes before the connection stalls.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from homeroom.core.models import OutboxEntry
from homeroom.messaging import services
from homeroom.messaging.models import Delivery, Message, ProviderPause
from homeroom.roster.models import Guardian
from tests import factories as f
from tests.actors import World, build_world
from tests.messaging.conftest import FROM, SID, TOKEN
from tests.messaging.helpers import compose
from tests.messaging.standins import TwilioStandIn
from tests.messaging.test_ambiguous_timeout import TIMEOUT, UnansweredTwilio

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
FAMILIES = 6
PROBE_SECONDS = 1


@pytest.fixture
def queued_in_the_database(shared_database: str, settings: Any) -> World:
    """Tasks go to the database task queue, for the worker process to run; the test world plus a few families."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MESSAGING_PROVIDER_PROBE_SECONDS = PROBE_SECONDS
    world = build_world()
    for _ in range(FAMILIES):
        f.StudentGuardianFactory(student=f.StudentFactory(district=world.district, school=world.lincoln))
    return world


def _run_worker(database_url: str, standin: TwilioStandIn, **env: str) -> subprocess.CompletedProcess[str]:
    worker_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "homeroom.settings",
        "DATABASE_URL": database_url,
        "HOMEROOM_TASK_BACKEND": "db",
        "HOMEROOM_PHONE_PROVIDER": "twilio",
        "HOMEROOM_WEBHOOK_BASE_URL": "http://testserver",
        "HOMEROOM_PHONE_RATE_BURST": "1000",
        "HOMEROOM_PROVIDER_PROBE_SECONDS": str(PROBE_SECONDS),
        "TWILIO_ACCOUNT_SID": SID, "TWILIO_FROM_NUMBER": FROM, "TWILIO_API_BASE": standin.url,
        "TWILIO_AUTH_TOKEN": TOKEN,
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-m", "homeroom.cli", "db_worker", "--batch", "--no-startup-delay", "--interval", "0.1"],
        cwd=ROOT, env=worker_env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def _send(world: World) -> Message:
    message = compose(world)
    services.message_send(message=message, user=world.user("principal"))  # commits: the batch task is queued
    return message


def test_wrong_token_drill_marks_no_family_then_the_send_resumes_once_the_token_is_fixed(
    queued_in_the_database, shared_database
):
    world = queued_in_the_database
    marks_before = list(Guardian.objects.order_by("pk").values_list(
        "pk", "mobile_phone_bad_at", "home_phone_bad_at", "email_bad_at"))
    with TwilioStandIn(SID, TOKEN) as twilio:
        message = _send(world)
        texts = Delivery.objects.filter(message=message, channel="sms").exclude(state="skipped")
        assert texts.count() >= FAMILIES

        _run_worker(shared_database, twilio, TWILIO_AUTH_TOKEN="a-wrong-token")

        assert twilio.created == []
        assert set(texts.values_list("state", flat=True)) == {"queued"}
        assert set(texts.values_list("attempts", flat=True)) == {0}
        assert not Delivery.objects.filter(message=message, fallback_of__isnull=False).exists()
        assert list(Guardian.objects.order_by("pk").values_list(
            "pk", "mobile_phone_bad_at", "home_phone_bad_at", "email_bad_at")) == marks_before
        assert ProviderPause.objects.get(provider="twilio").paused_at is not None
        admin_email = world.user("admin").email
        assert OutboxEntry.objects.filter(channel="email", to=admin_email, subject__contains="paused").count() == 1

        time.sleep(PROBE_SECONDS + 0.5)  # the probe the first worker left in the queue is now due
        _run_worker(shared_database, twilio)  # the token is fixed

        assert Counter(form["To"] for form in twilio.sent()) == Counter(texts.values_list("address", flat=True))
        assert set(texts.values_list("state", flat=True)) == {"sent"}
        assert ProviderPause.objects.get(provider="twilio").paused_at is None
        assert list(Guardian.objects.order_by("pk").values_list(
            "pk", "mobile_phone_bad_at", "home_phone_bad_at", "email_bad_at")) == marks_before


def test_ambiguous_timeout_drill_sends_exactly_one_text(queued_in_the_database, shared_database):
    world = queued_in_the_database
    with UnansweredTwilio("stall") as twilio:
        twilio.unanswered.add(world.ana.mobile_phone)
        message = _send(world)
        texts = Delivery.objects.filter(message=message, channel="sms").exclude(state="skipped")

        _run_worker(shared_database, twilio, HOMEROOM_MESSAGING_HTTP_TIMEOUT=str(TIMEOUT))
        ana = texts.get(guardian=world.ana)
        assert ana.state == "sending"  # Twilio took it; the worker never heard back

        time.sleep(5.5)  # the re-run the worker deferred, which asks Twilio first, is now due
        _run_worker(shared_database, twilio, HOMEROOM_MESSAGING_HTTP_TIMEOUT=str(TIMEOUT))

        sent_to = Counter(form["To"] for form in twilio.sent())
        assert sent_to == Counter(texts.values_list("address", flat=True))  # every number exactly once
        assert set(texts.values_list("state", flat=True)) == {"sent"}
        taken = next(item for item in twilio.created if item["to"] == world.ana.mobile_phone)
        assert texts.get(guardian=world.ana).provider_id == taken["sid"]
