"""Forms: the upload, a staff-recorded note, a family's note, and the contact that closes an outreach task."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from homeroom.attendance.models import DocumentKind
from homeroom.contacts.models import Method, Outcome


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Attendance file (.csv)"),
                           help_text=_("One row per student and school day; the columns are described in the "
                                       "data formats guide."))
    dry_run = forms.BooleanField(label=_("Check only: report problems and changes without saving"), required=False)


class StaffNoteForm(forms.Form):
    day = forms.DateField(label=_("Day of the absence"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind of note"), choices=DocumentKind.choices)
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("What the note says"), required=False, max_length=2000, widget=forms.Textarea(
        attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day") and data.get("received_on") and data["received_on"] > date.today():
            self.add_error("received_on", _("This date is in the future."))
        return data


class FamilyNoteForm(forms.Form):
    day = forms.TypedChoiceField(label=_("Which absence?"), coerce=date.fromisoformat)
    text = forms.CharField(label=_("Your note to the school"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("For example: why your child was absent, and anything the school can help "
                                       "with."))

    def __init__(self, *args: Any, days: list[date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each day in the family's own words, as the page's table writes it ("30 de noviembre de 2026").
        self.fields["day"].choices = [(d.isoformat(), formats.date_format(d, "DATE_FORMAT"))  # type: ignore[attr-defined]
                                      for d in days]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Do not accept"))])
    kind = forms.ChoiceField(label=_("Counts as"), choices=DocumentKind.choices, required=False)


class TaskContactForm(forms.Form):
    occurred_at = forms.DateTimeField(label=_("Date and time"),
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    guardians: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Family members"), queryset=None, widget=forms.CheckboxSelectMultiple)  # type: ignore[arg-type]
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, guardians: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guardians"].queryset = guardians  # type: ignore[attr-defined]
