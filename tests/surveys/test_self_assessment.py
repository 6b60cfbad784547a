"""A school team rates, sees where it agrees, agrees a consensus, reflects, and ends with an action plan."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homeroom.surveys import assessments
from homeroom.surveys.models import ActionItem, ActionPlan, Team
from tests import factories as f
from tests.surveys.helpers import shipped


@pytest.fixture
def team(world):
    team = Team.objects.create(school=world.lincoln, name="Lincoln partnership team")
    team.staff.add(world.teacher, world.principal)
    team.guardians.add(world.ana)
    return team


@pytest.fixture
def assessment(team):
    return assessments.assessment_start(team=team, instrument=shipped("bridging-differences"), year=2026)


def _rate(client, assessment, **values):
    return client.post(reverse("surveys:assessment", args=[assessment.pk]),
                       {key.replace("_", "-"): str(v) for key, v in values.items()})


def test_members_rate_and_the_team_sees_agreement_and_disagreement(world, client_for, assessment):
    _rate(client_for("teacher"), assessment, know_cultures=1, welcome_language=3)
    _rate(client_for("ana"), assessment, know_cultures=2, welcome_language=1)
    _rate(client_for("principal"), assessment, know_cultures=1, welcome_language=4)
    rows = {row.item.key: row for row in assessments.agreement(assessment, "en")}
    assert rows["know-cultures"].counts == (2, 1, 0, 0) and rows["know-cultures"].agreed
    assert rows["welcome-language"].counts == (1, 0, 1, 1) and not rows["welcome-language"].agreed
    assert rows["power-data"].raters == 0
    page = client_for("ana").get(reverse("surveys:consensus", args=[assessment.pk])).content.decode()
    assert "Los miembros no están de acuerdo: conversen" in page  # Ana reads it in Spanish


def test_a_member_rating_again_replaces_their_own_ratings_only(world, client_for, assessment):
    _rate(client_for("teacher"), assessment, know_cultures=1)
    _rate(client_for("ana"), assessment, know_cultures=4)
    _rate(client_for("teacher"), assessment, know_cultures=3)
    assert sorted(assessment.ratings.values_list("value", flat=True)) == [3, 4]


def test_someone_outside_the_team_cannot_rate(world, client_for, assessment):
    assert _rate(client_for("case_manager"), assessment, know_cultures=1).status_code == 404
    # The district admin may see the school's assessment but is not a member, so does not rate.
    assert _rate(client_for("admin"), assessment, know_cultures=1).status_code == 403
    assert not assessment.ratings.exists()


def test_finishing_needs_a_consensus_on_every_item(world, client_for, assessment):
    client = client_for("teacher")
    client.post(reverse("surveys:consensus", args=[assessment.pk]), {"c-know-cultures": "1", "finish": "1"})
    assert not ActionPlan.objects.exists()
    assert assessment.consensus.get().value == 1  # what was agreed is kept


def test_consensus_and_reflections_become_a_plan_of_the_low_items(world, client_for, assessment):
    items = [item.key for item in assessment.instrument.definition.items]
    consensus = {f"c-{key}": "3" for key in items} | {"c-know-cultures": "1", "c-power-data": "2",
                                                      "n-power-data": "We never share results by group",
                                                      "r-proud": "Our interpreters", "finish": "1"}
    page = client_for("teacher").post(reverse("surveys:consensus", args=[assessment.pk]), consensus)
    plan = ActionPlan.objects.get(school=world.lincoln, year=2026)
    assert page.url == reverse("surveys:plan", args=[plan.pk])
    assert sorted(plan.items.values_list("item_key", "rating")) == [("know-cultures", 1), ("power-data", 2)]
    assert assessment.reflections.get(key="proud").text == "Our interpreters"
    assessment.refresh_from_db()
    assert assessment.finished_at is not None


def test_each_plan_item_gets_an_owner_date_and_measure(world, client_for, assessment):
    for item in assessment.instrument.definition.items:
        assessment.consensus.create(item_key=item.key, value=1 if item.key == "talk-bias" else 4)
    plan = assessments.assessment_finish(assessment=assessment)
    action = plan.items.get()
    assert not action.is_complete
    prefix = f"i{action.pk}-"
    client_for("principal").post(reverse("surveys:plan", args=[plan.pk]), {
        "item": action.pk, prefix + "action": "Two staff sessions on assumptions", prefix + "owner": "Dr. Okafor",
        prefix + "due": "2027-03-01", prefix + "measure": "Every teacher attends one", prefix + "review": ""})
    action.refresh_from_db()
    assert action.is_complete and action.owner == "Dr. Okafor"


def test_next_year_shows_last_years_ratings_beside_this_years(world, client_for, team, assessment):
    for item in assessment.instrument.definition.items:
        assessment.consensus.create(item_key=item.key, value=2)
    last_plan = assessments.assessment_finish(assessment=assessment)
    ActionItem.objects.filter(plan=last_plan, item_key="talk-bias").update(action="Book study", owner="Ms. Rivera")
    next_year = assessments.assessment_start(team=team, instrument=assessment.instrument, year=2027)
    next_year.consensus.create(item_key="talk-bias", value=3)
    before, rows = assessments.side_by_side(next_year, "en")
    assert before == assessment
    bias = next(row for row in rows if row.text.startswith("Staff have time"))
    assert (bias.last, bias.this, bias.change) == (2, 3, 1)
    page = client_for("principal").get(reverse("surveys:consensus", args=[next_year.pk])).content.decode()
    assert "Team ratings, 2026 and 2027" in page and "+1" in page
    for item in next_year.instrument.definition.items:
        next_year.consensus.update_or_create(item_key=item.key, defaults={"value": 4})
    this_plan = assessments.assessment_finish(assessment=next_year)
    review = client_for("principal").get(reverse("surveys:plan", args=[this_plan.pk])).content.decode()
    assert "Book study" in review and "Staff have time to look at their own assumptions" in review


def test_a_teacher_not_on_the_team_does_not_see_it(world, client_for, assessment):
    other = f.StaffFactory(district=world.district)
    f.StaffRoleFactory(staff=other, role="teacher", school=world.lincoln)
    client = client_for("anonymous")
    client.force_login(other.user)
    assert client.get(reverse("surveys:assessment", args=[assessment.pk])).status_code == 404
