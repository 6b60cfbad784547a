"""FERPA: every URL that shows student data writes the access log, in one statement however many students.

The walk reuses the URL harness (tests/access.py and every app's access_rules.py): each URL, as each signed-in
actor whose rule says the page opens (200), in a world where every page has something to show. Whatever
student a response names (in HTML, CSV, XLSX or JSON) must have an access row written by that very request;
so must the downloads that carry a student's record without naming them (a family's document).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homeroom.core.models import AccessLog
from tests import factories as f
from tests.access import Rule, UrlInfo, all_urls, collect_rules, is_pattern, placeholder_kwargs, rule_for
from tests.actors import ACTORS, World, build_world
from tests.contacts.helpers import log_contact

URLS = all_urls()
RULES = collect_rules()
SIGNED_IN = [actor for actor in ACTORS if actor != "anonymous"]

# Pages that show student names without being a read of student records, and why.
NOT_A_RECORD_READ = {
    "access_log": "the FERPA log itself: reading who looked is not looking again",
}
# How to make a page show its students, where its access rule alone would show an empty form.
SHOWING_DATA: dict[str, dict[str, Any]] = {
    "roster:search": {"method": "post", "data": {"q": "ga"}},
}
# Reads that must be logged although the response need not print a name (files, JSON about one student).
READS_WITHOUT_NAMES = {"portal:document_download", "api:guardians", "api:student"}
# The pages issue #11 found silent: each must be found showing students in the walk, and logged.
FOUND_SILENT = {
    "contacts:monthly_log", "contacts:monthly_log_csv", "contacts:monthly_log_xlsx", "api:students",
    "contacts:my_students", "roster:search", "roster:guardian", "roster:household", "portal:document_download",
}


def _populate(world: World) -> None:
    """Something for every page to show: contacts this month with follow-ups, and a household."""
    today = timezone.localdate()
    log_contact(world.teacher, students=[world.sofia, world.mateo], guardians=[world.ana], when=timezone.now(),
                follow_up_on=today)
    log_contact(world.other_teacher, students=[world.liam], guardians=[world.paul], when=timezone.now(),
                follow_up_on=today)
    log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa], when=timezone.now(),
                follow_up_on=today)
    log_contact(world.admin, students=[world.sofia, world.liam], guardians=[world.ana, world.paul],
                when=timezone.now(), follow_up_on=today)
    household = f.HouseholdFactory(district=world.district, name="Garcia")
    world.sofia.household = household
    world.sofia.save(update_fields=["household"])
    world.ana.household = household
    world.ana.save(update_fields=["household"])


@pytest.fixture(scope="module")
def shared_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[World, dict[str, str]]]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            _populate(world)
            sessions = {}
            for actor in SIGNED_IN:
                client = Client()
                client.force_login(world.user(actor))
                sessions[actor] = client.cookies[settings.SESSION_COOKIE_NAME].value
            yield world, sessions
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _cases() -> list[Any]:
    cases = []
    for name in sorted(URLS):
        found = rule_for(name, RULES)
        if found is None or found[1].skip_reason or name in NOT_A_RECORD_READ:
            continue
        rule = found[1]
        for actor in SIGNED_IN:
            opens = rule.expect.get(actor) == 200 or (name in SHOWING_DATA and rule.expect.get(actor) == 200)
            if opens:
                cases.append(pytest.param(name, actor, id=f"{name}-{actor}"))
    return cases


def _url(info: UrlInfo, key: str, rule: Rule, world: World) -> str:
    kwargs = rule.kwargs(world)
    if is_pattern(key):
        kwargs = placeholder_kwargs(info) | kwargs
    return reverse(info.name, kwargs=kwargs or None)


def _body_text(response: Any) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw[:2] == b"PK":  # an XLSX workbook: its text is in the zipped XML parts
        with zipfile.ZipFile(io.BytesIO(raw)) as workbook:
            return " ".join(workbook.read(part).decode("utf-8", "replace") for part in workbook.namelist()
                            if part.endswith(".xml"))
    return raw.decode("utf-8", "replace")


def _named(world: World, text: str) -> set[int]:
    """The world's students a response names: "Sofia Garcia" in a page or file, or given and family name in JSON."""
    students = (world.sofia, world.mateo, world.liam)
    named = {s.pk for s in students if str(s) in text}
    try:
        found = json.loads(text)
    except ValueError:
        return named
    stack = [found]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            named |= {s.pk for s in students
                      if (item.get("given_name"), item.get("family_name")) == (s.given_name, s.family_name)}
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return named


def _walk(name: str, actor: str, world: World, sessions: dict[str, str]) -> tuple[Any, str, list[AccessLog]]:
    key, rule = rule_for(name, RULES)  # type: ignore[misc]
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = sessions[actor]
    url = _url(URLS[name], key, rule, world)
    override = SHOWING_DATA.get(name, {})
    method = override.get("method", rule.method)
    data = override.get("data", rule.data(world) if rule.data else None)
    before = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = getattr(client, method)(url, data=data, **rule.extra)
    text = _body_text(response)
    rows = list(AccessLog.objects.filter(pk__gt=before))
    return response, text, rows


WALK = _cases()


@pytest.mark.parametrize(("url_name", "actor"), WALK)
def test_every_page_showing_students_logs_each_of_them(url_name, actor, shared_world, db):
    world, sessions = shared_world
    response, text, rows = _walk(url_name, actor, world, sessions)
    if response.status_code != 200:
        return  # the access rules test owns status codes; only pages that open can show anything
    named = _named(world, text)
    logged = {row.student_id for row in rows if row.user_id == world.user(actor).pk}
    missing = named - logged
    assert not missing, (
        f"{url_name} as {actor} shows student(s) {sorted(missing)} without writing the access log "
        f"(logged: {sorted(logged)})"
    )
    if url_name in READS_WITHOUT_NAMES:
        assert logged, f"{url_name} as {actor} reads a student's record without writing the access log"


def test_the_walk_finds_every_page_issue_11_found_silent(shared_world, db):
    """Guards the walk itself: if a page stopped showing data in this world, the test above would pass idly."""
    world, sessions = shared_world
    showing: set[str] = set()
    for name, actor in (param.values for param in WALK):
        if name not in FOUND_SILENT or name in showing:
            continue
        response, text, rows = _walk(name, actor, world, sessions)
        if response.status_code == 200 and (_named(world, text) or name in READS_WITHOUT_NAMES) and rows:
            showing.add(name)
    assert showing == FOUND_SILENT, f"not found showing and logging students: {sorted(FOUND_SILENT - showing)}"
