"""Name search for staff: posted (names stay out of URLs), scoped, with an htmx fragment."""

from __future__ import annotations

from django.urls import reverse

from tests import factories as f

URL = reverse("roster:search")


def test_search_page_shows_a_post_form(world, client_for):
    html = client_for("teacher").get(URL).content.decode()
    assert 'method="post"' in html
    assert "csrfmiddlewaretoken" in html


def test_search_finds_students_and_guardians_by_name(world, client_for):
    response = client_for("teacher").post(URL, {"q": "garcia"})
    results = response.context["results"]
    assert [s.pk for s in results.students] == [world.sofia.pk]
    assert sorted(g.given_name for g in results.guardians) == ["Ana", "Luis"]


def test_search_matches_every_word_against_the_start_of_a_name(world, client_for):
    results = client_for("teacher").post(URL, {"q": "Ana Gar"}).context["results"]
    assert [g.pk for g in results.guardians] == [world.ana.pk]


def test_search_leaves_out_people_outside_scope(world, client_for):
    results = client_for("teacher").post(URL, {"q": "Walsh"}).context["results"]
    assert results.empty


def test_search_without_javascript_renders_the_whole_page(world, client_for):
    response = client_for("teacher").post(URL, {"q": "Sofia"})
    html = response.content.decode()
    assert "<html" in html
    assert reverse("roster:student", args=[world.sofia.pk]) in html


def test_search_from_htmx_returns_only_the_results_fragment(world, client_for):
    response = client_for("teacher").post(URL, {"q": "Sofia"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert reverse("roster:student", args=[world.sofia.pk]) in html


def test_search_with_one_letter_asks_for_more(world, client_for):
    response = client_for("teacher").post(URL, {"q": "S"})
    assert response.context["results"] is None
    assert "at least 2 characters" in response.content.decode()


def test_search_results_are_capped(world, client_for):
    for _ in range(30):
        f.StudentFactory(district=world.district, school=world.lincoln, family_name="Garcia")
    results = client_for("principal").post(URL, {"q": "Garcia"}).context["results"]
    assert len(results.students) == 25


def test_search_is_refused_to_guardians(world, client_for):
    assert client_for("ana").post(URL, {"q": "Sofia"}).status_code == 403


def test_search_post_requires_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.teacher.user)
    assert client.post(URL, {"q": "Sofia"}).status_code == 403
