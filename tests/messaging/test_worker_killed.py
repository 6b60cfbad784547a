"""A real worker process killed with SIGKILL mid-batch, then the batch run again: nothing lost, nothing doubled.

The worker (tests/messaging/crash_worker.py) is a separate process on this test's database; the provider
stand-in kills it the moment it has taken the Nth message, before the worker could record it. The batch is
then run again here, once the dead worker's claim lease has run out.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.utils import timezone

from homeroom.messaging import services
from homeroom.messaging.engine import dispatch
from homeroom.messaging.models import Delivery, DeliveryAttempt, Message
from homeroom.roster.models import Guardian
from tests import factories as f
from tests.actors import World, build_world
from tests.messaging.conftest import FROM, SID, TOKEN
from tests.messaging.helpers import compose
from tests.messaging.standins import TwilioStandIn

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals"),
]

ROOT = Path(__file__).resolve().parents[2]
KILL_AT = 10  # the provider has taken this many messages when the worker dies
FAMILIES = 25  # more families than KILL_AT, so part of the batch is still owed when the worker dies
DEADLINE = 30.0  # seconds; only reached when something is broken


@pytest.fixture
def families(shared_database: str, settings: Any) -> World:
    """The test world plus FAMILIES more Lincoln families; batches are queued, never run, in this process."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    # The rate limit is not under test: the worker and the re-run each take the whole batch at once.
    settings.MESSAGING_PHONE_RATE_BURST = 1000
    world = build_world()
    for _ in range(FAMILIES):
        student = f.StudentFactory(district=world.district, school=world.lincoln)
        f.StudentGuardianFactory(student=student)
    return world


def _queued_message(world: World) -> Message:
    message = compose(world)
    services.message_send(message=message, user=world.user("principal"))
    assert Delivery.objects.filter(message=message, batch=0, state="queued").exists()
    assert not Delivery.objects.filter(message=message, batch=1).exists()  # one batch: the one under test
    return message


class Victim:
    """The worker process, once started; the stand-ins wait for it before they kill."""

    def __init__(self) -> None:
        self.pid = 0
        self.started = threading.Event()
        self.killed = threading.Event()

    def kill(self) -> None:
        assert self.started.wait(DEADLINE), "the worker was never started"
        self.killed.set()  # first: the worker's parent may see it die before this thread runs again
        os.kill(self.pid, signal.SIGKILL)


def _run_worker_until_killed(victim: Victim, message: Message, database_url: str, env: dict[str, str]) -> None:
    worker_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "homeroom.settings",
        "DATABASE_URL": database_url,
        "HOMEROOM_PHONE_RATE_BURST": "1000",
        "HOMEROOM_MESSAGING_CLAIM_LEASE": str(django_settings.MESSAGING_CLAIM_LEASE_SECONDS),
        **env,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.messaging.crash_worker", str(message.pk), "0"],
        cwd=ROOT, env=worker_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    victim.pid = proc.pid
    victim.started.set()
    try:
        out, err = proc.communicate(timeout=DEADLINE)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    assert victim.killed.is_set(), f"the worker was not killed (exit {proc.returncode}): {out}{err[-3000:]}"
    assert proc.returncode == -signal.SIGKILL, err[-3000:]


def _rerun_after_the_lease(message: Message) -> dispatch.BatchResult:
    later = timezone.now() + dt.timedelta(seconds=django_settings.MESSAGING_CLAIM_LEASE_SECONDS + 1)
    return dispatch.deliver_batch(message.pk, 0, now=later)


class KillingTwilio(TwilioStandIn):
    """Twilio that takes the Nth text, records it, and kills the worker before the worker hears back."""

    def __init__(self, victim: Victim, kill_at: int) -> None:
        super().__init__(SID, TOKEN)
        self.victim, self.kill_at = victim, kill_at
        report = self.server.handle_error

        def handle_error(request: Any, client_address: Any) -> None:
            if not isinstance(sys.exc_info()[1], ConnectionError):  # the killed worker's socket, reset
                report(request, client_address)

        self.server.handle_error = handle_error  # type: ignore[method-assign]

    def handle(self, path: str, headers: dict[str, str], raw: str) -> tuple[int, dict[str, Any]]:
        status, payload = super().handle(path, headers, raw)
        with self.lock:
            taken = len(self.created)
        if status == 201 and taken == self.kill_at:
            self.victim.kill()
        return status, payload


@pytest.fixture
def victim() -> Victim:
    return Victim()


@pytest.fixture
def killing_twilio(victim: Victim, settings: Any) -> Iterator[KillingTwilio]:
    standin = KillingTwilio(victim, KILL_AT)
    with standin:
        settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM_NUMBER = SID, TOKEN, FROM
        settings.TWILIO_API_BASE = standin.url
        settings.MESSAGING_PHONE_PROVIDER = "twilio"
        settings.MESSAGING_WEBHOOK_BASE_URL = "http://testserver"
        yield standin


def test_worker_killed_after_twilio_took_a_text_then_rerun_sends_each_text_exactly_once(
    families, shared_database, killing_twilio, victim
):
    message = _queued_message(families)
    texts = Delivery.objects.filter(message=message, channel="sms").exclude(state="skipped")
    assert texts.count() > KILL_AT

    _run_worker_until_killed(victim, message, shared_database, {
        "TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": TOKEN, "TWILIO_FROM_NUMBER": FROM,
        "TWILIO_API_BASE": killing_twilio.url, "HOMEROOM_PHONE_PROVIDER": "twilio",
        "HOMEROOM_WEBHOOK_BASE_URL": "http://testserver",
    })
    # Texts the dead worker had already written may still be arriving at the stand-in: count them all first.
    killing_twilio.wait_until_quiet()
    taken = {item["to"] for item in killing_twilio.created}
    # Texts are sent several at once (dispatch's send-ahead): those already in flight at the kill landed too.
    assert KILL_AT <= len(killing_twilio.created) < texts.count()
    # The hardest case: Twilio took every one of these, the worker recorded none of them.
    assert set(texts.filter(address__in=taken).values_list("state", flat=True)) == {"sending"}

    result = _rerun_after_the_lease(message)

    # What Twilio created (a request cut off by the kill created nothing): each number once, none lost.
    sent_to = Counter(item["to"] for item in killing_twilio.created)
    assert sent_to == Counter(texts.values_list("address", flat=True))
    assert result.sent == texts.count() - len(taken)
    assert set(texts.values_list("state", flat=True)) == {"sent"}
    sid_of = {item["to"]: item["sid"] for item in killing_twilio.created}
    assert dict(texts.values_list("address", "provider_id")) == sid_of
    others = Delivery.objects.filter(message=message).exclude(state="skipped").exclude(channel="sms")
    assert set(others.values_list("state", flat=True)) <= {"sent", "delivered"}


class KillingSmtp:
    """An SMTP server's handler that accepts the Nth email, then kills the worker before answering 250."""

    def __init__(self, victim: Victim, kill_at: int) -> None:
        self.victim, self.kill_at = victim, kill_at
        self.received: list[tuple[list[str], Any]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        if len(self.received) == self.kill_at:
            self.victim.kill()
        return "250 Message accepted for delivery"


@pytest.fixture
def killing_smtp(victim: Victim, settings: Any) -> Iterator[tuple[KillingSmtp, int]]:
    handler = KillingSmtp(victim, KILL_AT)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MESSAGING_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    yield handler, port
    controller.stop()


def test_worker_killed_mid_email_batch_then_rerun_loses_none_and_repeats_at_most_the_one_in_flight(
    families, shared_database, killing_smtp
):
    """An SMTP server cannot be asked afterwards what it took, so the engine writes each email's attempt row
    right after the server accepts it. A worker killed between the server's acceptance and that row leaves
    one email without it, which the re-run sends again: at most ONE duplicate (the one in flight), never a
    loss, and every email on record before the kill is not sent again.
    """
    smtp, port = killing_smtp
    Guardian.objects.update(channel_order=["email"])
    message = _queued_message(families)
    emails = Delivery.objects.filter(message=message, channel="email").exclude(state="skipped")
    assert emails.count() > KILL_AT

    _run_worker_until_killed(smtp.victim, message, shared_database, {
        "HOMEROOM_MESSAGING_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "EMAIL_USE_TLS": "0",
    })
    assert len(smtp.received) == KILL_AT
    in_flight = smtp.received[-1][0][0]
    # Every email the server answered has its attempt row, the one in flight none; none of the deliveries
    # was recorded yet (that happens in groups), so all of them are still `sending`.
    answered = {tos[0] for tos, _ in smtp.received[:-1]}
    on_record = DeliveryAttempt.objects.filter(delivery__in=emails, outcome="sent")
    assert set(on_record.values_list("delivery__address", flat=True)) == answered
    assert emails.filter(state="sent").count() == 0
    assert emails.get(address=in_flight).state == "sending"

    result = _rerun_after_the_lease(message)

    received = Counter(to for tos, _ in smtp.received for to in tos)
    owed = Counter(emails.values_list("address", flat=True))
    assert set(received) == set(owed)  # none lost
    assert received - owed <= Counter({in_flight: 1})  # at most the one in flight, twice
    assert result.sent == emails.count() - KILL_AT + 1
    assert set(emails.values_list("state", flat=True)) == {"sent"}
    assert on_record.count() == emails.count()  # one attempt row each, the one in flight's written once
    ids_by_address: dict[str, set[str]] = {}
    for tos, email in smtp.received:
        ids_by_address.setdefault(tos[0], set()).add(email["Message-ID"].strip())
    assert all(d.provider_id in ids_by_address[d.address] for d in emails)
