"""The public school and district pages: built from Homeroom's data, no private data, cacheable, no session."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homeroom.portal.models import SectionNote
from homeroom.reach import refresh
from homeroom.schoolcalendar.models import Closure
from homeroom.surveys.models import ActionItem, ActionPlan
from homeroom.website import slugs
from homeroom.website.models import (
    Announcement,
    CommunityResource,
    PublicationSettings,
    PublicFile,
    ResourceCategory,
)
from tests import factories as f
from tests.actors import World

pytestmark = pytest.mark.django_db

ALL_LANGUAGES = [code for code, _name in settings.LANGUAGES]


def school_url(w: World, school: Any) -> str:
    return reverse("website:school", args=[w.district.slug, slugs.slug_of(school, slugs.public_schools(w.district))])


def seed(w: World) -> None:
    """Content in every source, some of it private, beside the named world's students and guardians."""
    today = timezone.localdate()
    SectionNote.objects.create(section=w.section_5a, author=w.teacher, week_of=today, public=True,
                               body="Fractions and the water cycle.")
    SectionNote.objects.create(section=w.section_5a, author=w.teacher, week_of=today,
                               body="Sofia Garcia needs her reading log signed.")  # not shared publicly
    plan = ActionPlan.objects.create(school=w.lincoln, year=today.year)
    ActionItem.objects.create(plan=plan, item_key="welcome", rating=1, owner="Ana Garcia",
                              action="Greeters at the door in three languages",
                              due=today + dt.timedelta(days=30), measure="Families say they felt welcome")
    Announcement.objects.create(district=w.district, school=w.lincoln, starts_on=today + dt.timedelta(days=5),
                                time="6 p.m.", place="Cafeteria",
                                titles={"en": "Family math night", "es": "Noche familiar de matemáticas"})
    Closure.objects.create(district=w.district, start_date=today + dt.timedelta(days=10),
                           end_date=today + dt.timedelta(days=10), reason="Professional day")
    CommunityResource.objects.create(district=w.district, category=ResourceCategory.COMPUTER_ACCESS,
                                     name="Riverside Public Library", address="12 Main St", hours="Mon–Sat 9–8",
                                     languages=["en", "es"], descriptions={"en": "Free computers and Wi-Fi."})
    PublicationSettings.objects.create(district=w.district, office_phone="+1 203 555 0100",
                                       reach_figures=["overall", "language", "grade"])
    refresh.refresh()


def private_names(w: World) -> list[str]:
    from homeroom.roster.models import Guardian, Student

    names = []
    for person in [*Student.objects.all(), *Guardian.objects.all()]:
        names += [person.given_name, person.family_name]
    return sorted(set(names))


def test_every_page_in_every_language_shows_no_student_or_guardian_name(world: World) -> None:
    seed(world)
    client = Client()
    pages = [reverse("website:district", args=[world.district.slug]),
             reverse("website:community", args=[world.district.slug])]
    pages += [school_url(world, school) for school in slugs.public_schools(world.district)]
    assert len(pages) == 4
    names = private_names(world)
    assert "Sofia" in names and "Garcia" in names and "Walsh" in names
    for url in pages:
        for language in ALL_LANGUAGES:
            response = client.get(url, {"lang": language})
            assert response.status_code == 200, (url, language)
            html = response.content.decode()
            assert f'<html lang="{language}"' in html
            for name in names:
                assert name not in html, (url, language, name)


def test_school_page_is_built_from_homeroom_data(world: World) -> None:
    seed(world)
    html = Client().get(school_url(world, world.lincoln), {"lang": "en"}).content.decode()
    assert "Fractions and the water cycle." in html  # the teacher's shared note
    assert "reading log" not in html  # the unshared one
    assert "Greeters at the door in three languages" in html  # the action plan
    assert "Family math night" in html and "Cafeteria" in html
    assert "No school" in html and "Professional day" in html
    assert "Riverside Public Library" in html and "12 Main St" in html
    assert "+1 203 555 0100" in html
    assert "Fewer than 10 families: not shown" in html  # three families: suppressed
    spanish = Client().get(school_url(world, world.lincoln), {"lang": "es"}).content.decode()
    assert "Noche familiar de matemáticas" in spanish
    assert "Próximas actividades y eventos" in spanish


def test_reach_figures_show_only_what_the_district_publishes_and_only_for_ten_families(world: World) -> None:
    for index in range(12):
        f.StudentFactory(district=world.district, school=world.washington, grade="07", home_language="es",
                         given_name=f"Kid{index}", family_name="Test")
    PublicationSettings.objects.create(district=world.district, reach_figures=["grade"])
    refresh.refresh()
    html = Client().get(school_url(world, world.washington), {"lang": "en"}).content.decode()
    assert "Grade 7" in html and "<td>13</td>" in html  # Liam and twelve more
    assert "By home language" not in html


def test_public_page_is_cacheable_and_never_opens_the_session(world: World) -> None:
    seed(world)
    client = Client()
    client.force_login(world.admin.user)  # a signed-in reader gets the same public page
    url = school_url(world, world.lincoln)
    response = client.get(url, {"lang": "es"})
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "no-store" not in response["Cache-Control"] and "private" not in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies
    assert response["Content-Language"] == "es"
    again = client.get(url, {"lang": "es"}, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_language_comes_from_the_link_then_the_browser_among_the_district_languages(world: World) -> None:
    world.district.family_languages = ["en", "es", "pt-br"]
    world.district.save()
    url = reverse("website:district", args=[world.district.slug])
    assert Client().get(url, HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9")["Content-Language"] == "pt-br"
    assert Client().get(url, {"lang": "es"}, HTTP_ACCEPT_LANGUAGE="pt-BR")["Content-Language"] == "es"
    # Polish is not one of this district's languages: the district's fallback (English)
    assert Client().get(url, {"lang": "pl"})["Content-Language"] == "en"
    html = Client().get(url).content.decode()
    assert 'hreflang="pt-br"' in html and 'hreflang="pl"' not in html


def test_unknown_district_or_school_is_404(world: World) -> None:
    assert Client().get(reverse("website:district", args=["nowhere"])).status_code == 404
    assert Client().get(reverse("website:school", args=[world.district.slug, "nowhere"])).status_code == 404


def test_two_schools_with_one_name_get_different_slugs(world: World) -> None:
    twin = f.SchoolFactory(district=world.district, name="Lincoln Elementary", sourced_id="sch-lincoln-2",
                           identifier="LE2")
    found = slugs.school_slugs(slugs.public_schools(world.district))
    assert {school.pk for school in found.values()} >= {world.lincoln.pk, twin.pk}
    assert "lincoln-elementary-le2" in found


def test_a_handbook_is_linked_in_the_readers_language_and_served_publicly(world: World) -> None:
    from tests.website.helpers import public_file

    english = public_file(world)
    spanish = PublicFile(district=world.district, kind="handbook", key="handbook", language="es", title="Manual")
    spanish.file.save("manual.pdf", ContentFile(b"%PDF-1.4 manual"), save=True)
    page = Client().get(reverse("website:district", args=[world.district.slug]), {"lang": "es"}).content.decode()
    assert reverse("website:file", args=[world.district.slug, spanish.pk]) in page
    assert reverse("website:file", args=[world.district.slug, english.pk]) not in page
    polish = Client().get(reverse("website:district", args=[world.district.slug]), {"lang": "pl"}).content.decode()
    assert reverse("website:file", args=[world.district.slug, english.pk]) in polish  # the district's language
    response = Client().get(reverse("website:file", args=[world.district.slug, spanish.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 manual"
    assert "public" in response["Cache-Control"]


def test_the_shipped_guidance_reads_in_the_readers_language(world: World) -> None:
    url = reverse("website:district", args=[world.district.slug])
    polish = Client().get(url, {"lang": "pl"}).content.decode()
    assert "SRBI (interwencje oparte na badaniach naukowych)" in polish
    assert "Centrum Wsparcia Rodziców w Connecticut (CPAC)" in polish
    chinese = Client().get(url, {"lang": "zh-hans"}).content.decode()
    assert "学生遇到困难时怎么办" in chinese


def test_the_school_page_costs_the_same_queries_whatever_the_schools_size(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seed(world)
    url = school_url(world, world.lincoln)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(url, {"lang": "es"}).status_code == 200
        return len(queries)

    small = count()
    for index in range(40):
        student = f.StudentFactory(district=world.district, school=world.lincoln, grade="05",
                                   given_name=f"Kid{index}", family_name="Test")
        f.EnrollmentFactory(section=world.section_5a, student=student)
    refresh.refresh()
    assert count() == small
    assert small <= 30


def test_partnership_events_open_to_the_public_are_on_the_school_and_district_pages(world: World) -> None:
    from tests.programs.helpers import lincoln_event

    lincoln_event(world, title="Family math night", days=3)
    lincoln_event(world, title="Team-only training", days=4, public=False)
    page = Client().get(school_url(world, world.lincoln)).content.decode()
    assert "Family math night" in page and "Lincoln gym" in page
    assert "Team-only training" not in page
    district = Client().get(reverse("website:district", args=[world.district.slug])).content.decode()
    assert "Family math night" not in district  # a school's event stays on its school's page
