"""Provider reality: a Messaging Service sends the texts, calls have their own ceiling, requests overlap, and
an urgent alert goes out ahead of a news send that is already running (the priority-lane drill)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.test import TestCase
from django_tasks import default_task_backend
from django_tasks.base import TASK_MAX_PRIORITY

from homeroom.messaging import services
from homeroom.messaging.engine import dispatch, tasks
from homeroom.messaging.models import Delivery
from homeroom.roster.models import Guardian
from tests import factories as f
from tests.messaging.conftest import FROM, SID, TOKEN
from tests.messaging.helpers import compose
from tests.messaging.standins import POOL_NUMBER, TwilioStandIn

pytestmark = pytest.mark.django_db
SERVICE = "MG" + "1" * 32
LATENCY = 0.2


@pytest.fixture
def school(world: Any) -> Any:
    """Lincoln with 18 more families: 20 texts."""
    for _ in range(18):
        f.StudentGuardianFactory(student=f.StudentFactory(district=world.district, school=world.lincoln))
    return world


class CountingTwilio(TwilioStandIn):
    """Notes the most requests it was answering at once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now_open, self.most_open, self.open_lock = 0, 0, threading.Lock()

    def handle(self, path: str, headers: dict[str, str], raw: str) -> tuple[int, dict[str, Any]]:
        with self.open_lock:
            self.now_open += 1
            self.most_open = max(self.most_open, self.now_open)
        try:
            return super().handle(path, headers, raw)
        finally:
            with self.open_lock:
                self.now_open -= 1


@pytest.fixture
def slow_twilio(settings: Any) -> Any:
    """Twilio 200 ms away, as from a district's server; no ceilings."""
    with CountingTwilio(SID, TOKEN, latency=(LATENCY, LATENCY)) as standin:
        settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM_NUMBER = SID, TOKEN, FROM
        settings.TWILIO_API_BASE = standin.url
        settings.MESSAGING_PHONE_PROVIDER = "twilio"
        settings.MESSAGING_WEBHOOK_BASE_URL = "http://testserver"
        settings.MESSAGING_PHONE_RATE_PER_SECOND = 0
        yield standin


@pytest.fixture
def queued_only(settings: Any) -> Any:
    """Tasks are recorded, not run: the test plays the worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()  # type: ignore[attr-defined]
    return default_task_backend


def _sent(world: Any, category: str = "news") -> Any:
    """Compose and send; the batch tasks are queued as the commit would queue them (and not run)."""
    message = compose(world, category=category)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.message_send(message=message, user=world.user("principal"))
    return message


def test_texts_go_out_from_the_messaging_service_calls_from_the_number(school, twilio, settings, queued_only):
    settings.TWILIO_MESSAGING_SERVICE_SID = SERVICE
    message = _sent(school)
    tasks.batch_run(message.pk, 0)
    forms = twilio.sent()
    assert forms and all(form["MessagingServiceSid"] == SERVICE and "From" not in form for form in forms)
    texts = Delivery.objects.filter(message=message, channel="sms", state="sent")
    assert texts.count() == len(forms)
    # The sender pool picks the number; a lookup after a crash filters on To only.
    assert {item["from"] for item in twilio.created} == {POOL_NUMBER}


def test_texts_and_calls_have_their_own_ceilings(school, twilio, settings, queued_only):
    settings.MESSAGING_PHONE_RATE_PER_SECOND, settings.MESSAGING_PHONE_RATE_BURST = 100, 100
    settings.MESSAGING_CALLS_PER_SECOND, settings.MESSAGING_CALLS_BURST = 1, 2
    for guardian in Guardian.objects.filter(district=school.district):
        guardian.channel_order = ["voice"]
        guardian.home_phone = guardian.home_phone or guardian.mobile_phone
        guardian.save()
    message = _sent(school, category="urgent")
    calls = Delivery.objects.filter(message=message, channel="voice").exclude(state="skipped")
    assert calls.count() > 2
    result = dispatch.deliver_batch(message.pk, 0)
    assert result.channels["voice"] == 2  # the calls' burst, whatever the texts' ceiling
    assert len(twilio.sent("Calls.json")) == 2


def test_requests_overlap_so_latency_does_not_set_the_pace(school, slow_twilio, settings, queued_only):
    settings.MESSAGING_SEND_CONCURRENCY = 10
    message = _sent(school)
    texts = Delivery.objects.filter(message=message, channel="sms").exclude(state="skipped").count()
    assert texts >= 10
    result = dispatch.deliver_batch(message.pk, 0)
    assert result.sent == texts
    assert slow_twilio.most_open >= 5  # one request at a time would take texts × 200 ms
    assert slow_twilio.most_open <= 10  # never more than the setting


def test_an_urgent_alert_is_queued_ahead_of_the_news_batches_waiting(school, settings, queued_only):
    settings.MESSAGING_BATCH_SIZE = 4
    news = _sent(school)
    alert = _sent(school, category="urgent")
    queued = [(r.task.priority, r.args[0]) for r in queued_only.results]
    assert {p for p, m in queued if m == news.pk} == {0}
    assert {p for p, m in queued if m == alert.pk} == {TASK_MAX_PRIORITY}
    # A worker takes the highest priority first (the database backend's order; the front of the queue on RQ).
    first = sorted(range(len(queued)), key=lambda i: (-queued[i][0], i))[0]
    assert queued[first][1] == alert.pk


def test_a_running_news_batch_steps_aside_for_an_urgent_alert(school, twilio, settings, queued_only):
    """The drill at test scale: news is being paced out at the ceiling when an urgent alert is sent; the news
    batch stops after its current pass, asks to run again, and the alert goes out before the rest."""
    settings.MESSAGING_PHONE_RATE_PER_SECOND, settings.MESSAGING_PHONE_RATE_BURST = 20, 4
    settings.MESSAGING_PACE_SECONDS = 30
    settings.MESSAGING_CALLS_PER_SECOND = settings.MESSAGING_CALLS_BURST = 0  # the alert's calls: no ceiling here
    news = _sent(school)
    owed = Delivery.objects.filter(message=news, channel="sms", state="queued").count()
    assert owed > 8
    alert_sent_at: list[float] = []

    def alert_during_news(*args: Any, **kwargs: Any) -> float | None:
        wait = real_pass(*args, **kwargs)
        if not alert_sent_at:  # after the news batch's first pass, staff send the alert
            alert_sent_at.append(time.monotonic())
            _sent(school, category="urgent")
        return wait

    real_pass = dispatch._deliver_pass
    settings_pass = pytest.MonkeyPatch()
    settings_pass.setattr(dispatch, "_deliver_pass", alert_during_news)
    try:
        result = tasks.batch_run(news.pk, 0)
    finally:
        settings_pass.undo()
    assert result.yielded and result.sent == 4  # one pass, then it stepped aside
    still_owed = Delivery.objects.filter(message=news, channel="sms", state="queued")
    assert still_owed.count() == owed - 4 and not still_owed.exclude(not_before=None).exists()
    # The worker's next task is the alert (highest priority), then the news batch it re-queued.
    order = sorted(queued_only.results, key=lambda r: -r.task.priority)
    alert_run, news_rerun = order[0], order[-1]
    assert alert_run.task.priority == TASK_MAX_PRIORITY and news_rerun.args == [news.pk, 0]
    news_requests = len(twilio.requests)
    tasks.batch_run(*alert_run.args)
    alert_requests = twilio.requests[news_requests:]
    assert alert_requests and alert_requests[0]["at"] - alert_sent_at[0] < 5  # the alert starts within 5 s
    assert Delivery.objects.filter(message_id=alert_run.args[0], channel="sms", state="sent").exists()
