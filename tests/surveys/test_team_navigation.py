"""Team members find their teams from the navigation; family members see the team page in their language."""

from __future__ import annotations

from django.urls import reverse

from homeroom.surveys.models import Team

TEAMS_LINK = 'href="/surveys/teams/"'


def _lincoln_team(world):
    team = Team.objects.create(school=world.lincoln, name="Lincoln partnership team")
    team.staff.add(world.teacher)
    team.guardians.add(world.ana)
    return team


def test_a_teacher_on_a_team_gets_a_link_to_it_and_others_do_not(world, client_for):
    home = reverse("contacts:my_week")
    assert TEAMS_LINK not in client_for("teacher").get(home).content.decode()
    _lincoln_team(world)
    body = client_for("teacher").get(home).content.decode()
    assert TEAMS_LINK in body and "My teams" in body
    assert TEAMS_LINK not in client_for("other_teacher").get(home).content.decode()


def test_a_family_member_on_a_team_finds_it_in_the_portal_in_spanish(world, client_for):
    portal = reverse("portal:home")
    assert TEAMS_LINK not in client_for("ana").get(portal).content.decode()
    team = _lincoln_team(world)
    ana = client_for("ana")
    body = ana.get(portal).content.decode()
    assert TEAMS_LINK in body and "Mis equipos" in body
    assert TEAMS_LINK not in client_for("paul").get(portal).content.decode()
    page = ana.get(reverse("surveys:team", args=[team.pk])).content.decode()
    assert 'lang="es"' in page and "Miembros" in page and "Mis hijos" in page  # portal nav, in Spanish
