"""Every page a person opens with GET, and who opens it: derived from the URL access rules (tests/*/access_rules.py).

Each URL name is visited once, by the first actor in ROLE_ORDER whose rule says 200, so a page is seen with the
data the rules were written for. Partials (an htmx header), rules that are skipped and POST-only URLs are left out;
what is not a page (CSV, XLSX, JSON, calendar files, attachments) is recognised by its content type at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from tests.access import Rule, all_urls, collect_rules, rule_for
from tests.actors import World

# Teachers first: the role that meets most pages on a phone; families and signed-out visitors last.
ROLE_ORDER = ("teacher", "case_manager", "principal", "admin", "ana", "anonymous")
HTML = "text/html"


@dataclass(frozen=True)
class PageVisit:
    name: str
    actor: str
    rule: Rule

    def url(self, world: World) -> str:
        address = reverse(self.name, kwargs=self.rule.kwargs(world))
        query = {}
        for part in (self.rule.data, self.rule.query):  # a GET rule's data is its query string, as in the client
            if part is not None:
                query |= part(world)
        if query:
            address += "?" + urlencode(query, doseq=True)
        return address


def page_visits() -> list[PageVisit]:
    rules = collect_rules()
    visits = []
    for name in sorted(all_urls()):
        found = rule_for(name, rules)
        if found is None:
            continue  # tests/test_url_access.py fails on it already
        _key, rule = found
        if rule.method != "get" or rule.skip_reason or rule.extra:
            continue
        actor = next((a for a in ROLE_ORDER if rule.expect.get(a) == 200), None)
        if actor is not None:
            visits.append(PageVisit(name, actor, rule))
    return visits


def visits_by_actor() -> dict[str, list[PageVisit]]:
    grouped: dict[str, list[PageVisit]] = {}
    for visit in page_visits():
        grouped.setdefault(visit.actor, []).append(visit)
    return grouped


def is_page(response: Any) -> bool:
    """A page, not a download: HTML, and not sent as an attachment."""
    headers = response.headers
    return headers.get("content-type", "").startswith(HTML) and "attachment" not in headers.get(
        "content-disposition", "")
