"""District administrators add and copy instruments in Homeroom, with the same validation as shipped files."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from homeroom.surveys.models import Instrument
from tests import factories as f
from tests.surveys.helpers import shipped
from tests.surveys.test_instrument_schema import MINIMAL


def test_a_district_admin_adds_an_instrument(world, client_for):
    page = client_for("admin").post(reverse("surveys:instrument_add"), {"source": json.dumps(MINIMAL)})
    saved = Instrument.objects.get(district=world.district, key="tiny")
    assert page.url == reverse("surveys:instrument", args=[saved.pk])
    assert saved.title == "Tiny" and saved.definition.items[0].points == 2


def test_an_uploaded_file_is_validated_the_same_way(world, client_for):
    bad = dict(MINIMAL, scales={"yesno": [{"en": "Only", "es": "Solo"}]})
    upload = SimpleUploadedFile("tiny.json", json.dumps(bad).encode(), content_type="application/json")
    page = client_for("admin").post(reverse("surveys:instrument_add"), {"upload": upload})
    assert page.status_code == 422
    assert "<code>scales.yesno</code>: expected 2–10 labels" in page.content.decode()
    assert not Instrument.objects.filter(district=world.district).exists()


def test_a_copy_starts_from_the_shipped_file_and_keeps_where_it_came_from(world, client_for):
    original = shipped("family-partnership")
    client = client_for("admin")
    form = client.get(reverse("surveys:instrument_add") + f"?copy={original.pk}").content.decode()
    assert "Family partnership survey" in form
    data = json.loads(original.source)
    data["title"]["en"] = "Riverside family survey"
    client.post(reverse("surveys:instrument_add") + f"?copy={original.pk}", {"source": json.dumps(data)})
    copy = Instrument.objects.get(district=world.district)
    assert copy.copied_from == original and copy.title == "Riverside family survey"
    # Saving the same key and version again is refused with a path.
    again = client.post(reverse("surveys:instrument_add"), {"source": json.dumps(data)})
    assert "<code>version</code>: version 1 of “family-partnership” already exists" in again.content.decode()


def test_another_districts_instrument_is_not_found(world, client_for):
    hillside = f.DistrictFactory(slug="hillside", name="Hillside")
    elsewhere = Instrument.objects.create(district=hillside, key="x", version=1, kind="family", title="Elsewhere",
                                          data=MINIMAL, source=json.dumps(MINIMAL))
    assert client_for("admin").get(reverse("surveys:instrument", args=[elsewhere.pk])).status_code == 404
    assert client_for("admin").get(reverse("surveys:instrument_add") + f"?copy={elsewhere.pk}").status_code == 404


def test_a_principal_reads_instruments_but_does_not_add_them(world, client_for):
    assert client_for("principal").get(reverse("surveys:instruments")).status_code == 200
    assert client_for("principal").post(reverse("surveys:instrument_add"),
                                        {"source": json.dumps(MINIMAL)}).status_code == 403
