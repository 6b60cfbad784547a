"""The family's RSVP form (family-facing: every string in every shipped language)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from homeroom.programs import events
from homeroom.programs.forms import language_choices


class RsvpForm(forms.Form):
    seats = forms.IntegerField(label=_("How many people will come?"), min_value=1, max_value=events.MAX_SEATS,
                               initial=1)
    interpreter_language = forms.ChoiceField(label=_("Do you need an interpreter?"), required=False)
    childcare_children = forms.IntegerField(label=_("How many children need childcare?"), min_value=0,
                                            max_value=events.MAX_SEATS, initial=0, required=False)

    def __init__(self, *args: Any, childcare: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interpreter_language"].choices = [("", _("No, thank you")),  # type: ignore[attr-defined]
                                                       *language_choices()]
        if not childcare:
            del self.fields["childcare_children"]

    def rsvp(self) -> events.RsvpInput:
        data = self.cleaned_data
        return events.RsvpInput(seats=data["seats"], interpreter_language=data["interpreter_language"],
                                childcare_children=data.get("childcare_children") or 0)
