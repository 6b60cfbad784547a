"""Compose form: category, audience within the sender's reach, call-back line, schedule, text per language.

Also the saved-list form (name and members) and the filter that narrows the families shown for ticking.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from homeroom.access import scoping
from homeroom.core.language_tags import normalize_language_tag
from homeroom.messaging.compose import picker
from homeroom.messaging.compose.picker import FAMILY_TOKEN_KEY
from homeroom.messaging.compose.staff_attachments import AttachmentError, attachment_label, staff_attachments_check
from homeroom.messaging.family_link import family_students
from homeroom.messaging.models import AudienceKind, SavedList
from homeroom.messaging.policy import COMPOSE_CATEGORIES
from homeroom.messaging.services import ContentInput
from homeroom.roster.models import School, Section, Student


def single_line(value: str) -> None:
    """A subject becomes an email header: a line break in it would be refused when the email is built."""
    if "\n" in value or "\r" in value:
        raise forms.ValidationError(_("A subject must be on one line."), code="newline")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def _body_widget() -> forms.Textarea:
    """A message box that refreshes the text counters while the sender types (htmx; without it, on preview)."""
    return forms.Textarea(attrs={"rows": 5, "hx-post": reverse_lazy("messaging:counter"),
                                 "hx-trigger": "input changed delay:600ms", "hx-target": "#text-counters",
                                 "hx-swap": "innerHTML", "aria-describedby": "text-counters"})


class ComposeForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=COMPOSE_CATEGORIES)
    # The picker's chips (compose.picker keys). Without any, the older single-kind fields below describe the audience.
    pick = forms.MultipleChoiceField(required=False, widget=forms.MultipleHiddenInput)
    find = forms.CharField(label=_("Find a family, class, grade, school or list"), required=False, max_length=100,
                           help_text=_("A name or a student number; accents do not matter."))
    audience_kind = forms.ChoiceField(label=_("Send to"), choices=[("", "—"), *AudienceKind.choices], required=False)
    schools: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Schools"), queryset=School.objects.none(), required=False
    )
    grades = forms.CharField(label=_("Grades (comma separated)"), required=False, max_length=100)
    sections: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Classes"), queryset=Section.objects.none(), required=False
    )
    lists: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Saved lists"), queryset=SavedList.objects.none(), required=False
    )
    # "Message this family" (a student's, guardian's or household's page) fills this with an opaque token
    # (messaging.family_link); nobody types a record id.
    family = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)
    callback_name = forms.CharField(label=_("Call-back name"), max_length=120)
    callback_phone = forms.CharField(label=_("Call-back number"), max_length=32)
    scheduled_for = forms.DateTimeField(
        label=_("Send at (leave empty to send now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    subject_en = forms.CharField(label=_("Subject (English)"), max_length=200, required=False,
                                 validators=[single_line])
    body_en = forms.CharField(label=_("Message (English)"), widget=_body_widget(), required=False)
    subject_es = forms.CharField(label=_("Subject (Spanish)"), max_length=200, required=False,
                                 validators=[single_line])
    body_es = forms.CharField(label=_("Message (Spanish)"), widget=_body_widget(), required=False)
    attachments = MultipleFileField(
        label=_("Attach files (optional)"), required=False, widget=MultipleFileInput(attrs={
            "accept": "application/pdf,image/png,image/jpeg"}),
        help_text=_("Up to 3 files: PDF, PNG or JPEG, 5 MB each. Families get a link in texts and emails."),
    )
    remove_attachment = forms.MultipleChoiceField(label=_("Remove"), required=False,
                                                  widget=forms.CheckboxSelectMultiple)
    other_language = forms.CharField(label=_("Another language (code, e.g. pt)"), max_length=35, required=False)
    subject_other = forms.CharField(label=_("Subject (other language)"), max_length=200, required=False,
                                    validators=[single_line])
    body_other = forms.CharField(label=_("Message (other language)"), widget=_body_widget(), required=False)

    def __init__(self, *args: Any, user: Any, kept_files: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.kept_files = list(kept_files or [])  # a draft's files already stored
        self.fields["remove_attachment"].choices = [  # type: ignore[attr-defined]
            (str(i), attachment_label(name)) for i, name in enumerate(self.kept_files)]
        token = self.data.get("family") if self.is_bound else self.initial.get("family")
        self.family_students = family_students(user, token) if token else []
        scope = scoping.scope_for(user)
        keys = self.data.getlist("pick") if self.is_bound and hasattr(self.data, "getlist") else (
            self.data.get("pick", []) if self.is_bound else self.initial.get("pick", []))
        self.chips = picker.chips(user, list(keys))
        self.fields["pick"].choices = [(c.key, c.label) for c in self.chips]  # type: ignore[attr-defined]
        self.family_chip = None
        if self.family_students and not self.chips:
            names = ", ".join(str(s) for s in self.family_students)
            self.family_chip = picker.with_counts(user, picker.Choice(
                FAMILY_TOKEN_KEY, AudienceKind.FAMILY, _("the family of %(names)s") % {"names": names},
                {"kind": AudienceKind.FAMILY, "students": [s.pk for s in self.family_students]}))
        self.fields["schools"].queryset = scoping.schools_for(user)  # type: ignore[attr-defined]
        self.fields["sections"].queryset = scoping.sections_for(user)  # type: ignore[attr-defined]
        self.fields["lists"].queryset = SavedList.objects.filter(owner_id=scope.staff_id)  # type: ignore[attr-defined]

    @property
    def all_chips(self) -> list[picker.Choice]:
        return [self.family_chip] if self.family_chip else list(self.chips)

    def clean_attachments(self) -> list[Any]:
        removed = len(self.data.getlist("remove_attachment")) if hasattr(self.data, "getlist") else 0
        try:
            return staff_attachments_check(self.cleaned_data.get("attachments") or [],
                                           already=len(self.kept_files) - removed)
        except AttachmentError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def files_kept(self) -> list[str]:
        """The draft's stored files the sender did not tick to remove."""
        removed = {int(i) for i in self.cleaned_data.get("remove_attachment") or []}
        return [name for i, name in enumerate(self.kept_files) if i not in removed]

    def clean_other_language(self) -> str:
        value: str = self.cleaned_data.get("other_language") or ""
        if not value.strip():
            return ""
        tag = normalize_language_tag(value)
        if tag is None:
            raise forms.ValidationError(
                _("“%(value)s” is not a language tag Homeroom knows. Use a code such as pt, vi, ht or pt-BR."),
                params={"value": value.strip()[:35]},
            )
        return tag

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.family_chip is not None and not data.get("audience_kind"):
            data["audience_kind"] = AudienceKind.FAMILY  # "Message this family": the family's chip alone
        if not self.chips and not data.get("audience_kind"):
            self.add_error("find", _("Add at least one family, class, grade, school or list."))
        if data.get("audience_kind") == AudienceKind.FAMILY and not self.family_students and not self.chips:
            self.add_error("audience_kind", _("To write to one family, use “Message this family” on the student's, "
                                              "family member's or household's page."))
        other = data.get("other_language")
        if other in ("en", "es") and data.get(f"body_{other}") and data.get("body_other"):
            self.add_error("other_language", _("This language already has its own fields above."))
        filled = self.contents()
        if not filled:
            raise forms.ValidationError(_("Write the message in at least one language."))
        for prefix in ("en", "es", "other"):
            subject, body = data.get(f"subject_{prefix}"), data.get(f"body_{prefix}")
            if bool(subject) != bool(body):
                raise forms.ValidationError(_("Each language needs both a subject and a message."))
        if data.get("body_other") and not data.get("other_language"):
            self.add_error("other_language", _("Say which language the other text is in."))
        return data

    def audience(self) -> dict[str, Any]:
        if self.chips:
            return picker.audience_for(self.chips)
        data = self.cleaned_data
        kind = data["audience_kind"]
        audience: dict[str, Any] = {"kind": kind}
        if kind in (AudienceKind.SCHOOLS, AudienceKind.GRADES):
            audience["schools"] = [s.pk for s in data.get("schools") or []]
        if kind == AudienceKind.GRADES:
            audience["grades"] = [g.strip() for g in (data.get("grades") or "").split(",") if g.strip()]
        if kind == AudienceKind.SECTIONS:
            audience["sections"] = [s.pk for s in data.get("sections") or []]
        if kind == AudienceKind.LIST:
            audience["lists"] = [s.pk for s in data.get("lists") or []]
        if kind == AudienceKind.FAMILY:
            audience["students"] = [s.pk for s in self.family_students]
        return audience

    def audience_label(self) -> str:
        if self.chips:
            return picker.audience_label(self.chips)
        data = self.cleaned_data
        names = [str(x) for key in ("schools", "sections", "lists") for x in (data.get(key) or [])]
        label = str(AudienceKind(data["audience_kind"]).label)
        return f"{label}: {', '.join(names)}" if names else label

    def contents(self) -> list[ContentInput]:
        data = getattr(self, "cleaned_data", {})
        result = []
        for prefix, language in (("en", "en"), ("es", "es"), ("other", data.get("other_language") or "")):
            subject, body = data.get(f"subject_{prefix}"), data.get(f"body_{prefix}")
            if subject and body and language:
                result.append(ContentInput(language=language.strip().lower(), subject=subject, body=body))
        return result


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class ReviewForm(forms.Form):
    """Staff confirm (and may correct) a machine-translated draft."""

    subject = forms.CharField(label=_("Subject"), max_length=200, validators=[single_line])
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}))


class SavedListForm(forms.Form):
    """A saved list's name and members; members can only be students the staff member may reach."""

    name = forms.CharField(label=_("List name"), max_length=120, required=False)
    # Never rendered as a widget (it would list every student in scope): the template draws the tick boxes.
    students: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Families"),
        queryset=Student.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("You may only add families of students you work with.")},
    )

    def __init__(self, *args: Any, user: Any, saving: bool, instance: SavedList | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.saving = saving
        self.instance = instance
        self.owner_id = scoping.scope_for(user).staff_id
        self.fields["students"].queryset = scoping.staff_students_for(user)  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name: str = (self.cleaned_data.get("name") or "").strip()
        if not self.saving:
            return name
        if not name:
            raise forms.ValidationError(_("Give the list a name."))
        same = SavedList.objects.filter(owner_id=self.owner_id, name__iexact=name)
        if self.instance is not None:
            same = same.exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError(_("You already have a list with this name."))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.saving and "students" in data and not data["students"]:
            self.add_error("students", _("Tick at least one family."))
        return data


class SavedListFilterForm(forms.Form):
    """Narrows the families shown for ticking (a POST, so names searched for stay out of URLs and logs)."""

    school: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False, empty_label=_("All my schools")
    )
    section: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Class"), queryset=Section.objects.none(), required=False, empty_label=_("All my classes")
    )
    grade = forms.CharField(label=_("Grade"), max_length=8, required=False)
    q = forms.CharField(label=_("Name of a student or family member"), max_length=100, required=False)

    SECTION_CHOICES_LIMIT = 300  # more classes than this (a district administrator's): choose a school first

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schools = scoping.schools_for(user).order_by("name")
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        sections = scoping.sections_for(user).select_related("school").order_by("school__name", "title")
        school_id = self.data.get("school") if self.is_bound else None
        if school_id and str(school_id).isdigit():
            sections = sections.filter(school_id=int(school_id))
        elif sections.count() > self.SECTION_CHOICES_LIMIT:
            sections = sections.none()
            self.fields["section"].help_text = _("Choose a school and press Show families to pick one of its classes.")
        self.fields["section"].queryset = sections  # type: ignore[attr-defined]
        self.fields["section"].label_from_instance = (  # type: ignore[attr-defined]
            lambda s: f"{s.title} ({s.school.name})"
        )

    def filters(self) -> dict[str, Any]:
        """The cleaned filter values (none when the form is unbound or invalid)."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "school_id": data["school"].pk if data.get("school") else None,
            "section_id": data["section"].pk if data.get("section") else None,
            "grade": (data.get("grade") or "").strip(),
            "query": (data.get("q") or "").strip(),
        }
