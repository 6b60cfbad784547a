"""No student or family names in URLs or log lines: links carry integer keys, searches are POSTs.

Scans the URL patterns of the whole project, and the links, form actions and GET forms of the pages that
list students (contacts, monthly log, family timeline, roster, saved lists, the API), as the staff who see
them, for the names of the students and families in the world; and checks that nothing they log names them.
"""

from __future__ import annotations

import logging
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.access import all_urls
from tests.contacts.helpers import log_contact

# Routes that take text rather than an integer key, and why that text can never be a person's name.
TEXT_ARGUMENTS_ALLOWED = {
    "messaging:review": {"language"},  # a language tag of the message's content
    "messaging:email_tracking": {"esp"},  # the email provider's name
    "messaging:email_inbound": {"esp"},
    "messaging:family_file": {"token"},  # a signed (message id, file position) pair; names no one
    "account_confirm_email": {"key"},  # allauth's signed keys
    "account_reset_password_from_key": {"uidb36", "key"},
    "meetings:letter_template_edit": {"kind", "language"},  # a letter kind's code and a language tag
    "meetings:family_request": {"kind"},  # the request kind's code (referral, interim PPT)
    "meetings:conference_link": {"token"},  # a signed booking token (a student's key, never a name)
    "meetings:conference_link_ics": {"token"},
    "surveys:answer": {"token"},  # a signed invitation token
    "surveys:public": {"token"},  # a survey's signed public token
    "programs:rsvp_link": {"token"},  # a signed RSVP token (an event's and a guardian's keys, never a name)
    "programs:rsvp_link_ics": {"token"},
    # Public pages: the district's slug and a slug of a school's name (website.slugs), never a person.
    "website:district": {"district_slug"},
    "website:community": {"district_slug"},
    "website:school": {"district_slug", "school_slug"},
    "website:file": {"district_slug"},
    "portal:content_edit": {"kind", "key"},  # a guidance kind and a glossary or guide entry's shipped key
    "portal:content_restore": {"kind", "key"},
}
URL_ATTRIBUTES = {"href", "action", "src", "hx-get", "hx-post", "formaction"}
# GET-form inputs that cannot carry a typed name.
SAFE_GET_INPUTS = {"number", "date", "month", "hidden", "submit", "checkbox", "radio", "button"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.get_form_inputs: list[dict[str, str]] = []
        self._in_get_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.urls.extend(value for name, value in values.items() if name in URL_ATTRIBUTES)
        if tag == "form":
            self._in_get_form = values.get("method", "get").lower() == "get"
        elif tag in ("input", "textarea") and self._in_get_form:
            self.get_form_inputs.append({"tag": tag, **values})

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_get_form = False


def _names(world) -> list[str]:
    people = [world.sofia, world.mateo, world.liam, world.ana, world.luis, world.rosa, world.paul]
    return sorted({name.lower() for p in people for name in (p.given_name, p.family_name)})


@pytest.fixture
def busy_world(world):
    """Contacts with follow-ups this month, a household and a saved list: every touched page has rows."""
    today = timezone.localdate()
    log_contact(world.teacher, students=[world.sofia, world.mateo], guardians=[world.ana], when=timezone.now(),
                follow_up_on=today)
    log_contact(world.admin, students=[world.sofia, world.liam], guardians=[world.ana, world.paul],
                when=timezone.now(), follow_up_on=today)
    household = f.HouseholdFactory(district=world.district, name="Garcia")
    for record in (world.sofia, world.ana):
        record.household = household
        record.save(update_fields=["household"])
    from homeroom.messaging.compose.saved_lists import saved_list_create

    world.saved_list = saved_list_create(owner_id=world.teacher.pk, name="5A families",
                                         students=[world.sofia, world.mateo])
    return world


def _touched_pages(w) -> list[tuple[str, str, dict]]:
    """(actor, url, POST data or None) for every page this hardening changed."""
    from homeroom.contacts.models import ContactLog

    contact = ContactLog.objects.filter(staff=w.admin).get()
    return [
        (actor, url, None)
        for actor in ("teacher", "principal", "admin")
        for url in (
            reverse("contacts:my_students"), reverse("contacts:my_week"), reverse("contacts:monthly_log"),
            reverse("contacts:monthly_log") + f"?section={w.section_5a.pk}",
            reverse("contacts:detail", args=[contact.pk]),
            reverse("contacts:family_timeline", args=[w.ana.pk]),
            reverse("contacts:log_create") + f"?student={w.sofia.pk}",
            reverse("roster:dashboard"), reverse("roster:guardian", args=[w.ana.pk]),
            reverse("roster:household", args=[w.sofia.household_id]),
            reverse("roster:student", args=[w.sofia.pk]),
            reverse("messaging:saved_list_create"),
            reverse("api:students"),
        )
    ] + [
        ("teacher", reverse("messaging:saved_list_edit", args=[w.saved_list.pk]), None),
        ("teacher", reverse("roster:search"), {"q": "Garcia"}),
        ("teacher", reverse("messaging:saved_list_create"), {"q": "Garcia", "action": "filter"}),
    ]


def test_no_url_pattern_takes_text_where_a_name_could_go():
    offenders = []
    for name, info in all_urls().items():
        if name.startswith("admin:") or name.startswith("mfa_"):
            continue  # Django's admin and allauth's two-factor pages, none about students or families
        text = {arg for arg, kind in info.params.items() if kind not in ("int", "uuid")}
        allowed = TEXT_ARGUMENTS_ALLOWED.get(name, set())
        if text - allowed:
            offenders.append(f"{name} {info.route} ({sorted(text - allowed)})")
    assert not offenders, "URLs that take text (use an integer key instead): " + "; ".join(offenders)


def test_links_and_get_forms_of_the_touched_pages_carry_no_names(busy_world, client_for):
    names = _names(busy_world)
    problems = []
    for actor, url, data in _touched_pages(busy_world):
        client = client_for(actor)
        response = client.post(url, data) if data is not None else client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for link in parser.urls:
            parts = urlsplit(link)
            text = (parts.path + " " + " ".join(v for _k, v in parse_qsl(parts.query))).lower()
            problems += [f"{url} as {actor}: link {link} holds {n!r}" for n in names if n in text]
            problems += [f"{url} as {actor}: link {link} has a non-numeric value"
                         for k, v in parse_qsl(parts.query) if k not in ("month", "through", "group") and
                         not v.isdigit()]
        for field in parser.get_form_inputs:
            if field["tag"] == "textarea" or field.get("type", "text") not in SAFE_GET_INPUTS:
                problems.append(f"{url} as {actor}: a GET form has a free-text field {field.get('name')!r}")
    assert not problems, "\n".join(problems)


def test_name_searches_are_posted_and_a_get_query_searches_nothing(busy_world, client_for):
    client = client_for("teacher")
    page = client.get(reverse("roster:search")).content.decode()
    assert 'method="post"' in page
    by_get = client.get(reverse("roster:search"), {"q": "Garcia"}).content.decode()
    assert "Sofia Garcia" not in by_get
    assert "Sofia Garcia" in client.post(reverse("roster:search"), {"q": "Garcia"}).content.decode()


def test_nothing_the_touched_pages_log_names_a_student_or_family(busy_world, client_for, caplog):
    names = _names(busy_world)
    with caplog.at_level(logging.DEBUG):
        for actor, url, data in _touched_pages(busy_world):
            client = client_for(actor)
            client.post(url, data) if data is not None else client.get(url)
        client_for("teacher").get(reverse("roster:search") + "?q=Sofia+Garcia")
    logged = " ".join(record.getMessage() for record in caplog.records).lower()
    assert not [n for n in names if n in logged]
