"""Meetings forms: schedule a PPT, record what happens around it, the family's prep form and requests."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeroom.contacts.forms import DateInput, DateTimeInput
from homeroom.contacts.models import Method
from homeroom.meetings import prep_questions
from homeroom.meetings.conferences import SlotSeries
from homeroom.meetings.models import (
    ConferenceFormat,
    LetterTemplate,
    MemberRole,
    Participation,
    PrepForm,
    Purpose,
    SafeguardsMethod,
)
from homeroom.meetings.services import MemberInput, PptInput
from homeroom.roster.models import Guardian

# The staff roles of a PPT, each chosen from the school's staff or typed (an outside evaluator, say).
STAFF_ROLES = (
    MemberRole.GENERAL_EDUCATION, MemberRole.SPECIAL_EDUCATION, MemberRole.DISTRICT_REPRESENTATIVE,
    MemberRole.EVALUATION_INTERPRETER,
)
OTHER_ROWS = 2


class TimeInput(forms.TimeInput):
    input_type = "time"


class PptForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    meeting_date = forms.DateField(label=_("Date"), widget=DateInput)
    meeting_time = forms.TimeField(label=_("Time"), widget=TimeInput)
    duration_minutes = forms.IntegerField(label=_("Length in minutes"), min_value=15, max_value=480, initial=60)
    place = forms.CharField(label=_("Place"), required=False, max_length=255)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    interpreter_needed = forms.BooleanField(label=_("An interpreter is needed"), required=False)
    interpreter_language = forms.CharField(label=_("Interpreter language"), required=False, max_length=35)
    parents = forms.ModelMultipleChoiceField(label=_("Parents invited"), queryset=Guardian.objects.none(),
                                             widget=forms.CheckboxSelectMultiple, required=False)
    early_notice_agreed_on = forms.DateField(
        label=_("The parent agreed to a meeting with less than five school days' notice on"), required=False,
        widget=DateInput,
    )
    early_notice_note = forms.CharField(label=_("How the parent agreed"), required=False, max_length=255)

    def __init__(self, *args: Any, parents: list[Guardian], staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["parents"]).queryset = Guardian.objects.filter(
            pk__in=[g.pk for g in parents])
        self.fields["parents"].initial = [g.pk for g in parents]
        self.staff_choices = {member.pk: member for member in staff}
        choices = [("", "—")] + [(str(member.pk), str(member)) for member in staff]
        self.role_rows = []
        for role in STAFF_ROLES:
            label = MemberRole(role).label
            self.fields[f"{role}_staff"] = forms.ChoiceField(label=label, choices=choices, required=False)
            self.fields[f"{role}_name"] = forms.CharField(
                label=_("or another person's name (%(role)s)") % {"role": label}, required=False, max_length=200)
            self.role_rows.append((self[f"{role}_staff"], self[f"{role}_name"]))
        self.other_rows = []
        for index in range(OTHER_ROWS):
            self.fields[f"other{index}_role"] = forms.ChoiceField(
                label=_("Role"), choices=[("", "—"), *MemberRole.choices], required=False)
            self.fields[f"other{index}_name"] = forms.CharField(label=_("Name"), required=False, max_length=200)
            self.other_rows.append((self[f"other{index}_role"], self[f"other{index}_name"]))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("place") and not data.get("video_link"):
            raise forms.ValidationError(_("Give a place or a video link."))
        if data.get("early_notice_agreed_on") and not data.get("early_notice_note"):
            self.add_error("early_notice_note", _("Say how the parent agreed (call, letter, in person)."))
        return data

    def members(self) -> list[MemberInput]:
        data = self.cleaned_data
        members = [MemberInput(role=MemberRole.PARENT, name=f"{g.given_name} {g.family_name}", guardian_id=g.pk)
                   for g in data["parents"]]
        for role in STAFF_ROLES:
            staff_id = int(data[f"{role}_staff"]) if data.get(f"{role}_staff") else None
            if staff_id is not None and staff_id in self.staff_choices:
                members.append(MemberInput(role=role, name=str(self.staff_choices[staff_id]), staff_id=staff_id))
            if data.get(f"{role}_name"):
                members.append(MemberInput(role=role, name=data[f"{role}_name"]))
        for index in range(OTHER_ROWS):
            if data.get(f"other{index}_role") and data.get(f"other{index}_name"):
                members.append(MemberInput(role=data[f"other{index}_role"], name=data[f"other{index}_name"]))
        return members

    def to_input(self) -> PptInput:
        data = self.cleaned_data
        starts_at = timezone.make_aware(dt.datetime.combine(data["meeting_date"], data["meeting_time"]))
        return PptInput(
            purpose=data["purpose"], starts_at=starts_at, members=self.members(), place=data["place"],
            video_link=data["video_link"], duration_minutes=data["duration_minutes"],
            interpreter_needed=data["interpreter_needed"], interpreter_language=data["interpreter_language"],
            early_notice_agreed_on=data["early_notice_agreed_on"], early_notice_note=data["early_notice_note"],
        )


class InvitationForm(forms.Form):
    safeguards_enclosed = forms.BooleanField(
        label=_("A copy of the procedural safeguards goes with this invitation"), required=False)


class EarlyNoticeForm(forms.Form):
    agreed_on = forms.DateField(label=_("The parent agreed on"), widget=DateInput)
    note = forms.CharField(label=_("How the parent agreed"), max_length=255)


class SafeguardsForm(forms.Form):
    guardian = forms.ModelChoiceField(label=_("Parent"), queryset=Guardian.objects.none())
    given_on = forms.DateField(label=_("Given on"), widget=DateInput, initial=timezone.localdate)
    method = forms.ChoiceField(label=_("How"), choices=SafeguardsMethod.choices)

    def __init__(self, *args: Any, parents: list[Guardian], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["guardian"]).queryset = Guardian.objects.filter(
            pk__in=[g.pk for g in parents])


class HeldForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput, initial=timezone.localdate)


class IepSentForm(forms.Form):
    sent_on = forms.DateField(label=_("IEP sent to the family on"), widget=DateInput, initial=timezone.localdate)


class FollowUpForm(forms.Form):
    occurred_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput, initial=timezone.now)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class StudentSearchForm(forms.Form):
    name = forms.CharField(label=_("Student's name"), max_length=120)


class PrepFormForm(forms.ModelForm):
    participation = forms.ChoiceField(label=prep_questions.PARTICIPATION_LABEL, choices=Participation.choices,
                                      widget=forms.RadioSelect, required=False)

    class Meta:
        model = PrepForm
        fields = ["strengths", "concerns", "questions", "team_should_know", "participation", "bringing"]
        labels = {**dict(prep_questions.WRITTEN), "bringing": prep_questions.BRINGING_LABEL}
        widgets = {name: forms.Textarea(attrs={"rows": 4})
                   for name in ("strengths", "concerns", "questions", "team_should_know")}


class PaperPrepForm(PrepFormForm):
    """The parent's paper form, typed in by staff: whose form it is, then the portal form's fields."""

    guardian = forms.ModelChoiceField(label=_("Parent who filled in the paper form"), queryset=Guardian.objects.none())

    def __init__(self, *args: Any, parents: list[Guardian], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["guardian"])
        field.queryset = Guardian.objects.filter(pk__in=[g.pk for g in parents])
        self.order_fields(["guardian", *PrepFormForm.Meta.fields])


class FamilyRequestForm(forms.Form):
    reason = forms.CharField(label=_("What you are asking for, and why"), widget=forms.Textarea(attrs={"rows": 6}),
                             max_length=5000)


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24})}



class SlotSeriesForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput)
    first = forms.TimeField(label=_("First conference starts at"), widget=TimeInput)
    count = forms.IntegerField(label=_("How many conferences"), min_value=1, max_value=40, initial=8)
    minutes = forms.IntegerField(label=_("Minutes each"), min_value=5, max_value=120, initial=15)
    format = forms.ChoiceField(label=_("How"), choices=ConferenceFormat.choices)
    where = forms.CharField(label=_("Room, phone number or video link"), required=False, max_length=255)

    def series(self) -> SlotSeries:
        return SlotSeries(**self.cleaned_data)


class BookingForm(forms.Form):
    action = forms.ChoiceField(choices=[("book", "book"), ("move", "move"), ("cancel", "cancel")])
    slot = forms.IntegerField(required=False, widget=forms.HiddenInput)
    student = forms.IntegerField(required=False, widget=forms.HiddenInput)
    booking = forms.IntegerField(required=False, widget=forms.HiddenInput)
    interpreter_language = forms.CharField(label=_("I would like an interpreter for (language)"), required=False,
                                           max_length=35)
