"""What a filter form offers: the part of the viewer's scope that is useful to pick from, never a whole district.

Validation still accepts anything in scope (a link may name any staff member or class); only the options
rendered are narrowed, so a page stays small however large the district. A district administrator picks a
school first (and presses Show, which works without JavaScript); the school's classes and staff follow.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator

from homeroom.access import scoping
from homeroom.roster.models import Enrollment, Section, Staff, StaffRole


def sections(user: Any, school_id: int | None) -> QuerySet[Section]:
    """A school's classes once one is chosen; otherwise the viewer's own (a teacher) or their school's."""
    offered = scoping.sections_for(user)
    if school_id:
        return offered.filter(school_id=school_id)
    if scoping.scope_for(user).district_ids:
        return offered.none()
    return offered


def staff(user: Any, school_id: int | None) -> QuerySet[Staff]:
    """Staff of the chosen school (or the viewer's schools); for a teacher, themself and their co-teachers."""
    scope = scoping.scope_for(user)
    in_scope = scoping.staff_for(user)
    school_ids = [school_id] if school_id else sorted(scope.school_ids)
    if school_ids:
        return in_scope.filter(
            Q(pk__in=StaffRole.objects.filter(school_id__in=school_ids, is_active=True).values("staff_id"))
            | Q(pk__in=Enrollment.objects.filter(
                section__school_id__in=school_ids, section__is_active=True, is_active=True, staff__isnull=False,
            ).values("staff_id"))
        )
    if scope.district_ids:
        return in_scope.none()
    return in_scope.filter(
        Q(pk=scope.staff_id or 0)
        | Q(pk__in=Enrollment.objects.filter(
            section__in=scoping.sections_for(user), is_active=True, staff__isnull=False).values("staff_id"))
    )


class _OfferedIterator(ModelChoiceIterator):
    def __init__(self, field: forms.ModelChoiceField) -> None:
        super().__init__(field)
        offered = getattr(field, "offered", None)
        if offered is not None:
            self.queryset = offered


class OfferedChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that validates against its queryset but renders only `offered` (plus the chosen one)."""

    iterator = _OfferedIterator
    offered: QuerySet[Any] | None = None

    def offer(self, offered: QuerySet[Any], chosen: Any) -> None:
        if chosen and str(chosen).isdigit() and self.queryset is not None:
            offered = offered | self.queryset.filter(pk=int(chosen))
        self.offered = offered
        self.widget.choices = self.choices

