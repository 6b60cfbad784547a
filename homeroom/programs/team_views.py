"""Staff pages for partnership teams: the list, a team's page (members, meetings, action plan) and its forms."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeroom.access import scoping
from homeroom.programs import selectors, teams
from homeroom.programs.forms import ActivityForm, MeetingForm, MemberForm, TeamForm
from homeroom.programs.models import PartnershipTeam
from homeroom.roster.models import Guardian
from homeroom.surveys.models import ActionItem


@login_required
def index(request: HttpRequest) -> HttpResponse:
    scoping.require_staff(request.user)
    schools = selectors.led_schools(request.user)
    form = TeamForm(request.POST or None, schools=schools, district_teams=selectors.runs_district_teams(request.user))
    if request.method == "POST":
        if not schools.exists() and not selectors.runs_district_teams(request.user):
            raise PermissionDenied
        if form.is_valid():
            school = form.cleaned_data["school"]
            district_id = school.district_id if school else scoping.administered_district(request.user).pk
            try:
                team = teams.team_create(district_id=district_id, school_id=school.pk if school else None,
                                         kind=form.cleaned_data["kind"], name=form.cleaned_data["name"])
            except teams.TeamError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("programs:team", pk=team.pk)
    return render(request, "programs/index.html", {
        "teams": selectors.teams_for(request.user).select_related("school"),
        "events": selectors.upcoming(selectors.events_for(request.user)).select_related("school")[:10],
        "form": form if schools.exists() or selectors.runs_district_teams(request.user) else None,
    }, status=400 if form.errors else 200)


def _team(request: HttpRequest, pk: int) -> PartnershipTeam:
    scoping.require_staff(request.user)
    return scoping.get_in_scope(selectors.teams_for(request.user).select_related("school"), pk=pk)  # type: ignore[no-any-return]


def _led(request: HttpRequest, pk: int) -> PartnershipTeam:
    team = _team(request, pk)
    if not selectors.teams_led_by(request.user).filter(pk=team.pk).exists():
        raise PermissionDenied
    return team


def _carry_out(request: HttpRequest, form: forms.Form, action: Callable[[], object], *, done: str,
               invalid: str) -> None:
    """Runs `action` when the form is valid, and tells the person how it went (the team page shows it)."""
    if not form.is_valid():
        messages.error(request, invalid)
        return
    try:
        action()
    except teams.TeamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)


def _member_choices(request: HttpRequest, team: PartnershipTeam) -> dict[str, object]:
    staff = scoping.staff_for(request.user).order_by("family_name", "given_name")
    guardians = Guardian.objects.filter(pk__in=scoping.guardians_for(request.user).values("pk"), is_active=True)
    if team.school_id:
        guardians = guardians.filter(student_links__student__school_id=team.school_id).distinct()
    return {"staff": staff, "guardians": guardians.order_by("family_name", "given_name")}


@login_required
def team(request: HttpRequest, pk: int) -> HttpResponse:
    item = _team(request, pk)
    leads = selectors.teams_led_by(request.user).filter(pk=item.pk).exists()
    year = teams.school_year()
    planned, waiting = teams.plan_rows(item, year)
    members = item.memberships.select_related("staff", "guardian")
    return render(request, "programs/team.html", {
        "team": item, "leads": leads, "year": year, "members": members, "planned": planned,
        "waiting": [(w, ActivityForm(prefix=f"i{w.pk}", initial={"action": w.action, "owner": w.owner,
                                                                  "due": w.due, "measure": w.measure}))
                    for w in waiting],
        "meetings": item.meetings.prefetch_related("attendees")[:20],
        "member_form": MemberForm(**_member_choices(request, item)) if leads else None,
        "activity_form": ActivityForm(prefix="new") if leads and item.school_id else None,
        "events": selectors.upcoming(item.events.all()),
    })


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = _led(request, pk)
    form = MemberForm(request.POST, **_member_choices(request, item))
    _carry_out(request, form, lambda: teams.member_add(team=item, data=form.member()),
               done=_("The member is added."), invalid=_("Check the member's fields."))
    return redirect("programs:team", pk=item.pk)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    item = _led(request, pk)
    teams.member_remove(member=scoping.get_in_scope(item.memberships.all(), pk=member))
    messages.success(request, _("The member is removed."))
    return redirect("programs:team", pk=item.pk)


@login_required
@require_POST
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = _led(request, pk)
    form = ActivityForm(request.POST, prefix="new")
    _carry_out(request, form, lambda: teams.activity_add(team=item, year=teams.school_year(), data=form.activity()),
               done=_("The activity is on the plan."), invalid=_("Fill in every field of the activity."))
    return redirect("programs:team", pk=item.pk)


@login_required
@require_POST
def activity_from_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _led(request, pk)
    action = scoping.get_in_scope(ActionItem.objects.filter(plan__school_id=item.school_id or 0).select_related(
        "plan"), pk=item_pk)
    form = ActivityForm(request.POST, prefix=f"i{action.pk}")
    _carry_out(request, form, lambda: teams.activity_from_item(team=item, item=action, data=form.activity()),
               done=_("The self-assessment item is now an activity of the plan."),
               invalid=_("Fill in every field of the activity."))
    return redirect("programs:team", pk=item.pk)


@login_required
def meeting(request: HttpRequest, pk: int, meeting_pk: int | None = None) -> HttpResponse:
    """A team meeting's agenda, minutes, attendance and decisions (new when `meeting_pk` is None)."""
    item = _team(request, pk)
    existing = scoping.get_in_scope(item.meetings.all(), pk=meeting_pk) if meeting_pk else None
    leads = selectors.teams_led_by(request.user).filter(pk=item.pk).exists()
    if existing is None and not leads:
        raise PermissionDenied
    initial = {}
    if existing is not None:
        initial = {"held_at": existing.held_at, "place": existing.place, "agenda": existing.agenda,
                   "minutes": existing.minutes, "decisions": existing.decisions,
                   "attendees": list(existing.attendees.values_list("pk", flat=True))}
    form = MeetingForm(request.POST or None, members=item.memberships.select_related("staff", "guardian"),
                       initial=initial)
    if request.method == "POST":
        if not leads:
            raise PermissionDenied
        if form.is_valid():
            saved = teams.meeting_save(team=item, data=form.meeting(), user=request.user, meeting=existing,
                                       attendees=list(form.cleaned_data["attendees"]))
            messages.success(request, _("The meeting is saved."))
            return redirect("programs:meeting", pk=item.pk, meeting_pk=saved.pk)
    return render(request, "programs/meeting.html", {"team": item, "meeting": existing, "form": form,
                                                     "leads": leads}, status=400 if form.errors else 200)


