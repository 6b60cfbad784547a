"""Forms for the family portal; they validate input and hand plain values to the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import phonenumbers
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeroom.portal.models import ChildProfile
from homeroom.roster.models import Channel, UpdateFrequency

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


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
    try:
        number = phonenumbers.parse(value, settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise forms.ValidationError(_("Enter a phone number, for example 203 555 0123.")) from exc
    if not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(_("This phone number does not look right. Please check it."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


CHANNEL_SLOTS = 4


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
    sms = forms.ChoiceField(label=_("Text messages"), choices=YES_NO, widget=forms.RadioSelect)
    voice = forms.ChoiceField(label=_("Automated phone calls"), choices=YES_NO, widget=forms.RadioSelect)
    email = forms.EmailField(label=_("Email"), required=False)
    mobile_phone = forms.CharField(label=_("Mobile phone"), max_length=32, required=False)
    home_phone = forms.CharField(label=_("Home phone"), max_length=32, required=False)
    work_phone = forms.CharField(label=_("Work phone"), max_length=32, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = list(settings.LANGUAGES)  # type: ignore[attr-defined]

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
        if data.get("sms") == "yes" and not data.get("mobile_phone"):
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


ATTACHMENT_TYPES = {".pdf", ".jpg", ".jpeg", ".png", ".heic", ".doc", ".docx", ".txt"}
MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    attachments = MultipleFileField(
        label=_("Attach files (optional)"), required=False, widget=MultipleFileInput(),
        help_text=_("Up to 3 files: PDF, photos or documents, 5 MB each."),
    )

    def clean_attachments(self) -> list[Any]:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("Attach at most 3 files."))
        for upload in files:
            suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if suffix not in ATTACHMENT_TYPES:
                raise forms.ValidationError(
                    _("This kind of file cannot be attached. Send a PDF, a photo or a document.")
                )
            if upload.size > MAX_ATTACHMENT_BYTES:
                raise forms.ValidationError(_("Each file must be smaller than 5 MB."))
        return files
