"""Results: response rate, groups, small-cell suppression at 10, charts with their numbers, and CSV."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from homeroom.surveys import services
from homeroom.surveys.models import Response
from homeroom.surveys.results import MIN_GROUP, safe_cell, survey_results
from tests.surveys.helpers import CALLBACK, GOOD_ANSWERS, invitation_of, lincoln_survey


def _responses(survey, count, *, grade="05", language="en", text="Good", rating=4, subgroups=()):
    for _n in range(count):
        Response.objects.create(survey=survey, anonymous=True, source="link", language=language,
                                home_language=language,
                                school=survey.school, grades=[grade], subgroups=list(subgroups),
                                answers={"welcome-greeted": rating, "voice-idea": text},
                                submitted_on="2026-12-01")


def test_nine_responses_are_not_shown_and_the_page_says_so(world, client_for):
    survey = lincoln_survey(world)
    _responses(survey, MIN_GROUP - 1, text="Only nine of us")
    results = survey_results(survey)
    assert results.overall.suppressed and results.overall.items == ()
    assert results.open_text == []
    body = client_for("principal").get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "no group with fewer than 10 responses is shown" in body
    assert "Only nine of us" not in body and "<svg" not in body


def test_ten_responses_are_shown_with_chart_and_numbers(world, client_for):
    survey = lincoln_survey(world)
    _responses(survey, MIN_GROUP, text="We are ten")
    results = survey_results(survey)
    greeted = next(r for r in results.overall.items if r.item.key == "welcome-greeted")
    assert [bar.count for bar in greeted.bars] == [0, 0, 0, 10] and greeted.average == 4
    body = client_for("principal").get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert 'role="img"' in body and "<title id=" in body
    assert "<td>10</td><td>100.0%</td>" in body
    assert "We are ten" in body


def test_each_group_is_suppressed_on_its_own(world):
    survey = lincoln_survey(world)
    _responses(survey, 10, grade="05", language="es", subgroups=["english_learner"])
    _responses(survey, 9, grade="02", language="en")
    results = survey_results(survey)
    groups = {group.label: group for _title, gs in results.breakdowns for group in gs}
    assert not groups["Grade 05"].suppressed and groups["Grade 02"].suppressed
    assert not groups["Spanish"].suppressed and groups["English"].suppressed
    assert not groups["Families of English learners"].suppressed
    assert groups["Grade 02"].items == ()


def test_response_rate_counts_families_sent_a_link(world):
    survey = lincoln_survey(world)
    services.survey_send(survey=survey, user=world.user("principal"), callback=CALLBACK)
    services.response_submit(survey=survey, data=GOOD_ANSWERS, language="es", source="link",
                             invitation=invitation_of(survey, world.sofia))
    results = survey_results(survey)
    assert (results.invited, results.responded, results.response_rate) == (2, 1, 50.0)


def test_csv_neutralises_formulas_and_leaves_out_small_groups(world, client_for):
    survey = lincoln_survey(world)
    _responses(survey, 10, text="=HYPERLINK(\"http://evil.example\")")
    _responses(survey, 3, grade="02", text="+1 call me")
    response = client_for("principal").get(reverse("surveys:results_csv", args=[survey.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    texts = [row[4] for row in rows if row[0] == "text"]
    assert "'=HYPERLINK(\"http://evil.example\")" in texts and "'+1 call me" in texts
    grade_02 = [row for row in rows if row[1] == "Grade 02"]
    assert grade_02 == [["grade", "Grade 02", "fewer than 10", "", "", "", ""]]


def test_safe_cell_covers_every_formula_start():
    assert [safe_cell(v) for v in ("=1", "+1", "-1", "@a", "ok", 5)] == ["'=1", "'+1", "'-1", "'@a", "ok", 5]


def test_a_principal_sees_only_their_schools_surveys(world, client_for):
    survey = services.survey_create(user=world.user("admin"), instrument=lincoln_survey(world).instrument,
                                    school=world.washington, title="Washington survey", anonymous=True)
    assert client_for("principal").get(reverse("surveys:results", args=[survey.pk])).status_code == 404
    assert client_for("admin").get(reverse("surveys:results", args=[survey.pk])).status_code == 200
    listing = client_for("principal").get(reverse("surveys:list")).content.decode()
    assert "Washington survey" not in listing and "Family partnership 2026" in listing


def test_open_answers_in_another_language_are_machine_translated_for_staff(world, client_for, settings):
    from tests.languages.standins import LibreTranslateStandIn

    survey = lincoln_survey(world)
    _responses(survey, 10, language="es", text="Más reuniones por la tarde")
    with LibreTranslateStandIn() as standin:
        settings.MESSAGING_TRANSLATION_PROVIDER, settings.MESSAGING_TRANSLATION_URL = "libretranslate", standin.url
        body = client_for("principal").get(reverse("surveys:results", args=[survey.pk])).content.decode()
        client_for("principal").get(reverse("surveys:results", args=[survey.pk]))
    assert "Más reuniones por la tarde" in body
    assert "Machine translation: [en] Más reuniones por la tarde" in body
    assert standin.texts == ["Más reuniones por la tarde"]  # ten equal answers, two views: translated once


def test_without_a_translator_open_answers_are_shown_as_written(world, client_for):
    survey = lincoln_survey(world)
    _responses(survey, 10, language="es", text="Más reuniones por la tarde")
    body = client_for("principal").get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "Más reuniones por la tarde" in body and "Machine translation" not in body
