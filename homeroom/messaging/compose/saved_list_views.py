"""Staff pages for saved lists: my lists, create and edit (name and families, picked within scope), delete."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.access.access_log import record_student_access
from homeroom.messaging.compose import saved_lists
from homeroom.messaging.compose.forms import SavedListFilterForm, SavedListForm
from homeroom.messaging.models import SavedList

# The buttons of the list form: narrow what is shown, tick everyone shown, or save.
FILTER, ADD_SHOWN, SAVE = "filter", "add_shown", "save"


def _owned(request: HttpRequest, pk: int) -> SavedList:
    saved_list: SavedList = scoping.get_in_scope(saved_lists.saved_lists_for(request.user), pk=pk)
    return saved_list


@login_required
def saved_list_index(request: HttpRequest) -> HttpResponse:
    scoping.require_staff(request.user)
    lists = saved_lists.saved_lists_with_counts(request.user)
    return render(request, "messaging/saved_lists/index.html", {"lists": lists})


@login_required
def saved_list_create(request: HttpRequest) -> HttpResponse:
    scoping.require_staff(request.user)
    return _edit(request, None)


@login_required
def saved_list_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    return _edit(request, _owned(request, pk))


def _posted_ids(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("students") if v.isdigit()][:5000]


def _edit(request: HttpRequest, saved_list: SavedList | None) -> HttpResponse:
    """One page for create and edit; without JavaScript each button posts the whole form back."""
    scope = scoping.require_staff(request.user)
    user = request.user
    action = request.POST.get("action", FILTER) if request.method == "POST" else ""
    if request.method == "POST":
        form = SavedListForm(request.POST, user=user, saving=action == SAVE, instance=saved_list)
        filter_form = SavedListFilterForm(request.POST, user=user)
        # Out-of-scope ids are dropped here and reported by the form's error.
        chosen = saved_lists.saved_list_students(user, _posted_ids(request))
    else:
        form = SavedListForm(initial={"name": saved_list.name if saved_list else ""}, user=user, saving=False,
                             instance=saved_list)
        filter_form = SavedListFilterForm(user=user)
        chosen = saved_lists.saved_list_members(user, saved_list) if saved_list else []
    unreachable = saved_lists.saved_list_unreachable_count(user, saved_list) if saved_list else 0
    filters = saved_lists.CandidateFilter(**filter_form.filters())
    if request.method == "POST" and form.is_valid():
        if action == SAVE:
            students = form.cleaned_data["students"]
            if saved_list is None:
                saved_list = saved_lists.saved_list_create(
                    owner_id=scope.staff_id or 0, name=form.cleaned_data["name"], students=students
                )
            else:
                saved_lists.saved_list_update(saved_list=saved_list, name=form.cleaned_data["name"],
                                              students=students)
            flash.success(request, _("The list “%(name)s” is saved.") % {"name": saved_list.name})
            return redirect("messaging:saved_lists")
        if action == ADD_SHOWN:
            shown, _more = saved_lists.saved_list_candidates(user, filters=filters,
                                                             exclude_ids=[s.pk for s in chosen])
            chosen = saved_lists.saved_list_students(user, [s.pk for s in chosen] + [s.pk for s in shown])
    candidates, more = saved_lists.saved_list_candidates(user, filters=filters, exclude_ids=[s.pk for s in chosen])
    record_student_access(user=user, student_ids=[s.pk for s in chosen] + [s.pk for s in candidates],
                          action="saved_list_form")
    return render(
        request,
        "messaging/saved_lists/edit.html",
        {
            "saved_list": saved_list,
            "form": form,
            "filter_form": filter_form,
            "chosen": chosen,
            "candidates": candidates,
            "more": more,
            "limit": saved_lists.CANDIDATE_LIMIT,
            "unreachable": unreachable,
        },
    )


@login_required
def saved_list_delete(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    saved_list = _owned(request, pk)
    if request.method == "POST":
        name = saved_list.name
        saved_lists.saved_list_delete(saved_list=saved_list)
        flash.success(request, _("The list “%(name)s” was deleted.") % {"name": name})
        return redirect("messaging:saved_lists")
    return render(request, "messaging/saved_lists/delete.html", {"saved_list": saved_list})
