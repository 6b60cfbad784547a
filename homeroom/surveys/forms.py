"""Staff forms for surveys: instrument files, new surveys, sending, teams and action items."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from homeroom.roster.models import School
from homeroom.surveys.models import ActionItem, Instrument, Kind, Team

INSTRUMENT_MAX_BYTES = 200_000


class InstrumentForm(forms.Form):
    source = forms.CharField(label=_("Instrument file (JSON)"), widget=forms.Textarea(attrs={"rows": 24}),
                             required=False, max_length=INSTRUMENT_MAX_BYTES)
    upload = forms.FileField(label=_("…or upload the file"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload:
            if upload.size > INSTRUMENT_MAX_BYTES:
                raise forms.ValidationError(_("The file is too large."))
            try:
                data["source"] = upload.read().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc
        if not (data.get("source") or "").strip():
            raise forms.ValidationError(_("Paste or upload an instrument file."))
        return data


class SurveyForm(forms.Form):
    instrument = forms.ModelChoiceField(label=_("Instrument"), queryset=Instrument.objects.none())
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none(), required=False,
                                    empty_label=_("The whole district"))
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    anonymous = forms.BooleanField(label=_("Anonymous: answers are never linked to a family"), required=False,
                                   initial=True)
    public_link = forms.BooleanField(label=_("Also open a public link for the school website"), required=False)
    in_portal = forms.BooleanField(label=_("Offer it in the family portal (replaces the old feedback form)"),
                                   required=False)

    def __init__(self, *args: Any, instruments: Any, schools: Any, district_wide: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["instrument"]).queryset = instruments.exclude(
            kind=Kind.SELF_ASSESSMENT)
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = schools
        self.fields["school"].required = not district_wide


class SendForm(forms.Form):
    callback_name = forms.CharField(label=_("Call-back name"), max_length=120)
    callback_phone = forms.CharField(label=_("Call-back number"), max_length=32)
    grades = forms.CharField(label=_("Only these grades (optional, e.g. 5, 6)"), max_length=100, required=False)

    def grade_list(self) -> list[str]:
        return [g.strip() for g in self.cleaned_data.get("grades", "").split(",") if g.strip()]


class RemindForm(forms.Form):
    callback_name = forms.CharField(label=_("Call-back name"), max_length=120)
    callback_phone = forms.CharField(label=_("Call-back number"), max_length=32)


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["school", "name", "staff", "guardians"]
        widgets = {"staff": forms.CheckboxSelectMultiple, "guardians": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, schools: Any, staff: Any, guardians: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = schools
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = staff
        cast(forms.ModelChoiceField, self.fields["guardians"]).queryset = guardians


class AssessmentStartForm(forms.Form):
    instrument = forms.ModelChoiceField(label=_("Instrument"), queryset=Instrument.objects.none())
    year = forms.IntegerField(label=_("School year (starting)"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, instruments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["instrument"]).queryset = instruments.filter(kind=Kind.SELF_ASSESSMENT)


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["action", "owner", "due", "measure", "review"]
        widgets = {"action": forms.Textarea(attrs={"rows": 2}), "measure": forms.Textarea(attrs={"rows": 2}),
                   "review": forms.Textarea(attrs={"rows": 2}), "due": forms.DateInput(attrs={"type": "date"})}
