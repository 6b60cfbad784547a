"""The district's letter templates: district administrators edit the wording of every letter, per language."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.meetings import letter_preview, letters, services
from homeroom.meetings.forms import LetterTemplateForm
from homeroom.meetings.models import LetterKind, LetterTemplate
from homeroom.meetings.texts import interface_languages


@login_required
def letter_templates(request: HttpRequest) -> HttpResponse:
    district = scoping.administered_district(request.user)
    rows = []
    for kind in LetterKind:
        for language in sorted(interface_languages()):
            template = letters.template_for(district.pk, kind, language)
            rows.append({"kind": kind, "language": language, "template": template,
                         "own": template is not None and template.district_id == district.pk})
    return render(request, "meetings/letter_templates.html", {"rows": rows})


@login_required
def letter_template_edit(request: HttpRequest, kind: str, language: str) -> HttpResponse:
    district = scoping.administered_district(request.user)
    if kind not in LetterKind.values or language not in interface_languages():
        raise Http404
    current = letters.template_for(district.pk, kind, language)
    initial = {"title": current.title, "body": current.body} if current else {}
    form = LetterTemplateForm(request.POST or None, initial=initial,
                              instance=LetterTemplate(district=district, kind=kind, language=language))
    preview = ""
    if request.method == "POST" and form.is_valid() and ("preview" in request.POST or "preview_pdf" in request.POST):
        # The unsaved wording, rendered as families get it (a fictional family); nothing is saved.
        problems = letters.template_problems(kind, form.cleaned_data["title"], form.cleaned_data["body"])
        for problem in problems:
            form.add_error("body", problem)
        if not problems:
            preview = letter_preview.preview_html(district, kind, language, form.cleaned_data["title"],
                                                  form.cleaned_data["body"])
            if "preview_pdf" in request.POST:
                response = HttpResponse(letters.render_pdf(preview), content_type="application/pdf")
                response["Content-Disposition"] = f'attachment; filename="preview-{kind}-{language}.pdf"'
                return response
    elif request.method == "POST" and form.is_valid():
        try:
            services.letter_template_save(district=district, kind=kind, language=language,
                                          title=form.cleaned_data["title"], body=form.cleaned_data["body"],
                                          user=request.user)
        except services.MeetingError as exc:
            form.add_error("body", str(exc))
        else:
            messages.success(request, _("The letter is saved. New letters use this wording."))
            return redirect("meetings:letter_templates")
    return render(request, "meetings/letter_template_form.html", {
        "form": form, "kind_label": LetterKind(kind).label, "language": language,
        "placeholders": letters.PLACEHOLDERS[kind], "is_default": current is None or current.district_id is None,
        "preview": mark_safe(letter_preview.letter_body(preview)) if preview else "",  # escaped by letters.fill
        "preview_rtl": _is_rtl(language),
    }, status=400 if form.errors else 200)


def _is_rtl(language: str) -> bool:
    with translation.override(language):
        return translation.get_language_bidi()
