"""Staff pages: instruments (district admins add and copy), surveys, sending, reminders and results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeroom.access import scoping
from homeroom.core.models import Role
from homeroom.roster.models import District
from homeroom.surveys import links, schema, selectors, services
from homeroom.surveys.forms import InstrumentForm, RemindForm, SendForm, SurveyForm
from homeroom.surveys.open_text import translate_open_text
from homeroom.surveys.results import results_csv, survey_results
from homeroom.surveys.tasks import survey_remind_task, survey_send_task


@login_required
def instruments(request: HttpRequest) -> HttpResponse:
    scope = scoping.require_role(request.user, *selectors.LEADERS)
    return render(request, "surveys/instruments.html", {
        "instruments": selectors.instruments_for(request.user), "may_add": bool(scope.district_ids)})


@login_required
def instrument(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scoping.require_role(request.user, *selectors.LEADERS)
    item = scoping.get_in_scope(selectors.instruments_for(request.user), pk=pk)
    language = item.definition.language_for(get_language() or "en") or item.definition.languages[0]
    return render(request, "surveys/instrument.html", {
        "instrument": item, "definition": item.definition, "language": language,
        "may_add": bool(scope.district_ids)})


@login_required
def instrument_add(request: HttpRequest) -> HttpResponse:
    """Add an instrument, or copy one (?copy=<id> starts from its file); the same validation as shipped files."""
    scoping.require_role(request.user, Role.DISTRICT_ADMIN)
    copied = None
    initial = {}
    if request.GET.get("copy"):
        copied = scoping.get_in_scope(selectors.instruments_for(request.user), pk=request.GET["copy"])
        initial = {"source": copied.source}
    form = InstrumentForm(request.POST or None, request.FILES or None, initial=initial)
    problems: list[schema.Problem] = []
    if request.method == "POST" and form.is_valid():
        district = District.objects.get(pk=selectors.staff_district_id(request.user) or 0)
        try:
            saved = services.instrument_save(district=district, source=form.cleaned_data["source"],
                                             user=request.user, copied_from=copied)
        except schema.InstrumentInvalid as exc:
            problems = exc.problems
        else:
            messages.success(request, _("The instrument is saved."))
            return redirect("surveys:instrument", pk=saved.pk)
    return render(request, "surveys/instrument_add.html", {"form": form, "problems": problems, "copied": copied},
                  status=422 if problems else 200)


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    scoping.require_role(request.user, *selectors.LEADERS)
    return render(request, "surveys/list.html", {"surveys": selectors.surveys_for(request.user)})


@login_required
def survey_new(request: HttpRequest) -> HttpResponse:
    scope = scoping.require_role(request.user, *selectors.LEADERS)
    form = SurveyForm(request.POST or None, instruments=selectors.instruments_for(request.user),
                      schools=selectors.led_schools(request.user), district_wide=bool(scope.district_ids))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_create(user=request.user, instrument=data["instrument"], school=data["school"],
                                            title=data["title"], anonymous=data["anonymous"],
                                            public_link=data["public_link"], in_portal=data["in_portal"])
        except services.SurveyError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/new.html", {"form": form})


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_role(request.user, *selectors.LEADERS)
    survey = scoping.get_in_scope(selectors.surveys_for(request.user), pk=pk)
    school = survey.school
    initial = {"callback_name": school.name if school else "", "callback_phone": school.phone if school else ""}
    invitations = survey.invitations.filter(times_sent__gt=0)
    return render(request, "surveys/detail.html", {
        "survey": survey, "send_form": SendForm(initial=initial), "remind_form": RemindForm(initial=initial),
        "invited": invitations.count(), "waiting": invitations.filter(responded=False).count(),
        "public_url": links.public_url(survey.public_token) if survey.public_link else ""})


@login_required
@require_POST
def survey_send(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_role(request.user, *selectors.LEADERS)
    survey = scoping.get_in_scope(selectors.surveys_for(request.user), pk=pk)
    form = SendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a call-back name and number for the message."))
        return redirect("surveys:detail", pk=survey.pk)
    if not survey.is_open:
        messages.error(request, _("This survey is closed."))
        return redirect("surveys:detail", pk=survey.pk)
    survey_id, user_id, grades = survey.pk, int(request.user.pk or 0), form.grade_list()
    name, phone = form.cleaned_data["callback_name"], form.cleaned_data["callback_phone"]
    transaction.on_commit(lambda: survey_send_task.enqueue(survey_id, user_id, name, phone, grades))
    messages.success(request, _("Sending has started: each family gets its own link in the next few minutes."))
    return redirect("surveys:detail", pk=survey.pk)


@login_required
@require_POST
def survey_remind(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_role(request.user, *selectors.LEADERS)
    survey = scoping.get_in_scope(selectors.surveys_for(request.user), pk=pk)
    form = RemindForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a call-back name and number for the message."))
        return redirect("surveys:detail", pk=survey.pk)
    if not survey.is_open:
        messages.error(request, _("This survey is closed."))
        return redirect("surveys:detail", pk=survey.pk)
    survey_id, user_id = survey.pk, int(request.user.pk or 0)
    name, phone = form.cleaned_data["callback_name"], form.cleaned_data["callback_phone"]
    transaction.on_commit(lambda: survey_remind_task.enqueue(survey_id, user_id, name, phone))
    messages.success(request, _("Reminders have started: only families who have not answered get one."))
    return redirect("surveys:detail", pk=survey.pk)


@login_required
@require_POST
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_role(request.user, *selectors.LEADERS)
    survey = scoping.get_in_scope(selectors.surveys_for(request.user), pk=pk)
    services.survey_close(survey=survey)
    messages.success(request, _("The survey is closed; its links no longer take answers."))
    return redirect("surveys:detail", pk=survey.pk)


@login_required
def survey_results_page(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_role(request.user, *selectors.LEADERS)
    survey = scoping.get_in_scope(selectors.surveys_for(request.user), pk=pk)
    results = survey_results(survey, language=get_language() or "en")
    translated = translate_open_text(results, target=get_language() or "en")
    return render(request, "surveys/results.html", {"survey": survey, "results": results, "translated": translated})


@login_required
def survey_results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_role(request.user, *selectors.LEADERS)
    survey = scoping.get_in_scope(selectors.surveys_for(request.user), pk=pk)
    body = results_csv(survey_results(survey, language=get_language() or "en"))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.csv"'
    return response
