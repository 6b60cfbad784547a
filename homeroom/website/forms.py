"""The district editor's forms: one text box per family language where the text is the district's own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from homeroom.roster.models import School
from homeroom.website.models import Announcement, CommunityResource, PublicationSettings, PublicFile, ReachFigure


class _PerLanguage:
    """Adds `<prefix>_<code>` fields, one per language, read back into a {code: text} dict."""

    languages: list[tuple[str, str]]

    def add_language_fields(self, form: forms.BaseForm, prefix: str, label: Any, values: dict[str, str],
                            widget: Any, required_first: bool) -> None:
        for index, (code, name) in enumerate(self.languages):
            form.fields[f"{prefix}_{code}"] = forms.CharField(
                label=f"{label} ({name})", required=required_first and index == 0, widget=widget,
                initial=values.get(code, ""), max_length=4000)

    def language_values(self, form: forms.BaseForm, prefix: str) -> dict[str, str]:
        return {code: form.cleaned_data[f"{prefix}_{code}"].strip() for code, _name in self.languages
                if form.cleaned_data.get(f"{prefix}_{code}", "").strip()}


class CommunityResourceForm(_PerLanguage, forms.ModelForm):
    url = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    languages_served = forms.MultipleChoiceField(label=_("Languages served"), required=False,
                                                 widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = CommunityResource
        fields = ["category", "name", "address", "hours", "phone", "url"]

    def __init__(self, *args: Any, languages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages = languages
        served = self.fields["languages_served"]
        assert isinstance(served, forms.MultipleChoiceField)
        served.choices = languages
        self.fields["languages_served"].initial = self.instance.languages
        self.add_language_fields(self, "description", _("Description"), self.instance.descriptions,
                                 forms.Textarea(attrs={"rows": 3}), required_first=False)

    def save(self, commit: bool = True) -> CommunityResource:
        self.instance.languages = list(self.cleaned_data["languages_served"])
        self.instance.descriptions = self.language_values(self, "description")
        return super().save(commit=commit)


class AnnouncementForm(_PerLanguage, forms.ModelForm):
    class Meta:
        model = Announcement
        fields = ["school", "starts_on", "time", "place"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, languages: list[tuple[str, str]], schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages = languages
        field = self.fields["school"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = schools
        field.empty_label = str(_("Every school (the district)"))
        self.add_language_fields(self, "title", _("Title"), self.instance.titles, forms.TextInput(),
                                 required_first=True)
        self.add_language_fields(self, "body", _("Details"), self.instance.bodies,
                                 forms.Textarea(attrs={"rows": 3}), required_first=False)

    def save(self, commit: bool = True) -> Announcement:
        self.instance.titles = self.language_values(self, "title")
        self.instance.bodies = self.language_values(self, "body")
        return super().save(commit=commit)


class PublicFileForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Language"))
    MAX_BYTES = 20 * 1024 * 1024

    class Meta:
        model = PublicFile
        fields = ["kind", "school", "key", "language", "title", "file"]
        help_texts = {"key": _("The same short name for each language's file of one document, e.g. handbook-2026.")}

    def __init__(self, *args: Any, languages: list[tuple[str, str]], schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = languages
        field = self.fields["school"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = schools
        field.empty_label = str(_("Every school (the district)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".pdf", ".docx", ".odt", ".txt")):
            raise forms.ValidationError(_("Upload a PDF, Word, OpenDocument or text file."))
        return upload


class PublicationForm(forms.ModelForm):
    reach_figures = forms.MultipleChoiceField(
        label=_("Reach figures to publish (groups under 10 families never show figures)"), required=False,
        choices=ReachFigure.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = PublicationSettings
        fields = ["office_address", "office_phone", "office_email", "office_hours", "reach_figures"]


def district_schools(district_id: int) -> Any:
    return School.objects.filter(district_id=district_id, is_active=True, org_type="school").order_by("name")
