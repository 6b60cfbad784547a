"""Forms for the family portal; they validate input and hand plain values to the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeroom.messaging.conversations.attachments import AttachmentError, attachments_check
from homeroom.portal.models import ChildProfile
from homeroom.roster.models import CHOOSABLE_CATEGORIES, Channel, ConsentState, UpdateFrequency
from homeroom.roster.reachability import to_e164

# The channels a family gives consent for, and the order the page shows them in.
CONSENT_CHANNELS = (Channel.SMS.value, Channel.VOICE.value, Channel.EMAIL.value)
ANSWERS = [(ConsentState.GIVEN.value, _("Yes")), (ConsentState.REFUSED.value, _("No"))]


class ChildProfileForm(forms.ModelForm):
    class Meta:
        model = ChildProfile
        fields = [*ChildProfile.TEXT_FIELDS, "shared_with_teachers"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ChildProfile.TEXT_FIELDS}
        labels = {
            "strengths": _("What is your child good at?"),
            "interests": _("What does your child enjoy?"),
            "what_helps": _("What helps your child learn or feel calm?"),
            "worries": _("What worries your child (or you)?"),
            "health_routines": _("Health needs and routines you want the school to know"),
            "contact_wishes": _("How does your family want to be contacted?"),
            "shared_with_teachers": _("Share this with my child's teachers, this year and next"),
        }


def e164(value: str) -> str:
    """A phone number as E.164, read in the district's region; '' stays ''."""
    value = value.strip()
    if not value:
        return ""
    number = to_e164(value)
    if number is None:
        if not any(ch.isdigit() for ch in value):
            raise forms.ValidationError(_("Enter a phone number, for example 203 555 0123."))
        raise forms.ValidationError(_("This phone number does not look right. Please check it."))
    return number


CHANNEL_SLOTS = 4


def consent_field(channel: str, category: str) -> str:
    return f"consent_{channel}_{category}"


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=[])
    channel_1 = forms.ChoiceField(label=_("First choice"), choices=Channel.choices)
    channel_2 = forms.ChoiceField(label=_("Second choice"), choices=Channel.choices)
    channel_3 = forms.ChoiceField(label=_("Third choice"), choices=Channel.choices)
    channel_4 = forms.ChoiceField(label=_("Fourth choice"), choices=Channel.choices)
    update_frequency = forms.ChoiceField(label=_("How often would you like updates?"), choices=UpdateFrequency.choices)
    best_time = forms.CharField(
        label=_("Best time to reach you"), max_length=120, required=False,
        help_text=_("For example: weekdays after 5 pm"),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    mobile_phone = forms.CharField(label=_("Mobile phone"), max_length=32, required=False)
    home_phone = forms.CharField(label=_("Home phone"), max_length=32, required=False)
    work_phone = forms.CharField(label=_("Work phone"), max_length=32, required=False)

    def __init__(self, *args: Any, consent: dict[tuple[str, str], str] | None = None,
                 languages: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        """`consent` is the family's current state per (channel, category), shown as it is; `languages` are the
        district's (core.i18n.offered_languages), each named in itself."""
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = list(languages or settings.LANGUAGES)  # type: ignore[attr-defined]
        self.consent = consent or {}
        for channel in CONSENT_CHANNELS:
            for category, label in CHOOSABLE_CATEGORIES:
                current = self.consent.get((channel, category), ConsentState.NONE.value)
                # "No answer yet" is offered only while it is true: the page never turns an answer into none.
                choices = ([(ConsentState.NONE.value, _("No answer yet"))] if not current else []) + ANSWERS
                self.fields[consent_field(channel, category)] = forms.ChoiceField(
                    label=label, choices=choices, required=False, initial=current)

    def consent_fields(self, channel: str) -> list[forms.BoundField]:
        return [self[consent_field(channel, category)] for category, _label in CHOOSABLE_CATEGORIES]

    def consent_changes(self) -> dict[tuple[str, str], str]:
        """Only the answers the family changed on this page; everything else stays as it was."""
        changes = {}
        for channel in CONSENT_CHANNELS:
            for category, _label in CHOOSABLE_CATEGORIES:
                answer = self.cleaned_data.get(consent_field(channel, category)) or ""
                if answer and answer != self.consent.get((channel, category), ConsentState.NONE.value):
                    changes[(channel, category)] = answer
        return changes

    def clean_mobile_phone(self) -> str:
        return e164(self.cleaned_data["mobile_phone"])

    def clean_home_phone(self) -> str:
        return e164(self.cleaned_data["home_phone"])

    def clean_work_phone(self) -> str:
        return e164(self.cleaned_data["work_phone"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        order = [data.get(f"channel_{i}") for i in range(1, CHANNEL_SLOTS + 1)]
        if None not in order and len(set(order)) != len(order):
            raise forms.ValidationError(_("Choose each way of reaching you only once."))
        wants_texts = any(data.get(consent_field(Channel.SMS, c)) == ConsentState.GIVEN
                          for c, _label in CHOOSABLE_CATEGORIES)
        if wants_texts and not data.get("mobile_phone"):
            self.add_error("mobile_phone", _("Add a mobile phone number to get text messages."))
        return data

    @property
    def channel_order(self) -> list[str]:
        return [self.cleaned_data[f"channel_{i}"] for i in range(1, CHANNEL_SLOTS + 1)]


class SectionNoteForm(forms.Form):
    week_of = forms.DateField(label=_("Week of"), widget=forms.DateInput(attrs={"type": "date"}))
    body = forms.CharField(
        label=_("What we're working on this week"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )
    public = forms.BooleanField(
        label=_("Also show it on the school's public page (write no student's name)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["week_of"].initial = today - dt.timedelta(days=today.weekday())


class GlossarySearchForm(forms.Form):
    q = forms.CharField(label=_("Search the glossary"), max_length=100, required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    attachments = MultipleFileField(
        label=_("Attach files (optional)"), required=False, widget=MultipleFileInput(),
        help_text=_("Up to 3 files: PDF, photos or documents, 5 MB each."),
    )

    def clean_attachments(self) -> list[Any]:
        # Checked by content and size (messaging.attachments), not only by the name the file came with.
        try:
            return attachments_check(self.cleaned_data.get("attachments") or [])
        except AttachmentError as exc:
            raise forms.ValidationError(str(exc)) from exc


class ConversationStartForm(forms.Form):
    """A family writes first: to one of their child's teachers or case manager (messaging.family_start)."""

    recipient = forms.ChoiceField(label=_("Write to"), widget=forms.RadioSelect)
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)

    def __init__(self, *args: Any, recipients: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recipients = {r.key: r for r in recipients}
        self.fields["recipient"].choices = [(r.key, r.label) for r in recipients]  # type: ignore[attr-defined]
        if len(recipients) == 1:
            self.fields["recipient"].initial = recipients[0].key

    def chosen(self) -> Any:
        return self.recipients[self.cleaned_data["recipient"]]
