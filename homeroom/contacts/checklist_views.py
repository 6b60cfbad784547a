"""Checklist pages: "My week", one student's checklist (with PPT dates), and the district's template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeroom.access import scoping
from homeroom.access.access_log import record_student_access
from homeroom.contacts import checklist, selectors
from homeroom.contacts.forms import ChecklistItemForm, PptDateForm
from homeroom.contacts.models import ChecklistItem, ChecklistTask
from homeroom.roster.models import Staff


@login_required
def my_week(request: HttpRequest) -> HttpResponse:
    scope = scoping.require_staff(request.user)
    if scope.case_manager:
        # Caseloads arrive by bulk import; make sure this case manager's tasks exist before listing them.
        staff = Staff.objects.get(pk=scope.staff_id or 0)
        checklist.checklist_sync_for_caseloads(staff.district_id, staff_id=staff.pk)
    try:
        quiet_days = max(1, min(365, int(request.GET.get("days", "30"))))
    except ValueError:
        quiet_days = 30
    week = selectors.my_week(request.user, quiet_days=quiet_days)
    shown = [task.student_id for task in (*week.overdue, *week.due_soon)]
    shown += [s.pk for contact in week.follow_ups for s in contact.students.all()]
    record_student_access(user=request.user, student_ids=shown, action="my_week")
    return render(request, "contacts/my_week.html", {"week": week, "language": get_language() or "en"})


@login_required
def student_checklist(request: HttpRequest, student_pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    student = scoping.get_in_scope(scoping.staff_students_for(request.user), pk=student_pk)
    form = PptDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        checklist.ppt_date_add(student=student, meeting_date=form.cleaned_data["meeting_date"], user=request.user)
        messages.success(request, _("PPT date saved."))
        return redirect("contacts:student_checklist", student_pk=student.pk)
    record_student_access(user=request.user, student_ids=[student.pk], action="checklist_viewed")
    return render(request, "contacts/student_checklist.html", {
        "student": student, "tasks": selectors.student_checklist(request.user, student),
        "ppt_dates": student.ppt_dates.all(), "form": form, "language": get_language() or "en",
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scoping.require_staff(request.user)
    task = scoping.get_in_scope(ChecklistTask.objects.filter(
        staff_id=scope.staff_id or 0, student__in=scoping.staff_students_for(request.user)), pk=pk)
    checklist.checklist_task_complete(task=task, user=request.user)
    messages.success(request, _("Marked done."))
    next_url = request.POST.get("next", "")
    return redirect(next_url if next_url.startswith("/") and not next_url.startswith("//") else "contacts:my_week")


@login_required
@require_POST
def task_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the task's own staff member undoes it, as only they mark it done."""
    scope = scoping.require_staff(request.user)
    task = scoping.get_in_scope(ChecklistTask.objects.filter(
        staff_id=scope.staff_id or 0, student__in=scoping.staff_students_for(request.user)), pk=pk)
    if checklist.checklist_task_undo(task=task, user=request.user):
        messages.success(request, _("Undone: the item is open again."))
    next_url = request.POST.get("next", "")
    return redirect(next_url if next_url.startswith("/") and not next_url.startswith("//") else "contacts:my_week")


@login_required
def checklist_templates(request: HttpRequest) -> HttpResponse:
    district = scoping.administered_district(request.user)
    template = checklist.checklist_template_for(district.pk)
    return render(request, "contacts/checklist_template.html", {
        "template": template, "is_default": template is not None and template.district_id is None,
        "items": template.items.all() if template else [], "language": get_language() or "en",
    })


@login_required
@require_POST
def checklist_template_copy(request: HttpRequest) -> HttpResponse:
    district = scoping.administered_district(request.user)
    checklist.checklist_template_copy_for_district(district=district)
    messages.success(request, _("Your district now has its own copy of the checklist to edit."))
    return redirect("contacts:checklist_templates")


@login_required
def checklist_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    district = scoping.administered_district(request.user)
    item = scoping.get_in_scope(ChecklistItem.objects.filter(template__district=district), pk=pk)
    form = ChecklistItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        checklist.checklist_item_update(item=item, values=form.cleaned_data)
        messages.success(request, _("Checklist item saved."))
        return redirect("contacts:checklist_templates")
    return render(request, "contacts/checklist_item_form.html", {"form": form, "item": item},
                  status=400 if form.errors else 200)


