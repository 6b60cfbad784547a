"""A family member of a partnership team rates the school's self-assessment in the portal, in their own language:
the team page, the rating page (instrument, scale, buttons), the agreement page and the action plan; Arabic
right to left. Migration 0004 brings the new languages to districts installed before, keeping the ratings."""

from __future__ import annotations

import datetime as dt
import importlib
import json

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from homeroom.programs import teams as programs_teams
from homeroom.surveys import assessments
from homeroom.surveys.models import ActionPlan, Instrument, Team
from tests.programs.helpers import lincoln_team
from tests.surveys.helpers import shipped

MIGRATION = "homeroom.surveys.migrations.0004_shipped_self_assessments_every_language"

PAGES = [
    # code, the instrument's title, "Starting" on its scale, the section "Knowing our families"
    pytest.param("vi", "Bắc nhịp cầu qua những khác biệt về chủng tộc, tầng lớp xã hội và văn hóa", "Mới bắt đầu",
                 "Hiểu biết về các gia đình của chúng ta", id="vi"),
    pytest.param("ar", "مدّ الجسور عبر الفروق العرقية والطبقية والثقافية", "في البداية", "معرفة أسرنا", id="ar"),
]


def _gettext(code: str, msgid: str) -> str:
    with translation.override(code):
        text = translation.gettext(msgid)
    assert text != msgid, f"{msgid!r} has no {code} translation"
    return text


def _speaks(world, code: str) -> None:
    user = world.user("ana")
    user.language = code
    user.save(update_fields=["language"])


@pytest.fixture
def team(world):
    team = Team.objects.create(school=world.lincoln, name="Lincoln partnership team")
    team.staff.add(world.teacher)
    team.guardians.add(world.ana)
    return team


@pytest.fixture
def assessment(team):
    return assessments.assessment_start(team=team, instrument=shipped("bridging-differences"), year=2026)


@pytest.mark.parametrize("code, title, starting, section", PAGES)
def test_a_family_member_rates_the_self_assessment_in_their_language(world, client_for, assessment, code, title,
                                                                      starting, section):
    _speaks(world, code)
    ana = client_for("ana")
    html = f'<html lang="{code}" dir="rtl">' if code == "ar" else f'<html lang="{code}">'

    # The portal's navigation leads to the team; the team page names the self-assessment in their language.
    home = ana.get(reverse("portal:home")).content.decode()
    assert _gettext(code, "My teams") in home and ">My teams<" not in home
    page = ana.get(reverse("surveys:team", args=[assessment.team.pk])).content.decode()
    assert html in page
    assert title in page and "Bridging racial" not in page
    assert _gettext(code, "Members") in page and _gettext(code, "family member") in page

    # The rating page: title, section, item, scale and button in their language, nothing left in English.
    page = ana.get(reverse("surveys:assessment", args=[assessment.pk])).content.decode()
    assert html in page
    item = assessment.instrument.definition.item("know-cultures")
    assert item is not None and item.text[code] in page and item.text["en"] not in page
    assert title in page and section in page and starting in page
    for english in ("Not yet", "Starting", "Growing", "Strong", "Save my ratings", "My ratings",
                    "Team agreement and consensus"):
        assert f">{english}<" not in page and f"> {english}<" not in page, english
    assert _gettext(code, "Save my ratings") in page and _gettext(code, "My ratings") in page

    # Rating: saved, thanked in their language, then the agreement page with the reflection questions.
    saved = ana.post(reverse("surveys:assessment", args=[assessment.pk]), {"know-cultures": "2"}, follow=True)
    body = saved.content.decode()
    assert assessment.ratings.get(user=world.user("ana")).value == 2
    assert html in body
    assert (_gettext(code, "Your ratings are saved (%(count)d items).") % {"count": 1}) in body
    assert _gettext(code, "Team agreement and consensus") in body and _gettext(code, "Reflection") in body
    assert assessment.instrument.definition.reflection[0].text[code] in body
    assert "What are we proud of?" not in body and "Members' ratings" not in body


def test_the_action_plan_a_family_member_reads_is_in_their_language(world, client_for, assessment):
    _speaks(world, "vi")
    items = [item.key for item in assessment.instrument.definition.items]
    assessments.consensus_save(assessment=assessment, data={f"c-{key}": "3" for key in items} | {"c-power-data": "1"})
    plan = assessments.assessment_finish(assessment=assessment)
    body = client_for("ana").get(reverse("surveys:plan", args=[plan.pk])).content.decode()
    assert '<html lang="vi">' in body
    text = assessment.instrument.definition.item("power-data").text["vi"]  # type: ignore[union-attr]
    assert text in body and "We share results by group" not in body
    for msgid in ("needs a plan", "Team rating", "how we will know it worked"):
        assert _gettext("vi", msgid) in body or _gettext("vi", msgid).capitalize() in body, msgid
    assert ActionPlan.objects.filter(pk=plan.pk).exists()


def test_the_portal_team_page_links_a_current_member_to_the_self_assessments(world, client_for):
    _speaks(world, "ar")
    team = lincoln_team(world)
    link = f'href="{reverse("surveys:team", args=[team.assessment_team_id])}"'
    page = client_for("ana").get(reverse("programs:family_team", args=[team.pk])).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert link in page and _gettext("ar", "Self-assessments of this team") in page
    # A family member whose term has ended still sees the team, but no longer rates its self-assessments.
    membership = team.memberships.get(guardian=world.ana)
    membership.term_end = timezone.localdate() - dt.timedelta(days=1)
    membership.save(update_fields=["term_end"])
    programs_teams._sync_assessment_team(team)
    page = client_for("ana").get(reverse("programs:family_team", args=[team.pk])).content.decode()
    assert link not in page


def test_the_upgrade_adds_the_languages_in_place_and_keeps_the_ratings(world, assessment):
    """A district installed before 0004: its self-assessment rows are English and Spanish and a team has rated.
    The data migration updates the same row, so the assessment now reads in Vietnamese, ratings untouched."""
    row = shipped("bridging-differences")
    old = json.loads(json.dumps(row.data))
    old["languages"] = ["en", "es"]

    def strip(node):
        if isinstance(node, dict):
            if "en" in node and all(isinstance(value, str) for value in node.values()):
                for code in [code for code in node if code not in ("en", "es")]:
                    del node[code]
                return
            for value in node.values():
                strip(value)
        elif isinstance(node, list):
            for value in node:
                strip(value)

    strip(old)
    Instrument.objects.filter(pk=row.pk).update(data=old)
    assessments.ratings_save(assessment=assessment, user=world.user("ana"), data={"know-cultures": "2"})
    assessment.refresh_from_db()
    assert assessment.instrument.definition.language_for("vi") is None

    importlib.import_module(MIGRATION).load(apps, None)

    assessment.refresh_from_db()
    assert assessment.instrument.pk == row.pk and assessment.instrument.version == 1
    assert assessment.instrument.definition.language_for("vi") == "vi"
    assert list(assessment.ratings.values_list("item_key", "value")) == [("know-cultures", 2)]
    assert Instrument.objects.filter(district=None, key="bridging-differences").count() == 1
