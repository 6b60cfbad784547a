"""Forms of the programs pages; they parse input into the services' dataclasses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeroom.programs import events, teams
from homeroom.programs.models import EventKind, FapModule, Goal, GradeBand, GuideTopic, Membership, TeamKind, TeamRole
from homeroom.roster.models import Guardian, School, Staff, Student

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def language_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


class TeamForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TeamKind.choices)
    name = forms.CharField(label=_("Team name"), max_length=120)
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none(), required=False)

    def __init__(self, *args: Any, schools: Any, district_teams: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        if not district_teams:
            self.fields["kind"].choices = [(TeamKind.SCHOOL, TeamKind.SCHOOL.label)]  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=Staff.objects.none(), required=False)
    guardian = forms.ModelChoiceField(label=_("Family member"), queryset=Guardian.objects.none(),
                                      required=False)
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices, initial=TeamRole.MEMBER)
    grade = forms.CharField(label=_("Grade represented"), max_length=8, required=False)
    term_start = forms.DateField(label=_("Term starts"), widget=DATE, initial=timezone.localdate)
    term_end = forms.DateField(label=_("Term ends"), widget=DATE, required=False)

    def __init__(self, *args: Any, staff: Any, guardians: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]
        self.fields["guardian"].queryset = guardians  # type: ignore[attr-defined]

    def member(self) -> teams.MemberInput:
        data = self.cleaned_data
        return teams.MemberInput(role=data["role"], term_start=data["term_start"], term_end=data["term_end"],
                                 grade=data["grade"], staff=data["staff"], guardian=data["guardian"])


class MeetingForm(forms.Form):
    held_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME)
    place = forms.CharField(label=_("Place or video link"), max_length=255, required=False)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    decisions = forms.CharField(label=_("Decisions"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    attendees = forms.ModelMultipleChoiceField(label=_("Attendance"), queryset=Membership.objects.none(),
                                               widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = members  # type: ignore[attr-defined]

    def meeting(self) -> teams.MeetingInput:
        data = self.cleaned_data
        return teams.MeetingInput(held_at=data["held_at"], place=data["place"], agenda=data["agenda"],
                                  minutes=data["minutes"], decisions=data["decisions"])


class ActivityForm(forms.Form):
    action = forms.CharField(label=_("Activity"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label=_("Owner"), max_length=120)
    due = forms.DateField(label=_("Date"), widget=DATE)
    target_families = forms.CharField(label=_("Families it is meant to reach"), max_length=255)
    measure = forms.CharField(label=_("Measure of success"), widget=forms.Textarea(attrs={"rows": 2}))

    def activity(self) -> teams.ActivityInput:
        data = self.cleaned_data
        return teams.ActivityInput(action=data["action"], owner=data["owner"], due=data["due"],
                                   target_families=data["target_families"], measure=data["measure"])


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    module = forms.ChoiceField(label=_("Module (Families as Partners)"),
                               choices=[("", "—"), *FapModule.choices], required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    school = forms.ModelChoiceField(label=_("School (empty: district-wide)"), queryset=School.objects.none(),
                                    required=False)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=language_choices,
                                          widget=forms.CheckboxSelectMultiple, required=False)
    interpreters = forms.BooleanField(label=_("Interpreters available on request"), required=False, initial=True)
    childcare = forms.BooleanField(label=_("Childcare available on request"), required=False)
    capacity = forms.IntegerField(label=_("Seats (empty: no limit)"), min_value=1, required=False)
    is_public = forms.BooleanField(label=_("Show on the school's public page"), required=False, initial=True)

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(event: Any) -> dict[str, Any]:
        names = ("kind", "module", "title", "description", "starts_at", "ends_at", "place", "video_link",
                 "languages", "interpreters", "childcare", "capacity", "is_public")
        initial = {name: getattr(event, name) for name in names}
        for name in ("starts_at", "ends_at"):
            initial[name] = timezone.localtime(initial[name]).strftime("%Y-%m-%dT%H:%M")
        return initial

    def event(self) -> events.EventInput:
        data = self.cleaned_data
        return events.EventInput(
            kind=data["kind"], module=data["module"] if data["kind"] == EventKind.FAMILIES_AS_PARTNERS else "",
            title=data["title"], description=data["description"], starts_at=data["starts_at"],
            ends_at=data["ends_at"], place=data["place"], video_link=data["video_link"],
            languages=tuple(data["languages"]), interpreters=data["interpreters"], childcare=data["childcare"],
            capacity=data["capacity"], is_public=data["is_public"])


class EventCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (the families who said yes read it)"), max_length=500)


class VisitForm(forms.Form):
    student = forms.ModelChoiceField(label=_("Student"), queryset=Student.objects.none())
    visitor_two = forms.ModelChoiceField(label=_("Visiting with"), queryset=Staff.objects.none())
    invited_on = forms.DateField(label=_("The family invited us on"), widget=DATE)
    consent = forms.BooleanField(label=_("The family consents to the visit"))
    scheduled_for = forms.DateTimeField(label=_("Visit date and time"), widget=DATETIME)
    language = forms.ChoiceField(label=_("Language of the visit"), choices=language_choices, required=False)

    def __init__(self, *args: Any, students: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students  # type: ignore[attr-defined]
        self.fields["visitor_two"].queryset = staff  # type: ignore[attr-defined]


class VisitNoteForm(forms.Form):
    note = forms.CharField(label=_("Visit note"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    note_shared = forms.BooleanField(label=_("The family agrees that the school's staff may read this note"),
                                     required=False)


class TrainingForm(forms.Form):
    completed_on = forms.DateField(label=_("Completed on"), widget=DATE, initial=timezone.localdate)
    provider = forms.CharField(label=_("Given by"), max_length=200, required=False)


class DiscussionForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    topic = forms.ChoiceField(label=_("Topic"), choices=GuideTopic.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    held_on = forms.DateField(label=_("Held on"), widget=DATE, initial=timezone.localdate)
    facilitators = forms.ModelMultipleChoiceField(label=_("Facilitators"), queryset=Staff.objects.none())
    attendees = forms.ModelMultipleChoiceField(label=_("Attendees"), queryset=Staff.objects.none(),
                                               required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, schools: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        self.fields["facilitators"].queryset = staff  # type: ignore[attr-defined]
        self.fields["attendees"].queryset = staff  # type: ignore[attr-defined]


class PracticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    practice = forms.CharField(label=_("What we tried"), widget=forms.Textarea(attrs={"rows": 4}))
    goal = forms.ChoiceField(label=_("Goal"), choices=Goal.choices)
    grade_band = forms.ChoiceField(label=_("Grade band"), choices=GradeBand.choices)
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=language_choices,
                                          widget=forms.CheckboxSelectMultiple, required=False)
    families_reached = forms.IntegerField(label=_("Families reached"), min_value=0, initial=0)
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    file = forms.FileField(label=_("Materials (a file)"), required=False)


class PracticeFilterForm(forms.Form):
    goal = forms.ChoiceField(label=_("Goal"), choices=[("", _("Any")), *Goal.choices], required=False)
    grade_band = forms.ChoiceField(label=_("Grade band"), choices=[("", _("Any")), *GradeBand.choices],
                                   required=False)
    language = forms.ChoiceField(label=_("Language"), choices=lambda: [("", _("Any")), *language_choices()],
                                 required=False)
    text = forms.CharField(label=_("Words"), required=False)


class RotaForm(forms.Form):
    first = forms.DateField(label=_("First council meeting"), widget=DATE)
    every_weeks = forms.IntegerField(label=_("Every how many weeks"), min_value=1, max_value=12, initial=4)
    staff = forms.ModelMultipleChoiceField(label=_("Who shares, in turn"), queryset=Staff.objects.none())

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]


def later(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)
