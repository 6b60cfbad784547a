"""Staff pages for professional learning (discussions, the shipped guide, trainings per staff) and the practices
library (posts, files, search and filters, "we tried this too", the rota of who shares next)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.programs import learning, selectors
from homeroom.programs.forms import DiscussionForm, PracticeFilterForm, PracticeForm, RotaForm
from homeroom.programs.models import Discussion, Practice, PracticeFile
from homeroom.roster.models import Staff
from homeroom.surveys.results import survey_results


def _me(request: HttpRequest) -> Staff:
    return Staff.objects.get(pk=scoping.require_staff(request.user).staff_id or 0)


def _discussions(request: HttpRequest) -> object:
    return Discussion.objects.filter(school__in=scoping.schools_for(request.user))


@login_required
def learning_page(request: HttpRequest) -> HttpResponse:
    _me(request)
    schools = selectors.led_schools(request.user)
    staff = scoping.staff_for(request.user)
    form = DiscussionForm(request.POST or None, schools=schools, staff=staff) if schools.exists() else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = learning.discussion_create(
                    school=data["school"], topic=data["topic"], title=data["title"], held_on=data["held_on"],
                    facilitators=list(data["facilitators"]), attendees=list(data["attendees"]), notes=data["notes"],
                    user=request.user)
            except learning.LearningError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("programs:discussion", pk=item.pk)
    counted = staff.filter(roles__school__in=schools).distinct() if schools.exists() else staff.none()
    return render(request, "programs/learning.html", {
        "form": form, "discussions": _discussions(request).select_related("school")[:30],  # type: ignore[attr-defined]
        "counts": learning.trainings_per_staff(counted)}, status=400 if form is not None and form.errors else 200)


@login_required
def guide(request: HttpRequest) -> HttpResponse:
    scoping.require_staff(request.user)
    return render(request, "programs/guide.html")


@login_required
def discussion(request: HttpRequest, pk: int) -> HttpResponse:
    _me(request)
    item = scoping.get_in_scope(_discussions(request).select_related("school", "feedback_survey"),  # type: ignore[attr-defined]
                                pk=pk)
    leads = selectors.led_schools(request.user).filter(pk=item.school_id).exists()
    if request.method == "POST":
        if not leads:
            raise PermissionDenied
        try:
            learning.feedback_card_open(discussion=item, user=request.user)
        except learning.LearningError as exc:
            messages.error(request, str(exc))
        return redirect("programs:discussion", pk=item.pk)
    results = survey_results(item.feedback_survey) if item.feedback_survey else None
    return render(request, "programs/discussion.html", {
        "discussion": item, "leads": leads, "results": results,
        "may_edit": learning.may_edit_discussion(request.user, item),
        "facilitators": item.facilitators.all(), "attendees": item.attendees.all()})


@login_required
def discussion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The discussion's record, for the staff member who recorded it or the school's principal."""
    _me(request)
    item = scoping.get_in_scope(_discussions(request).select_related("school"), pk=pk)  # type: ignore[attr-defined]
    if not learning.may_edit_discussion(request.user, item):
        raise PermissionDenied
    form = DiscussionForm(request.POST or None, schools=scoping.schools_for(request.user),
                          staff=scoping.staff_for(request.user), initial={
                              "topic": item.topic, "title": item.title, "held_on": item.held_on, "notes": item.notes,
                              "facilitators": list(item.facilitators.all()), "attendees": list(item.attendees.all())})
    form.fields.pop("school")  # a discussion stays with its school
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            learning.discussion_update(discussion=item, topic=data["topic"], title=data["title"],
                                       held_on=data["held_on"], facilitators=list(data["facilitators"]),
                                       attendees=list(data["attendees"]), notes=data["notes"])
        except learning.LearningError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The discussion is saved."))
            return redirect("programs:discussion", pk=item.pk)
    return render(request, "programs/edit.html", {"form": form, "heading": _("Edit the discussion"),
                                                  "back": item}, status=400 if form.errors else 200)


def _practices(request: HttpRequest) -> object:
    me = _me(request)
    return Practice.objects.filter(district_id=me.district_id)


@login_required
def practices(request: HttpRequest) -> HttpResponse:
    """The library; filters come by POST (htmx or a plain form), never in the address."""
    me = _me(request)
    found = _practices(request).select_related("author", "school", "replicates")  # type: ignore[attr-defined]
    filters = PracticeFilterForm(request.POST or None)
    if request.method == "POST" and "rota" not in request.POST and filters.is_valid():
        found = learning.practices_search(found, **filters.cleaned_data)
    rota = RotaForm(request.POST if "rota" in request.POST else None,
                    staff=scoping.staff_for(request.user).filter(roles__role__in=["principal", "district_admin"])
                    .distinct())
    runs = selectors.runs_district_teams(request.user)
    if "rota" in request.POST:
        if not runs:
            raise PermissionDenied
        if rota.is_valid():
            learning.rota_plan(district_id=me.district_id, first=rota.cleaned_data["first"],
                               every_weeks=rota.cleaned_data["every_weeks"], staff=list(rota.cleaned_data["staff"]))
            messages.success(request, _("The rota is saved."))
            return redirect("programs:practices")
    template = "programs/_practice_list.html" if request.headers.get("HX-Request") else "programs/practices.html"
    return render(request, template, {
        "practices": found[:50], "filters": filters, "rota": rota if runs else None,
        "turns": learning.next_turns(me.district_id, timezone.localdate())})


@login_required
def practice_new(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    replicates = None
    if request.GET.get("replicates", "").isdigit():
        replicates = scoping.get_in_scope(_practices(request), pk=int(request.GET["replicates"]))  # type: ignore[arg-type]
    form = PracticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        schools = list(scoping.scope_for(request.user).school_ids)
        item = learning.practice_create(author=me, school_id=schools[0] if len(schools) == 1 else None,
                                        data=learning.PracticeInput(
                                            title=data["title"], practice=data["practice"], goal=data["goal"],
                                            grade_band=data["grade_band"], languages=tuple(data["languages"]),
                                            families_reached=data["families_reached"], outcome=data["outcome"]),
                                        files=[data["file"]] if data["file"] else [], replicates=replicates)
        messages.success(request, _("Thank you for sharing."))
        return redirect("programs:practice", pk=item.pk)
    return render(request, "programs/practice_new.html", {"form": form, "replicates": replicates},
                  status=400 if form.errors else 200)


@login_required
def practice(request: HttpRequest, pk: int) -> HttpResponse:
    item = scoping.get_in_scope(_practices(request).select_related("author", "school", "replicates"),  # type: ignore[attr-defined]
                                pk=pk)
    return render(request, "programs/practice.html", {
        "practice": item, "may_edit": learning.may_edit_practice(request.user, item),
        "files": item.files.all(), "replications": item.replications.select_related("author")})


@login_required
def practice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A post, for its author, the principal of its school or a district administrator; a file adds to its files."""
    item = scoping.get_in_scope(_practices(request), pk=pk)  # type: ignore[arg-type]
    if not learning.may_edit_practice(request.user, item):
        raise PermissionDenied
    form = PracticeForm(request.POST or None, request.FILES or None, initial={
        "title": item.title, "practice": item.practice, "goal": item.goal, "grade_band": item.grade_band,
        "languages": item.languages, "families_reached": item.families_reached, "outcome": item.outcome})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        learning.practice_update(practice=item, files=[data["file"]] if data["file"] else [],
                                 data=learning.PracticeInput(
                                     title=data["title"], practice=data["practice"], goal=data["goal"],
                                     grade_band=data["grade_band"], languages=tuple(data["languages"]),
                                     families_reached=data["families_reached"], outcome=data["outcome"]))
        messages.success(request, _("The practice is saved."))
        return redirect("programs:practice", pk=item.pk)
    return render(request, "programs/edit.html", {"form": form, "heading": _("Edit the practice"), "back": item,
                                                  "files": True}, status=400 if form.errors else 200)


@login_required
def practice_file(request: HttpRequest, pk: int) -> FileResponse:
    me = _me(request)
    item = scoping.get_in_scope(PracticeFile.objects.filter(practice__district_id=me.district_id), pk=pk)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)
