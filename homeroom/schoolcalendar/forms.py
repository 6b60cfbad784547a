"""Forms for the school calendar page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from homeroom.roster.models import School


class _DateRangeForSchoolForm(forms.Form):
    """A start and end date for one school (or, left empty, the whole district) among those the user may edit."""

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["school"]
        field.queryset = schools  # type: ignore[attr-defined]
        field.required = False
        field.empty_label = _("Whole district")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day comes before the first."))
        return data


class DateInput(forms.DateInput):
    input_type = "date"


class ClosureForm(_DateRangeForSchoolForm):
    start_date = forms.DateField(label=_("From"), widget=DateInput)
    end_date = forms.DateField(label=_("To (leave empty for one day)"), required=False, widget=DateInput)
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class YearForm(_DateRangeForSchoolForm):
    label = forms.CharField(label=_("School year"), max_length=32, help_text=_("For example 2025–26"))
    start_date = forms.DateField(label=_("First day"), widget=DateInput)
    end_date = forms.DateField(label=_("Last day"), widget=DateInput)
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Closures CSV file"))
