"""The district's editor of the portal's guidance: glossary, expectations and resources, in each language, with
a preview. District administrators only; the rows they save are their district's own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from homeroom.access import scoping
from homeroom.access.i18n import enabled_languages
from homeroom.portal import content
from homeroom.portal.content import Text

KINDS = {"glossary": gettext_lazy("Glossary"), "expectation": gettext_lazy("Expectations"),
         "resource": gettext_lazy("Resources")}


class ContentForm(forms.Form):
    key = forms.SlugField(label=gettext_lazy("Short name (letters, numbers and hyphens)"), max_length=80)
    url = forms.URLField(label=gettext_lazy("Link"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, languages: list[tuple[str, str]], texts: dict[str, Text], guide: bool,
                 new: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages = languages
        if not new:
            del self.fields["key"]
        if not guide:
            del self.fields["url"]
        title_label = _("Title") if guide else _("Word")
        body_label = _("Text") if guide else _("Meaning")
        for index, (code, name) in enumerate(languages):
            text = texts.get(content.stored_language(code))
            self.fields[f"title_{code}"] = forms.CharField(
                label=f"{title_label} ({name})", required=index == 0, max_length=255,
                initial=text.title if text else "")
            self.fields[f"body_{code}"] = forms.CharField(
                label=f"{body_label} ({name})", required=False,
                widget=forms.Textarea(attrs={"rows": 4}), initial=text.body if text else "")

    def texts(self) -> dict[str, Text]:
        return {code: Text(self.cleaned_data[f"title_{code}"].strip(), self.cleaned_data[f"body_{code}"].strip())
                for code, _name in self.languages if self.cleaned_data[f"title_{code}"].strip()}


@login_required
def content_index(request: HttpRequest) -> HttpResponse:
    district = scoping.administered_district(request.user)
    return render(request, "portal/staff_content.html", {
        "glossary": content.glossary_keys(district),
        "expectations": content.guide_keys(district, "expectation"),
        "resources": content.guide_keys(district, "resource"),
    })


@login_required
def content_edit(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    district = scoping.administered_district(request.user)
    if kind not in KINDS:
        raise Http404
    guide = kind != "glossary"
    new = key == "new"
    url = topic = ""
    if guide:
        texts, url, topic = content.guide_texts(district, kind, key)
    else:
        texts = content.glossary_texts(district, key)
    if not new and not texts:
        raise Http404
    languages = enabled_languages([district.family_languages or []])
    form = ContentForm(request.POST or None, initial={"url": url}, languages=languages, texts=texts, guide=guide,
                       new=new)
    preview = None
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data.get("key", key)
        if "preview" in request.POST:
            names = dict(languages)
            preview = [(code, names[code], text) for code, text in form.texts().items()]
        elif guide:
            content.guide_save(district=district, kind=kind, key=key, texts=form.texts(),
                               url=form.cleaned_data["url"], topic=topic)
        else:
            content.glossary_save(district=district, key=key, texts=form.texts())
        if preview is None:
            messages.success(request, _("Saved. Families read the new wording now."))
            return redirect("portal:content_index")
    return render(request, "portal/staff_content_edit.html", {
        "form": form, "kind": kind, "kind_label": KINDS[kind], "key": key, "new": new, "guide": guide,
        "preview": preview, "url": form.cleaned_data.get("url", "") if form.is_bound and form.is_valid() else url,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def content_restore(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    district = scoping.administered_district(request.user)
    if kind not in KINDS:
        raise Http404
    content.restore_shipped(district=district, kind=kind, key=key)
    messages.success(request, _("The district's own wording is removed."))
    return redirect("portal:content_index")
