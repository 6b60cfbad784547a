"""Family pages: upcoming events with RSVP and .ics (portal, or a signed link without an account), and the
team pages of family members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.programs import events, selectors, teams
from homeroom.programs.family_forms import RsvpForm
from homeroom.programs.models import Event, RsvpVia
from homeroom.roster.models import Guardian


def _guardian(request: HttpRequest) -> Guardian:
    scope = scoping.require_guardian(request.user)
    return scoping.get_in_scope(scoping.guardians_for(request.user), pk=scope.guardian_id)  # type: ignore[no-any-return]


@login_required
def family_events(request: HttpRequest) -> HttpResponse:
    guardian = _guardian(request)
    upcoming = list(selectors.upcoming(selectors.events_for(request.user)).select_related("school")[:50])
    answered = {r.event_id: r for r in guardian_rsvps(guardian, upcoming)}
    return render(request, "programs/family/events.html", {"rows": [(e, answered.get(e.pk)) for e in upcoming]})


def guardian_rsvps(guardian: Guardian, upcoming: list[Event]) -> list[events.Rsvp]:
    return list(events.Rsvp.objects.filter(guardian=guardian, event__in=upcoming, cancelled_at__isnull=True))


def _rsvp_page(request: HttpRequest, *, event: Event, guardian: Guardian, via: str, token: str = "") -> HttpResponse:
    rsvp = events.active_rsvp(event, guardian)
    if event.cancelled_at:  # say so, and take no answer
        return render(request, "programs/family/rsvp_cancelled.html", {"event": event, "token": token},
                      status=409 if request.method == "POST" else 200)
    form = RsvpForm(request.POST or None, childcare=event.childcare, initial={
        "seats": rsvp.seats, "interpreter_language": rsvp.interpreter_language,
        "childcare_children": rsvp.childcare_children} if rsvp else None)
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            if rsvp is not None:
                events.rsvp_cancel(rsvp=rsvp)
            messages.success(request, _("Your answer is cancelled."))
            return redirect(request.path)
        if form.is_valid():
            try:
                events.rsvp_create(event=event, guardian=guardian, data=form.rsvp(), via=via)
            except events.EventError as exc:
                form.add_error(None, str(exc))
                status = 409
            else:
                messages.success(request, _("Thank you! We look forward to seeing you."))
                return redirect(request.path)
        else:
            status = 400
    return render(request, "programs/family/rsvp.html", {"event": event, "rsvp": rsvp, "form": form,
                                                         "token": token}, status=status)


@login_required
def family_event(request: HttpRequest, pk: int) -> HttpResponse:
    guardian = _guardian(request)
    event = scoping.get_in_scope(selectors.events_for(request.user).select_related("school"), pk=pk)
    return _rsvp_page(request, event=event, guardian=guardian, via=RsvpVia.PORTAL)


def _from_token(token: str) -> tuple[Event, Guardian]:
    found = events.read_token(token)
    if found is None:
        raise Http404
    event = Event.objects.filter(pk=found[0]).select_related("school").first()
    guardian = Guardian.objects.filter(pk=found[1], is_active=True).first()
    if event is None or guardian is None:
        raise Http404
    return event, guardian


def rsvp_link(request: HttpRequest, token: str) -> HttpResponse:
    """The same RSVP page from the signed link in an invitation, for a family without an account."""
    event, guardian = _from_token(token)
    return _rsvp_page(request, event=event, guardian=guardian, via=RsvpVia.LINK, token=token)


def _ics(event: Event, guardian: Guardian) -> HttpResponse:
    response = HttpResponse(events.event_ics(event, events.active_rsvp(event, guardian)),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@login_required
def family_event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    guardian = _guardian(request)
    return _ics(scoping.get_in_scope(selectors.events_for(request.user), pk=pk), guardian)


def rsvp_link_ics(request: HttpRequest, token: str) -> HttpResponse:
    event, guardian = _from_token(token)
    return _ics(event, guardian)


@login_required
def family_teams(request: HttpRequest) -> HttpResponse:
    _guardian(request)
    return render(request, "programs/family/teams.html", {
        "teams": selectors.teams_for(request.user).select_related("school")})


@login_required
def family_team(request: HttpRequest, pk: int) -> HttpResponse:
    _guardian(request)
    team = scoping.get_in_scope(selectors.teams_for(request.user).select_related("school"), pk=pk)
    planned, _waiting = teams.plan_rows(team, teams.school_year())
    return render(request, "programs/family/team.html", {
        "team": team, "members": team.memberships.select_related("staff", "guardian"), "planned": planned,
        "meetings": team.meetings.all()[:10], "events": selectors.upcoming(team.events.all()),
        "assessment_team_id": selectors.assessment_team_rated_by(request.user, team)})
