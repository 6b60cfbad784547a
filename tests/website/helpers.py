"""Rows of the district's public content for the website tests, in the named world's district or another."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile

from homeroom.website.models import Announcement, CommunityResource, PublicFile, ResourceCategory
from tests import factories as f
from tests.actors import World


def other_district() -> Any:
    return f.DistrictFactory(name="Hillside Schools", slug="hillside")


def resource(w: World, *, district: Any = None, name: str = "Riverside Library") -> CommunityResource:
    row, _created = CommunityResource.objects.get_or_create(
        district=district or w.district, name=name,
        defaults={"category": ResourceCategory.COMPUTER_ACCESS, "languages": ["en", "es"]})
    return row


def announcement(w: World, *, district: Any = None) -> Announcement:
    return Announcement.objects.create(district=district or w.district, starts_on=dt.date(2026, 12, 20),
                                       titles={"en": "Winter concert"})


def public_file(w: World, *, district: Any = None) -> PublicFile:
    row = PublicFile(district=district or w.district, kind="handbook", key="handbook", language="en",
                     title="Family handbook")
    row.file.save("handbook.pdf", ContentFile(b"%PDF-1.4 handbook"), save=True)
    return row
