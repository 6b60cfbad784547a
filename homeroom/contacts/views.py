"""Contact log pages: my students, log/correct a contact, a contact's detail, a family's timeline."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeroom.access import scoping
from homeroom.access.access_log import record_student_access
from homeroom.contacts import selectors, services, timeline
from homeroom.contacts.checklist import tasks_a_contact_may_complete
from homeroom.contacts.form_defaults import contact_initial
from homeroom.contacts.forms import LANGUAGE_CHOICES, ContactForm, TimelineFilterForm
from homeroom.contacts.models import ContactLog, Method
from homeroom.core import paging
from homeroom.roster.models import Guardian, Staff, Student, StudentGuardian

TIMELINE_PAGE = 50  # entries per page of a family's timeline


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()][:20]


def _candidates(user: Any, students: list[Student], guardians: list[Guardian]) -> tuple[QuerySet, QuerySet]:
    """Choices offered on the form: the given students and their siblings via the given guardians, and the
    guardians of all of those, all within scope."""
    in_scope = scoping.staff_students_for(user)
    student_qs = in_scope.filter(pk__in=[s.pk for s in students]) | in_scope.filter(
        guardian_links__guardian__in=[g.pk for g in guardians], guardian_links__is_active=True
    )
    student_qs = in_scope.filter(pk__in=student_qs.values("pk")).order_by("family_name", "given_name")
    guardian_qs = scoping.guardians_for(user)
    guardian_qs = guardian_qs.filter(pk__in=(
        guardian_qs.filter(pk__in=[g.pk for g in guardians])
        | guardian_qs.filter(student_links__student__in=student_qs, student_links__is_active=True)
    ).values("pk")).order_by("family_name", "given_name")
    return student_qs, guardian_qs


@login_required
def my_students(request: HttpRequest) -> HttpResponse:
    scoping.require_staff(request.user)
    page = Paginator(selectors.my_students(request.user), 100).get_page(request.GET.get("page"))
    record_student_access(user=request.user, student_ids=[s.pk for s in page.object_list], action="my_students")
    return render(request, "contacts/my_students.html", {"page": page})


@login_required
def log_create(request: HttpRequest) -> HttpResponse:
    scope = scoping.require_staff(request.user)
    students = [scoping.get_in_scope(scoping.staff_students_for(request.user), pk=pk)
                for pk in _ids(request.GET.getlist("student"))]
    guardians = [scoping.get_in_scope(scoping.guardians_for(request.user), pk=pk)
                 for pk in _ids(request.GET.getlist("guardian"))]
    if not students and not guardians:
        messages.info(request, _("Choose the student whose family you contacted."))
        return redirect("contacts:my_students")
    student_qs, guardian_qs = _candidates(request.user, students, guardians)
    tasks = tasks_a_contact_may_complete(staff_id=scope.staff_id or 0, students=student_qs)
    if request.method == "POST":
        form = ContactForm(request.POST, students=student_qs, guardians=guardian_qs, tasks=tasks)
        if form.is_valid():
            contact = services.contact_log_create(
                staff=Staff.objects.get(pk=scope.staff_id or 0), created_by=request.user, data=form.contact_input(),
                preferences=form.preferences_input(), completes=form.tasks_completed(),
            )
            record_student_access(user=request.user, student_ids=[s.pk for s in form.cleaned_data["students"]],
                                  action="contact_logged")
            messages.success(request, _("Contact saved."))
            return redirect("contacts:detail", pk=contact.pk)
    else:
        chosen_guardians = guardians or [g for g in guardian_qs if g.student_links.filter(
            student__in=students, is_primary=True, is_active=True).exists()][:1]
        offered = [code for code, _label in LANGUAGE_CHOICES]
        family = contact_initial(chosen_guardians[0], offered) if chosen_guardians else {}
        method = request.GET.get("method", "")  # a suggestion's link (the reach page) names the method to try
        if method in Method.values:
            family.update(method=method, interpreter_used=method == Method.INTERPRETER)
        form = ContactForm(students=student_qs, guardians=guardian_qs, tasks=tasks, initial={
            "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
            "students": students, "guardians": chosen_guardians, "language": "en", **family,
        })
    # The form offers the chosen students and their siblings: every one of them is shown.
    record_student_access(user=request.user, student_ids=student_qs, action="contact_form")
    return render(request, "contacts/contact_form.html", {"form": form, "editing": None})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    contact: ContactLog = scoping.get_in_scope(
        selectors.contacts_for(request.user).select_related("staff", "created_by").prefetch_related(
            selectors.named_students(request.user), "guardians"), pk=pk)
    record_student_access(user=request.user, student_ids=[s.pk for s in contact.students.all()],
                          action="contact_viewed")
    return render(request, "contacts/contact_detail.html", {
        "contact": contact,
        "notes_visible": selectors.may_see_notes(request.user, contact),
        "revisions": timeline.contact_history(contact),
        "may_edit": contact.created_by_id == request.user.pk,
        "in_edit_window": services.contact_in_edit_window(contact),
    })


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    contact: ContactLog = scoping.get_in_scope(selectors.contacts_for(request.user), pk=pk)
    if contact.created_by_id != request.user.pk:
        raise PermissionDenied
    student_qs, guardian_qs = _candidates(request.user, list(contact.students.all()), list(contact.guardians.all()))
    if request.method == "POST":
        form = ContactForm(request.POST, students=student_qs, guardians=guardian_qs)
        if form.is_valid():
            services.contact_log_update(contact=contact, edited_by=request.user, data=form.contact_input())
            prefs = form.preferences_input()
            if prefs is not None and not prefs.is_empty:
                services.guardian_preferences_record(preferences=prefs)
            messages.success(request, _("Contact updated."))
            return redirect("contacts:detail", pk=contact.pk)
    else:
        initial = {name: getattr(contact, name) for name in services.TRACKED_FIELDS}
        initial.update(students=list(contact.students.all()), guardians=list(contact.guardians.all()))
        form = ContactForm(students=student_qs, guardians=guardian_qs, initial=initial)
    record_student_access(user=request.user, student_ids=student_qs, action="contact_edit_form")
    return render(request, "contacts/contact_form.html", {
        "form": form, "editing": contact, "in_edit_window": services.contact_in_edit_window(contact)})


@login_required
@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scoping.require_staff(request.user)
    contact = scoping.get_in_scope(selectors.contacts_for(request.user).filter(staff_id=scope.staff_id or 0), pk=pk)
    services.contact_follow_up_done(contact=contact)
    messages.success(request, _("Follow-up marked done."))
    next_url = request.POST.get("next", "")
    return redirect(next_url if next_url.startswith("/") and not next_url.startswith("//") else reverse(
        "contacts:my_week"))


@login_required
def family_timeline(request: HttpRequest, guardian_pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    guardian = scoping.get_in_scope(scoping.guardians_for(request.user), pk=guardian_pk)
    members = timeline.household_guardians(request.user, guardian)
    # From the family's links, not the scope: an administrator's scope is the whole district.
    students = scoping.staff_students_for(request.user).filter(pk__in=StudentGuardian.objects.filter(
        guardian__in=members, is_active=True).values("student_id"))
    form = TimelineFilterForm(request.GET or None, students=students, staff=scoping.staff_for(request.user))
    form.offer_staff(timeline.staff_who_contacted(request.user, members))
    filters = timeline.TimelineFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = timeline.TimelineFilters(
            student_id=data["student"].pk if data["student"] else None,
            staff_id=data["staff"].pk if data["staff"] else None, method=data["method"], purpose=data["purpose"],
            date_from=data["date_from"], date_to=data["date_to"])
    page = paging.page_number(request)
    items = timeline.family_timeline(request.user, guardian, filters, limit=page * TIMELINE_PAGE + 1)
    more = paging.next_page_query(request, page) if len(items) > page * TIMELINE_PAGE else None
    items = items[(page - 1) * TIMELINE_PAGE:page * TIMELINE_PAGE]
    names = timeline.student_names(request.user, items)
    context = {"items": items, "student_names": names, "more": more}
    if request.htmx and page > 1:  # type: ignore[attr-defined]
        record_student_access(user=request.user, student_ids=list(names), action="family_timeline")
        return render(request, "contacts/_timeline_items.html", context)
    student_list = list(students)
    record_student_access(user=request.user, student_ids=[*(s.pk for s in student_list), *names],
                          action="family_timeline")
    return render(request, "contacts/family_timeline.html", {
        **context, "guardian": guardian, "members": members, "students": student_list, "form": form,
        "page": page, "query": paging.without_page(request),
    })
