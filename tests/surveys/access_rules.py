"""URL × role rules for surveys and self-assessments (walked by tests/test_url_access.py)."""

from __future__ import annotations

from typing import Any

from homeroom.surveys import assessments, links, services
from homeroom.surveys.models import Instrument, Survey, Team
from tests.access import Rule, expect_all, staff_only
from tests.actors import World

# Surveys are run by a school's principal and the district administrator.
LEADERS = staff_only(403, admin=200, principal=200)
LEADERS_POST = staff_only(403, admin=302, principal=302)
# Lincoln's team: Ms. Rivera and Ana are members; the principal and district admin lead the school.
LINCOLN_TEAM = expect_all(404, anonymous=302, admin=200, principal=200, teacher=200, ana=200)
# Anyone holding a family's link or the school's public link may answer; no account needed.
ANYONE = expect_all(200)
CALLBACK = {"callback_name": "Main office", "callback_phone": "+12035550100"}


def _survey(w: World, *, public_link: bool = False) -> Survey:
    instrument = Instrument.objects.get(district=None, key="family-partnership")
    return services.survey_create(user=w.user("principal"), instrument=instrument, school=w.lincoln,
                                  title="Lincoln survey", anonymous=True, public_link=public_link)


def _survey_pk(w: World) -> dict[str, Any]:
    return {"pk": _survey(w).pk}


def _invitation_token(w: World) -> dict[str, Any]:
    invitation = services.survey_invite(survey=_survey(w), students=[w.sofia])[0]
    return {"token": links.invitation_token(invitation.pk)}


def _public_token(w: World) -> dict[str, Any]:
    return {"token": _survey(w, public_link=True).public_token}


def _portal_survey(w: World) -> dict[str, Any]:
    instrument = Instrument.objects.get(district=None, key="family-partnership")
    survey = services.survey_create(user=w.user("principal"), instrument=instrument, school=w.lincoln,
                                    title="Lincoln portal survey", anonymous=False, in_portal=True)
    return {"pk": survey.pk}


def _staff_card(w: World) -> dict[str, Any]:
    instrument = Instrument.objects.get(district=None, key="staff-feedback-card")
    survey = services.survey_create(user=w.user("principal"), instrument=instrument, school=w.lincoln,
                                    title="After our discussion", anonymous=True)
    return {"pk": survey.pk}


def _team(w: World) -> Team:
    team = Team.objects.create(school=w.lincoln, name="Lincoln partnership team")
    team.staff.add(w.teacher)
    team.guardians.add(w.ana)
    return team


def _assessment(w: World) -> Any:
    instrument = Instrument.objects.get(district=None, key="bridging-differences")
    return assessments.assessment_start(team=_team(w), instrument=instrument, year=2026)


def _plan(w: World) -> dict[str, Any]:
    assessment = _assessment(w)
    for item in assessment.instrument.definition.items:
        assessment.consensus.create(item_key=item.key, value=1)
    return {"pk": assessments.assessment_finish(assessment=assessment).pk}


def _shipped_instrument(w: World) -> dict[str, Any]:
    return {"pk": Instrument.objects.get(district=None, key="family-partnership").pk}


RULES = {
    "surveys:list": Rule(expect=LEADERS),
    "surveys:new": Rule(expect=LEADERS),
    "surveys:detail": Rule(kwargs=_survey_pk, expect=LEADERS),
    "surveys:send": Rule(kwargs=_survey_pk, method="post", data=lambda w: CALLBACK, expect=LEADERS_POST),
    "surveys:remind": Rule(kwargs=_survey_pk, method="post", data=lambda w: CALLBACK, expect=LEADERS_POST),
    "surveys:close": Rule(kwargs=_survey_pk, method="post", expect=LEADERS_POST),
    "surveys:results": Rule(kwargs=_survey_pk, expect=LEADERS),
    "surveys:results_csv": Rule(kwargs=_survey_pk, expect=LEADERS),
    "surveys:instruments": Rule(expect=LEADERS),
    "surveys:instrument": Rule(kwargs=_shipped_instrument, expect=LEADERS),
    # Adding or copying an instrument is the district's decision.
    "surveys:instrument_add": Rule(expect=staff_only(403, admin=200)),
    # Lincoln's staff card: any staff member of Lincoln (and the district admin) answers; Mr. Baker is elsewhere.
    "surveys:staff_answer": Rule(kwargs=_staff_card, expect=staff_only(200, other_teacher=404)),
    "surveys:teams": Rule(expect=LEADERS),
    "surveys:team": Rule(kwargs=lambda w: {"pk": _team(w).pk}, expect=LINCOLN_TEAM),
    "surveys:assessment": Rule(kwargs=lambda w: {"pk": _assessment(w).pk}, expect=LINCOLN_TEAM),
    "surveys:consensus": Rule(kwargs=lambda w: {"pk": _assessment(w).pk}, expect=LINCOLN_TEAM),
    "surveys:plan": Rule(kwargs=_plan, expect=LINCOLN_TEAM),
    # The portal's feedback page: signed-in families only; staff are the wrong kind of user.
    "surveys:family": Rule(expect=expect_all(403, anonymous=302, ana=200, luis=200, paul=200)),
    # A survey offered in Lincoln's portal: Ana (Sofia's mother) answers; Luis holds no rights, Paul is elsewhere.
    "surveys:family_answer": Rule(kwargs=_portal_survey, expect=expect_all(403, anonymous=302, ana=200, luis=404,
                                                                           paul=404)),
    "surveys:answer": Rule(kwargs=_invitation_token, expect=ANYONE),
    "surveys:public": Rule(kwargs=_public_token, expect=ANYONE),
}
