"""Family answering pages: a signed per-family link, a school's public link (no account), and the family portal's
feedback page for signed-in families. No JavaScript needed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache

from homeroom.access import scoping
from homeroom.roster.models import Guardian
from homeroom.surveys import links, selectors, services
from homeroom.surveys.models import Invitation, Response, Survey

ANSWERED_SALT = "homeroom.surveys.answered-here"
ANSWERED_MAX_AGE = 60 * 60 * 24 * 365  # a survey runs for weeks; a year outlasts any of them


def page_language(request: HttpRequest, survey: Survey, preferred: str) -> str:
    """?lang= when the instrument has it, else the family's language, else the instrument's first."""
    definition = survey.instrument.definition
    for wanted in (request.GET.get("lang", ""), preferred):
        found = definition.language_for(wanted) if wanted else None
        if found:
            return found
    return definition.languages[0]


def language_links(languages: tuple[str, ...]) -> list[dict[str, Any]]:
    """The survey's languages for its language switch: each named in itself as the site's language picker names
    it, right-to-left where it is (a code Django does not know, in a district's own instrument, as written)."""
    names = dict(settings.LANGUAGES)
    found = []
    for code in languages:
        try:
            info = translation.get_language_info(code)
        except KeyError:
            info = {"name_local": code, "bidi": False}
        found.append({"code": code, "name": names.get(code) or info["name_local"],
                      "dir": "rtl" if info["bidi"] else "ltr"})
    return found


def answer_page(request: HttpRequest, survey: Survey, language: str, *, errors: dict[str, str] | None = None,
                done: bool = False, status: int = 200, staff_page: bool = False) -> HttpResponse:
    definition = survey.instrument.definition
    posted: dict[str, Any] = {}
    if request.method == "POST":
        posted = {key: request.POST.getlist(key) for key in request.POST}
    with translation.override(language):
        return render(request, "surveys/answer.html", {
            "survey": survey, "definition": definition, "language": language, "errors": errors or {},
            "posted": posted, "done": done, "survey_languages": language_links(definition.languages),
            "staff_page": staff_page,
        }, status=status)


@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation_id = links.invitation_id_from(token)
    if invitation_id is None:
        raise Http404
    invitation = get_object_or_404(Invitation.objects.select_related("survey__instrument"), pk=invitation_id)
    survey = invitation.survey
    language = page_language(request, survey, invitation.language)
    if invitation.responded or not survey.is_open:
        return answer_page(request, survey, language, done=True)
    if request.method == "POST":
        try:
            with translation.override(language):  # problems are worded in the family's language
                result = services.response_submit(survey=survey, data=request.POST, language=language,
                                                  source=Response.Source.LINK, invitation=invitation)
        except services.SurveyError:
            return answer_page(request, survey, language, done=True)
        if isinstance(result, dict):
            return answer_page(request, survey, language, errors=result, status=422)
        return redirect(f"{request.path}?lang={language}")
    return answer_page(request, survey, language)


def _answered_here_cookie(survey: Survey) -> str:
    return f"hr_survey_{survey.pk}"


@never_cache
def public(request: HttpRequest, token: str) -> HttpResponse:
    """A school's public link. A signed cookie marks "answered on this device" so the same browser is thanked
    instead of asked again: a convenience against accidental repeats, not a guarantee (another browser, or
    cleared cookies, can answer again). It holds only the survey's id, nothing about the family or the answer."""
    survey = get_object_or_404(Survey.objects.select_related("instrument"), public_token=token, public_link=True)
    language = page_language(request, survey, getattr(request, "LANGUAGE_CODE", "") or "")
    cookie = _answered_here_cookie(survey)
    answered_here = request.get_signed_cookie(cookie, default="", salt=ANSWERED_SALT) == str(survey.pk)
    if request.GET.get("done") == "1" or answered_here or not survey.is_open:
        return answer_page(request, survey, language, done=True)
    if request.method == "POST":
        try:
            with translation.override(language):
                result = services.response_submit(survey=survey, data=request.POST, language=language,
                                                  source=Response.Source.PUBLIC)
        except services.SurveyError:
            return answer_page(request, survey, language, done=True)
        if isinstance(result, dict):
            return answer_page(request, survey, language, errors=result, status=422)
        response = redirect(f"{request.path}?lang={language}&done=1")
        response.set_signed_cookie(cookie, str(survey.pk), salt=ANSWERED_SALT, max_age=ANSWERED_MAX_AGE,
                                   path=request.path, secure=request.is_secure(), httponly=True, samesite="Lax")
        return response
    return answer_page(request, survey, language)


@login_required
def family_list(request: HttpRequest) -> HttpResponse:
    """The family portal's feedback page: the surveys this family may answer while signed in."""
    scoping.require_guardian(request.user)
    return render(request, "surveys/family_list.html", {"surveys": selectors.family_surveys(request.user)})


@login_required
def family_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """A signed-in family answers; identified surveys record which guardian answered, anonymous ones do not."""
    scope = scoping.require_guardian(request.user)
    offered = {survey.pk: survey for survey, _answered in selectors.family_surveys(request.user)}
    survey = offered.get(pk)
    if survey is None:
        raise Http404
    invitation = services.portal_invitation(survey=survey, children=selectors.family_children(request.user))
    if invitation is None:
        raise Http404
    language = page_language(request, survey, getattr(request, "LANGUAGE_CODE", "") or "")
    if invitation.responded:
        return answer_page(request, survey, language, done=True)
    if request.method == "POST":
        guardian = Guardian.objects.get(pk=scope.guardian_id or 0)
        try:
            with translation.override(language):
                result = services.response_submit(survey=survey, data=request.POST, language=language,
                                                  source=Response.Source.PORTAL, invitation=invitation,
                                                  guardian=guardian)
        except services.SurveyError:
            return answer_page(request, survey, language, done=True)
        if isinstance(result, dict):
            return answer_page(request, survey, language, errors=result, status=422)
        return redirect(f"{request.path}?lang={language}")
    return answer_page(request, survey, language)
