"""Forms: log or correct a contact (with the family's preferences), monthly log filters, checklist editing."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from homeroom.access import scoping
from homeroom.contacts import filter_choices
from homeroom.contacts.filter_choices import OfferedChoiceField
from homeroom.contacts.models import ChecklistItem, ChecklistTask, Direction, Method, Outcome, Purpose
from homeroom.contacts.services import ConsentAnswer, ContactInput, PreferencesInput
from homeroom.roster.models import (
    Category,
    Channel,
    ConsentState,
    Guardian,
    School,
    Section,
    Staff,
    Student,
    UpdateFrequency,
)

LANGUAGE_CHOICES = [
    ("en", _("English")), ("es", _("Spanish")), ("pt", _("Portuguese")), ("ht", _("Haitian Creole")),
    ("pl", _("Polish")), ("ar", _("Arabic")), ("zh", _("Chinese")), ("vi", _("Vietnamese")),
    ("other", _("Another language")),
]


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value: Any) -> str | None:
        if hasattr(value, "strftime"):
            return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if timezone.is_aware(value) else (
                value.strftime("%Y-%m-%dT%H:%M"))
        return super().format_value(value)


class NamedChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class TaskChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(_("%(task)s — %(student)s (due %(due)s)")) % {
            "task": obj.item.title_for(get_language() or "en"), "student": str(obj.student),
            "due": date_format(obj.due_on)}


class ContactForm(forms.Form):
    occurred_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput,
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"])
    students = NamedChoiceField(label=_("Students"), queryset=Student.objects.none(), required=False,
                                widget=forms.CheckboxSelectMultiple)
    guardians = NamedChoiceField(label=_("Family members"), queryset=Guardian.objects.none(), required=False,
                                 widget=forms.CheckboxSelectMultiple)
    # A portal message is never logged by hand: the ledger counts it (contacts.ledger).
    method = forms.ChoiceField(label=_("Method"), choices=[c for c in Method.choices if c[0] != Method.PORTAL])
    direction = forms.ChoiceField(label=_("Who started it"), choices=Direction.choices, initial=Direction.SCHOOL,
                                  widget=forms.RadioSelect)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, initial=Outcome.REACHED)
    channel_address = forms.ChoiceField(label=_("Number or address used"), required=False,
                                        help_text=_("A wrong number or returned mail marks it as bad."))
    language = forms.ChoiceField(label=_("Language used"), choices=LANGUAGE_CHOICES, initial="en")
    interpreter_used = forms.BooleanField(label=_("An interpreter was used"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    follow_up_on = forms.DateField(label=_("Follow-up date"), required=False, widget=DateInput)
    completes = TaskChoiceField(
        label=_("This contact completes"), queryset=ChecklistTask.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick a checklist task only if this contact is what the task asks for. A contact's purpose "
                    "never completes a task by itself."),
    )
    pref_guardian = forms.ModelChoiceField(label=_("Preferences of"), queryset=Guardian.objects.none(),
                                           required=False)
    pref_channel = forms.ChoiceField(label=_("Preferred way to be contacted"), required=False,
                                     choices=[("", _("Not asked")), *list(Channel.choices)])
    pref_frequency = forms.ChoiceField(label=_("How often"), required=False,
                                       choices=[("", _("Not asked")), *list(UpdateFrequency.choices)])
    pref_best_time = forms.CharField(label=_("Best time to reach"), required=False, max_length=120)
    pref_language = forms.ChoiceField(label=_("Preferred language"), required=False,
                                      choices=[("", _("Not asked")), *list(settings.LANGUAGES)])
    pref_consent_channel = forms.ChoiceField(label=_("Consent: for"), required=False, choices=[
        ("", _("Not asked")), (Channel.SMS.value, _("Text messages")), (Channel.VOICE.value, _("Automated calls")),
        (Channel.EMAIL.value, _("Email"))])
    pref_consent_category = forms.ChoiceField(label=_("Consent: kind of message"), required=False,
                                              choices=[("", _("All kinds of messages")), *list(Category.choices)])
    pref_consent_answer = forms.ChoiceField(label=_("Consent: the family's answer"), required=False, choices=[
        (ConsentState.GIVEN.value, _("Yes, send these")), (ConsentState.REFUSED.value, _("No, do not send these"))])

    def __init__(self, *args: Any, students: Any, guardians: Any, tasks: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("students", students), ("guardians", guardians), ("pref_guardian", guardians)):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset
        if tasks is None:
            del self.fields["completes"]
        else:
            cast(forms.ModelChoiceField, self.fields["completes"]).queryset = tasks
        addresses: list[tuple[str, Any]] = [("", _("Not recorded"))]
        for guardian in guardians:
            for value, label in ((guardian.mobile_phone, _("mobile")), (guardian.home_phone, _("home phone")),
                                 (guardian.work_phone, _("work phone")), (guardian.email, _("email"))):
                if value:
                    addresses.append((value, f"{guardian} — {label}: {value}"))
        cast(forms.ChoiceField, self.fields["channel_address"]).choices = addresses

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("students") and not data.get("guardians"):
            raise forms.ValidationError(_("Choose at least one student or family member."))
        if data.get("pref_consent_channel") and not data.get("pref_consent_answer"):
            self.add_error("pref_consent_answer", _("What did the family answer?"))
        prefs = [data.get(k) for k in ("pref_channel", "pref_frequency", "pref_best_time", "pref_language",
                                       "pref_consent_channel")]
        if any(prefs) and not data.get("pref_guardian"):
            chosen = list(data.get("guardians") or [])
            if len(chosen) == 1:
                data["pref_guardian"] = chosen[0]
            else:
                self.add_error("pref_guardian", _("Whose preferences are these?"))
        return data

    def contact_input(self) -> ContactInput:
        data = self.cleaned_data
        return ContactInput(
            occurred_at=data["occurred_at"], method=data["method"], purpose=data["purpose"],
            students=list(data["students"]), guardians=list(data["guardians"]), direction=data["direction"],
            outcome=data["outcome"], language=data["language"], interpreter_used=data["interpreter_used"],
            channel_address=data["channel_address"], notes=data["notes"], follow_up_on=data["follow_up_on"],
        )

    def tasks_completed(self) -> list[ChecklistTask]:
        return list(self.cleaned_data.get("completes") or [])

    def preferences_input(self) -> PreferencesInput | None:
        data = self.cleaned_data
        if not data.get("pref_guardian"):
            return None
        return PreferencesInput(
            guardian=data["pref_guardian"], preferred_channel=data["pref_channel"],
            update_frequency=data["pref_frequency"], best_time=data["pref_best_time"],
            language=data["pref_language"],
            consent=ConsentAnswer(channel=data["pref_consent_channel"], category=data["pref_consent_category"],
                                  state=data["pref_consent_answer"]) if data.get("pref_consent_channel") else None,
        )


def month_choices(today: date, count: int = 13) -> list[tuple[str, str]]:
    from django.utils import formats

    months = []
    year, month = today.year, today.month
    for _i in range(count):
        first = date(year, month, 1)
        months.append((first.strftime("%Y-%m"), formats.date_format(first, "YEAR_MONTH_FORMAT")))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months


class MonthlyFilterForm(forms.Form):
    month = forms.CharField(label=_("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"}))
    through = forms.CharField(label=_("Through month (export only)"), required=False,
                              widget=forms.TextInput(attrs={"type": "month"}))
    staff = OfferedChoiceField(label=_("Staff member"), queryset=Staff.objects.none(), required=False,
                               empty_label=_("Everyone"))
    section = OfferedChoiceField(label=_("Class"), queryset=Section.objects.none(), required=False,
                                 empty_label=_("All classes"))
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none(), required=False,
                                    empty_label=_("All schools"))
    group = forms.ChoiceField(label=_("Spreadsheet sheets"), required=False,
                              choices=[("month", _("One sheet per month")), ("staff", _("One sheet per staff member"))])

    def __init__(self, *args: Any, staff: Any, sections: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = staff
        cast(forms.ModelChoiceField, self.fields["section"]).queryset = sections
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = schools

    def offer(self, user: Any, school_id: int | None) -> None:
        """Render only the useful part of the scope (filter_choices); an administrator picks a school first."""
        offered_staff = filter_choices.staff(user, school_id)
        offered_sections = filter_choices.sections(user, school_id)
        cast(OfferedChoiceField, self.fields["staff"]).offer(offered_staff, self.data.get("staff"))
        cast(OfferedChoiceField, self.fields["section"]).offer(offered_sections, self.data.get("section"))
        if not school_id and scoping.scope_for(user).district_ids:
            help_text = _("Choose a school and press Show to pick one of its classes or staff members.")
            self.fields["school"].help_text = help_text
            self["school"].help_text = help_text  # the bound field copied the help when the form was validated

    @staticmethod
    def parse_month(value: str) -> date | None:
        try:
            year, month = value.split("-")
            return date(int(year), int(month), 1)
        except (ValueError, AttributeError):
            return None


class TimelineFilterForm(forms.Form):
    student = forms.ModelChoiceField(label=_("Student"), queryset=Student.objects.none(), required=False,
                                     empty_label=_("All students"))
    staff = OfferedChoiceField(label=_("Staff member"), queryset=Staff.objects.none(), required=False,
                               empty_label=_("Everyone"))
    method = forms.ChoiceField(label=_("Method"), required=False, choices=[("", _("Any")), *list(Method.choices)])
    purpose = forms.ChoiceField(label=_("Purpose"), required=False, choices=[("", _("Any")), *list(Purpose.choices)])
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args: Any, students: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["student"]).queryset = students
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = staff

    def offer_staff(self, offered: Any) -> None:
        cast(OfferedChoiceField, self.fields["staff"]).offer(offered, self.data.get("staff"))


class PptDateForm(forms.Form):
    meeting_date = forms.DateField(label=_("PPT date"), widget=DateInput)


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["title", "anchor", "offset_school_days", "window_school_days", "manual_only", "completed_by_event",
                  "is_active"]
