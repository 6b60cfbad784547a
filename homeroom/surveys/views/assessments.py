"""Self-assessment pages: teams, each member's ratings, agreement and consensus, and the school's action plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.roster.models import Guardian, Staff
from homeroom.surveys import assessments, selectors
from homeroom.surveys.definition import pick
from homeroom.surveys.forms import ActionItemForm, AssessmentStartForm, TeamForm
from homeroom.surveys.models import ActionItem, Assessment


def _language(definition: object) -> str:
    wanted = get_language() or "en"
    return definition.language_for(wanted) or definition.languages[0]  # type: ignore[attr-defined]


def _school_year() -> int:
    today = timezone.localdate()
    return today.year if today.month >= 7 else today.year - 1


@login_required
def teams(request: HttpRequest) -> HttpResponse:
    scoping.scope_for(request.user)
    schools = selectors.led_schools(request.user)
    may_create = schools.exists()
    visible = selectors.teams_for(request.user)
    if not may_create and not visible.exists():
        raise PermissionDenied
    form = None
    if may_create:
        district_id = selectors.staff_district_id(request.user)
        form = TeamForm(request.POST or None, schools=schools,
                        staff=Staff.objects.filter(district_id=district_id or 0, is_active=True),
                        guardians=Guardian.objects.filter(
                            pk__in=scoping.guardians_for(request.user).values("pk"), user__isnull=False))
        if request.method == "POST" and form.is_valid():
            team = form.save()
            return redirect("surveys:team", pk=team.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "surveys/teams.html", {"teams": visible, "form": form})


@login_required
def team(request: HttpRequest, pk: int) -> HttpResponse:
    item = scoping.get_in_scope(selectors.teams_for(request.user), pk=pk)
    leader = selectors.is_leader(request.user, item.school_id)
    form = AssessmentStartForm(request.POST or None, instruments=selectors.instruments_for(request.user),
                               initial={"year": _school_year()}) if leader else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                started = assessments.assessment_start(team=item, instrument=form.cleaned_data["instrument"],
                                                       year=form.cleaned_data["year"])
            except assessments.AssessmentError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("surveys:assessment", pk=started.pk)
    rows = [(started, _title(started)) for started in item.assessments.select_related("instrument")]
    return render(request, "surveys/team.html", {"team": item, "form": form, "assessments": rows})


def _title(started: Assessment) -> str:
    """The instrument's title in the reader's language (a family member reads the team page in theirs)."""
    definition = started.instrument.definition
    return pick(definition.title, _language(definition))


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    return scoping.get_in_scope(selectors.assessments_for(request.user), pk=pk)


@login_required
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed-in member's own ratings."""
    item = _assessment(request, pk)
    is_member = request.user.pk in item.team.member_user_ids()
    if request.method == "POST":
        try:
            count = assessments.ratings_save(assessment=item, user=request.user, data=request.POST)
        except assessments.AssessmentError as exc:
            raise PermissionDenied(str(exc)) from exc
        messages.success(request, _("Your ratings are saved (%(count)d items).") % {"count": count})
        return redirect("surveys:consensus", pk=item.pk)
    definition = item.instrument.definition
    mine = dict(item.ratings.filter(user_id=request.user.pk or 0).values_list("item_key", "value"))
    return render(request, "surveys/assessment.html", {
        "assessment": item, "definition": definition, "language": _language(definition), "mine": mine,
        "is_member": is_member, "raters": item.ratings.values("user").distinct().count()})


@login_required
def consensus(request: HttpRequest, pk: int) -> HttpResponse:
    """Where members agree and disagree; the team records its consensus and reflections, then finishes."""
    item = _assessment(request, pk)
    if request.user.pk not in item.team.member_user_ids() and not selectors.is_leader(request.user, item.school_id):
        raise PermissionDenied
    definition = item.instrument.definition
    language = _language(definition)
    if request.method == "POST":
        try:
            assessments.consensus_save(assessment=item, data=request.POST)
            if "finish" in request.POST:
                plan = assessments.assessment_finish(assessment=item)
                messages.success(request, _("The self-assessment is finished; low-rated items are on the plan."))
                return redirect("surveys:plan", pk=plan.pk)
        except assessments.AssessmentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The team's ratings are saved."))
        return redirect("surveys:consensus", pk=item.pk)
    before, comparison = assessments.side_by_side(item, language)
    return render(request, "surveys/consensus.html", {
        "assessment": item, "definition": definition, "language": language,
        "rows": assessments.agreement(item, language),
        "reflections": dict(item.reflections.values_list("key", "text")),
        "before": before, "comparison": comparison})


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    item = scoping.get_in_scope(selectors.plans_for(request.user), pk=pk)
    action_items = list(item.items.select_related("assessment__instrument"))
    if request.method == "POST":
        target = next((a for a in action_items if str(a.pk) == request.POST.get("item")), None)
        if target is None:
            raise PermissionDenied
        form = ActionItemForm(request.POST, instance=target, prefix=f"i{target.pk}")
        if form.is_valid():
            form.save()
            messages.success(request, _("The action item is saved."))
            return redirect("surveys:plan", pk=item.pk)
        messages.error(request, _("Check the action item's fields."))
    rows = [(action, _item_text(action), ActionItemForm(instance=action, prefix=f"i{action.pk}"))
            for action in action_items]
    last_year = [(action, _item_text(action)) for action in assessments.plan_items_for_review(item)]
    return render(request, "surveys/plan.html", {"plan": item, "rows": rows, "last_year": last_year})


def _item_text(action: ActionItem) -> str:
    """The item's wording in the reader's language (the key when its assessment is gone)."""
    definition = action.assessment.instrument.definition if action.assessment else None
    found = definition.item(action.item_key) if definition else None
    return pick(found.text, _language(definition)) if found and definition else action.item_key
