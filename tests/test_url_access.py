"""Every URL × every actor: the status code each named actor gets (rules in tests/*/access_rules.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from homeroom.api.views import api
from tests.access import (
    Rule,
    UrlInfo,
    all_urls,
    collect_rules,
    collect_variants,
    is_pattern,
    placeholder_kwargs,
    rule_for,
)
from tests.actors import ACTORS, World, build_world

URLS = all_urls()
RULES = collect_rules()
VARIANTS = collect_variants()

# Django Ninja checks CSRF itself for cookie-authenticated calls, so its views carry csrf_exempt.
CSRF_HANDLED_ELSEWHERE = ("ninja.",)


@pytest.fixture(scope="module")
def shared_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[World, dict[str, str]]]:
    """One world, and one signed-in session per actor, for the whole module; rolled back at the end.

    Each test runs in a savepoint inside this transaction, so what a request changes is undone.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            sessions = {}
            for actor in ACTORS:
                user = world.user(actor)
                if user is not None:
                    client = Client()
                    client.force_login(user)
                    sessions[actor] = client.cookies[settings.SESSION_COOKIE_NAME].value
            yield world, sessions
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _cases() -> list[Any]:
    cases = []
    for name in sorted(URLS):
        found = rule_for(name, RULES)
        if found is None:
            cases.append(pytest.param(name, "-", id=f"{name}-no-rule"))
            continue
        _key, rule = found
        marks = [pytest.mark.skip(reason=rule.skip_reason)] if rule.skip_reason else []
        cases.extend(pytest.param(name, actor, id=f"{name}-{actor}", marks=marks) for actor in ACTORS)
    return cases


def _variant_cases() -> list[Any]:
    return [
        pytest.param(name, index, actor, id=f"{name}?{index}-{actor}")
        for name in sorted(VARIANTS)
        for index in range(len(VARIANTS[name]))
        for actor in ACTORS
    ]


def _url(info: UrlInfo, key: str, rule: Rule, world: World) -> str:
    kwargs = rule.kwargs(world)
    if is_pattern(key):
        kwargs = placeholder_kwargs(info) | kwargs
    return reverse(info.name, kwargs=kwargs or None)


@pytest.mark.parametrize(("url_name", "actor"), _cases())
def test_actor_gets_expected_status(
    url_name: str, actor: str, shared_world: tuple[World, dict[str, str]], db: Any
) -> None:
    world, sessions = shared_world
    found = rule_for(url_name, RULES)
    assert found is not None, (
        f"URL {url_name!r} ({URLS[url_name].route}) has no access rule: add one to tests/<app>/access_rules.py"
    )
    key, rule = found
    assert actor in rule.expect, f"rule {key!r} does not say what {actor!r} gets from {url_name!r}; add it to expect"
    client = Client()
    if actor in sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[actor]
    url = _url(URLS[url_name], key, rule, world)
    _request_as_rule_says(client, url, url_name, actor, key, rule, world)


def _request_as_rule_says(client: Client, url: str, url_name: str, actor: str, key: str, rule: Rule,
                          world: World) -> None:
    data = rule.data(world) if rule.data else None
    if rule.query:
        url += "?" + urlencode(rule.query(world), doseq=True)
    response = getattr(client, rule.method.lower())(url, data=data, **rule.extra)
    assert response.status_code == rule.expect[actor], (
        f"{rule.method.upper()} {url} ({url_name}) as {actor}: got {response.status_code}, "
        f"rule {key!r} expects {rule.expect[actor]}"
    )
    if response.status_code == 403 and not url_name.startswith("api:") and not rule.csrf_exempt:
        # A person refused a page gets the friendly page in their language, never Django's bare 135 bytes.
        assert b'class="card error-page"' in response.content, f"{url} ({url_name}) as {actor}: a bare 403"
    if rule.hidden:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        shown = [text for text in rule.hidden(world) if text.encode() in body]
        assert not shown, f"{rule.method.upper()} {url} ({url_name}) as {actor} shows {shown}"


@pytest.mark.parametrize(("url_name", "index", "actor"), _variant_cases())
def test_actor_gets_expected_status_with_query_parameters(
    url_name: str, index: int, actor: str, shared_world: tuple[World, dict[str, str]], db: Any
) -> None:
    world, sessions = shared_world
    rule = VARIANTS[url_name][index]
    assert actor in rule.expect, f"variant {index} of {url_name!r} does not say what {actor!r} gets"
    client = Client()
    if actor in sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[actor]
    url = reverse(url_name, kwargs=rule.kwargs(world) or None)
    _request_as_rule_says(client, url, url_name, actor, f"{url_name}?{index}", rule, world)


def test_every_variant_names_a_url_that_exists() -> None:
    stale = sorted(set(VARIANTS) - set(URLS))
    assert not stale, f"query-parameter variants for URLs that do not exist: {stale}"


def test_every_api_query_parameter_is_walked(shared_world: tuple[World, dict[str, str]], db: Any) -> None:
    """Each query parameter the API publishes is sent by at least one variant of its URL."""
    world, _sessions = shared_world
    schema = api.get_openapi_schema()
    missing = []
    for name, info in URLS.items():
        if not name.startswith("api:"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", info.route)
        for operation in schema["paths"].get(path, {}).values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                sent = any(rule.query and parameter["name"] in rule.query(world) for rule in VARIANTS.get(name, []))
                if not sent:
                    missing.append(f"{name} ?{parameter['name']}")
    assert not missing, f"API query parameters no access variant sends (add VARIANTS): {missing}"


def test_every_url_has_a_rule() -> None:
    missing = [f"{name} ({URLS[name].route})" for name in sorted(URLS) if rule_for(name, RULES) is None]
    assert not missing, "URLs without an access rule (add them to tests/<app>/access_rules.py):\n" + "\n".join(missing)


def test_every_rule_names_a_url_that_exists() -> None:
    used = {found[0] for name in URLS if (found := rule_for(name, RULES)) is not None}
    stale = [key for key in RULES if key not in used]
    assert not stale, f"access rules for URLs that do not exist (renamed or removed?): {sorted(stale)}"


def test_every_rule_names_every_actor() -> None:
    incomplete = {key: sorted(set(ACTORS) - set(rule.expect)) for key, rule in RULES.items()}
    incomplete = {key: missing for key, missing in incomplete.items() if missing}
    assert not incomplete, f"rules that do not say what these actors get: {incomplete}"


def test_no_view_skips_csrf_unless_its_rule_says_so() -> None:
    surprises = []
    for name, info in URLS.items():
        exempt = bool(getattr(info.callback, "csrf_exempt", False))
        if not exempt or (info.callback.__module__ or "").startswith(CSRF_HANDLED_ELSEWHERE):
            continue
        found = rule_for(name, RULES)
        if found is None or not found[1].csrf_exempt:
            surprises.append(name)
    assert not surprises, f"views exempt from CSRF without Rule(csrf_exempt=True): {sorted(surprises)}"
