"""A staff feedback card answered by a signed-in staff member of the card's school: once each, and anonymous
when the card is (the `StaffAnswered` mark holds no key to the answer)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from homeroom.access import scoping
from homeroom.roster.models import Staff
from homeroom.surveys import selectors, services
from homeroom.surveys.models import Response, StaffAnswered
from homeroom.surveys.views.family import answer_page, page_language


@login_required
def staff_answer(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scoping.require_staff(request.user)
    survey = scoping.get_in_scope(selectors.staff_cards_for(request.user), pk=pk)
    staff = Staff.objects.get(pk=scope.staff_id or 0)
    language = page_language(request, survey, getattr(request, "LANGUAGE_CODE", "") or "")
    if StaffAnswered.objects.filter(survey=survey, staff=staff).exists():
        return answer_page(request, survey, language, done=True, staff_page=True)
    if request.method == "POST":
        try:
            result = services.response_submit(survey=survey, data=request.POST, language=language,
                                              source=Response.Source.STAFF, staff=staff)
        except services.SurveyError:
            return answer_page(request, survey, language, done=True, staff_page=True)
        if isinstance(result, dict):
            return answer_page(request, survey, language, errors=result, status=422, staff_page=True)
        return redirect(f"{request.path}?lang={language}")
    return answer_page(request, survey, language, staff_page=True)
