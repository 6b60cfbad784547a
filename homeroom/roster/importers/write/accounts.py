"""Sign-in accounts for imported staff and guardians, and the households they belong to."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from homeroom.core.models import User
from homeroom.roster import models as m
from homeroom.roster.importers.problems import ImportReport
from homeroom.roster.importers.records import Export, UserRecord
from homeroom.roster.importers.write.sql import insert_rows
from homeroom.roster.importers.write.upsert import BATCH, Incoming, Upserted, chunks, upsert

USERNAME_LENGTH = 150


def _username(email: str) -> str:
    """The unique username Django's user table still needs (150 characters); people sign in by email.

    A longer address gets a digest instead of a cut: two cut addresses could collide.
    """
    if len(email) <= USERNAME_LENGTH:
        return email
    return "email-sha256:" + hashlib.sha256(email.encode()).hexdigest()


def _unusable_password() -> str:
    # What make_password(None) stores, minus its per-character random choice (slow for 100,000 rows).
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def write_households(export: Export, district_id: int, people: list[UserRecord], report: ImportReport) -> Upserted:
    incoming: dict[str, Incoming] = {}
    for person in people:
        if person.household_id and person.household_id not in incoming:
            incoming[person.household_id] = Incoming({"name": person.family_name})
    return upsert(m.Household, district_id, incoming, ["name"], report, "households", delta=True,
                  deactivate_missing=False)


def write_users(people: list[UserRecord], languages: dict[str, str], report: ImportReport) -> dict[str, int]:
    """A User (no usable password: they sign in by emailed code) for every active person with an email.

    Returns {lowercased email: user id}. `languages` maps emails to the language a guardian asked for.
    """
    counts = report.counts("users")
    wanted: dict[str, UserRecord] = {}
    for person in people:
        if person.active and person.email:
            wanted.setdefault(person.email.lower(), person)
    existing: dict[str, tuple[int, str]] = {}
    for pk, email, language in User.objects.values_list("pk", "email", "language").iterator(chunk_size=BATCH):
        existing[email.lower()] = (pk, language)
    ids: dict[str, int] = {}
    to_create: list[dict[str, object]] = []
    to_update: list[User] = []
    for email, person in wanted.items():
        language = languages.get(email, "")
        found = existing.get(email)
        if found is None:
            to_create.append({"email": email, "username": _username(email), "first_name": person.given_name[:150],
                              "last_name": person.family_name[:150], "language": language,
                              "password": _unusable_password()})
            counts["created"] += 1
        elif language and language != found[1]:
            to_update.append(User(pk=found[0], language=language))
            ids[email] = found[0]
            counts["updated"] += 1
        else:
            ids[email] = found[0]
            counts["unchanged"] += 1
    insert_rows(User, to_create)
    if to_create:
        for pk, email in User.objects.values_list("pk", "email").iterator(chunk_size=BATCH):
            if email in wanted and email not in ids:
                ids[email] = pk
    for batch in chunks(to_update, 500):
        User.objects.bulk_update(batch, ["language"])
    return ids
