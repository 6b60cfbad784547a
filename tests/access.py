"""URL × role rules: what each named actor gets from each URL (walked by tests/test_url_access.py).

Every app keeps its rules in tests/<app>/access_rules.py as `RULES: dict[str, Rule]`, keyed by the
URL's full name ("roster:student", "home"). A key may also be a shell-style pattern ("admin:*",
"account_*") for a third-party group: it applies to every matching URL that has no exact rule,
and any URL arguments it needs are filled with placeholders. List the exceptions exactly.

    RULES = {
        "roster:student": Rule(
            kwargs=lambda w: {"pk": w.sofia.pk},
            expect=expect_all(404, anonymous=302, admin=200, principal=200, teacher=200, ana=403, luis=403, paul=403),
        ),
    }

`expect` must name every actor in tests.actors.ACTORS: the status code that actor's request gets.

A URL whose view reads query parameters (the API's filters, paging and flags) also gets VARIANTS: more
requests to the same URL name, each with its `query`, and `hidden` text that no response may contain:

    VARIANTS = {
        "api:guardians": [Rule(query=lambda w: {"include_inactive": "true"}, hidden=lambda w: ["Ended"], ...)],
    }
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from tests.actors import ACTORS, World

TESTS_DIR = Path(__file__).resolve().parent


def _no_kwargs(world: World) -> dict[str, Any]:
    return {}


@dataclass(kw_only=True)
class Rule:
    expect: dict[str, int]
    kwargs: Callable[[World], dict[str, Any]] = _no_kwargs
    method: str = "get"
    data: Callable[[World], dict[str, Any]] | None = None
    skip_reason: str = ""
    # The view is deliberately exempt from CSRF (a provider's webhook that checks a signature instead).
    csrf_exempt: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # headers for the request, e.g. HTTP_HX_REQUEST
    query: Callable[[World], dict[str, Any]] | None = None  # query parameters added to the URL
    hidden: Callable[[World], list[str]] | None = None  # text no actor's response may contain


STAFF = ("admin", "principal", "teacher", "other_teacher", "case_manager")
FAMILIES = ("ana", "luis", "paul")


def expect_all(status: int, **overrides: int) -> dict[str, int]:
    """Every actor gets `status` except those named: expect_all(403, anonymous=302, admin=200)."""
    unknown = set(overrides) - set(ACTORS)
    if unknown:
        raise ValueError(f"unknown actors: {sorted(unknown)}")
    return {actor: overrides.get(actor, status) for actor in ACTORS}


def staff_only(status: int = 200, *, anonymous: int = 302, families: int = 403, **overrides: int) -> dict[str, int]:
    """Any staff member gets `status`; families are refused (403); anonymous is sent to sign in."""
    base = dict.fromkeys(STAFF, status) | dict.fromkeys(FAMILIES, families) | {"anonymous": anonymous}
    return base | overrides


@dataclass(frozen=True)
class UrlInfo:
    name: str
    route: str
    params: dict[str, str]  # argument name → converter name ("int", "str", "path", "slug", "uuid", "re")
    callback: Any


def _params(pattern: Any) -> dict[str, str]:
    converters = getattr(pattern, "converters", {}) or {}
    names = dict.fromkeys(re.compile(pattern.regex.pattern).groupindex, "re")
    for name, converter in converters.items():
        names[name] = type(converter).__name__.replace("Converter", "").lower()
    return names


def all_urls() -> dict[str, UrlInfo]:
    """Every named URL in the project, with the arguments it needs from the whole include chain."""
    found: dict[str, UrlInfo] = {}

    def walk(resolver: URLResolver, namespace: tuple[str, ...], route: str, params: dict[str, str]) -> None:
        for entry in resolver.url_patterns:
            here_params = params | _params(entry.pattern)
            here_route = route + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = namespace + ((entry.namespace,) if entry.namespace else ())
                walk(entry, inner, here_route, here_params)
            elif isinstance(entry, URLPattern) and entry.name:
                name = ":".join((*namespace, entry.name))
                found.setdefault(name, UrlInfo(name, here_route, here_params, entry.callback))

    walk(get_resolver(), (), "/", {})
    return found


def collect_rules() -> dict[str, Rule]:
    """RULES from every tests/*/access_rules.py; a key defined twice is an error."""
    rules: dict[str, Rule] = {}
    for path in sorted(TESTS_DIR.glob("*/access_rules.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.access_rules")
        for key, rule in getattr(module, "RULES", {}).items():
            if key in rules:
                raise AssertionError(f"{path}: a rule for {key!r} is already defined in another access_rules.py")
            rules[key] = rule
    return rules


def collect_variants() -> dict[str, list[Rule]]:
    """VARIANTS from every tests/*/access_rules.py: more requests (other query parameters) to a named URL."""
    variants: dict[str, list[Rule]] = {}
    for path in sorted(TESTS_DIR.glob("*/access_rules.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.access_rules")
        for key, rules in getattr(module, "VARIANTS", {}).items():
            variants.setdefault(key, []).extend(rules)
    return variants


def is_pattern(key: str) -> bool:
    return any(ch in key for ch in "*?[")


def rule_for(name: str, rules: dict[str, Rule]) -> tuple[str, Rule] | None:
    """The exact rule, else the most specific (longest) matching pattern rule."""
    if name in rules:
        return name, rules[name]
    matches = [key for key in rules if is_pattern(key) and fnmatchcase(name, key)]
    if not matches:
        return None
    key = max(matches, key=len)
    return key, rules[key]


PLACEHOLDERS = {"int": 1, "str": "x", "slug": "x", "path": "1", "uuid": "00000000-0000-0000-0000-000000000000"}


def placeholder_kwargs(info: UrlInfo) -> dict[str, Any]:
    return {name: PLACEHOLDERS.get(kind, "1") for name, kind in info.params.items()}
