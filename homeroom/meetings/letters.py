"""Letters as PDF: district-editable templates with {{ placeholders }}, rendered to tagged PDFs by WeasyPrint."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML

from homeroom.meetings import prep_questions
from homeroom.meetings.models import Letter, LetterKind, LetterStatus, LetterTemplate
from homeroom.portal.models import DocumentKind, FamilyDocument

# WeasyPrint logs every layout step at INFO; letters are made in bulk, so keep only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

DEFAULTS_FILE = Path(__file__).parent / "data" / "letters.json"
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
COMMON = ("district_name", "school_name", "school_phone", "student_name", "parent_names", "today")
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    LetterKind.PPT_INVITATION: (*COMMON, "purpose", "meeting_date", "meeting_time", "where", "members",
                                "interpreter", "prep_form_url", "organizer_name"),
    LetterKind.REFERRAL: (*COMMON, "reason", "received_date"),
    LetterKind.INTERIM_REQUEST: (*COMMON, "reason", "received_date"),
    LetterKind.PARENT_PACKET: COMMON,
}
DOCUMENT_KIND = {
    LetterKind.PPT_INVITATION: DocumentKind.INVITATION,
    LetterKind.REFERRAL: DocumentKind.LETTER,
    LetterKind.INTERIM_REQUEST: DocumentKind.LETTER,
    LetterKind.PARENT_PACKET: DocumentKind.PACKET,
}


class LetterTemplateError(ValueError):
    """A template a district wrote cannot be used; the text says what to fix."""


def template_problems(kind: str, *texts: str) -> list[str]:
    """Unknown placeholders and template tags: a district's text may only use the placeholders listed."""
    problems = []
    allowed = set(PLACEHOLDERS[kind])
    for text in texts:
        if "{%" in text:
            problems.append(_("Use only {{ placeholders }}; {% … %} tags are not allowed."))
        for name in PLACEHOLDER.findall(text):
            if name not in allowed:
                problems.append(_("Unknown placeholder {{ %(name)s }}.") % {"name": name})
    return sorted(set(problems))


def load_letter_defaults(template_model: Any, path: Path = DEFAULTS_FILE) -> None:
    """Create or refresh the shipped templates (district empty); takes the model so migrations can pass theirs."""
    for kind, languages in json.loads(path.read_text(encoding="utf-8")).items():
        for language, text in languages.items():
            template_model.objects.update_or_create(
                district=None, kind=kind, language=language, defaults={"title": text["title"], "body": text["body"]}
            )


def template_for(district_id: int, kind: str, language: str) -> LetterTemplate | None:
    """The district's own template in this language, else the shipped one; None when neither exists."""
    rows = list(LetterTemplate.objects.filter(kind=kind, language=language).filter(
        Q(district_id=district_id) | Q(district__isnull=True)))
    return next((row for row in rows if row.district_id), None) or next(iter(rows), None)


def letter_languages(district_id: int, kind: str) -> set[str]:
    return set(
        LetterTemplate.objects.filter(kind=kind, district_id=district_id).values_list("language", flat=True)
    ) | set(LetterTemplate.objects.filter(kind=kind, district__isnull=True).values_list("language", flat=True))


def fill(text: str, context: dict[str, str]) -> str:
    """Each {{ name }} replaced by its escaped value (HTML-safe result)."""
    return PLACEHOLDER.sub(lambda match: escape(context.get(match.group(1), "")), escape_outside(text))


def escape_outside(text: str) -> str:
    """Escape the district's own text but keep its placeholders intact for `fill`."""
    parts = PLACEHOLDER.split(text)
    # split() alternates text and captured names: escape the text parts only, rebuild the placeholders.
    return "".join(escape(part) if i % 2 == 0 else f"{{{{ {part} }}}}" for i, part in enumerate(parts))


@dataclass(frozen=True)
class Block:
    heading: str
    lines: list[SafeString]


def blocks(body_html: str) -> list[Block]:
    """Paragraphs split on blank lines; a paragraph's first line starting with "# " is its heading."""
    result = []
    for paragraph in re.split(r"\n\s*\n", body_html.replace("\r\n", "\n").strip()):
        lines = [line for line in paragraph.split("\n") if line.strip()]
        if not lines:
            continue
        heading = ""
        if lines[0].startswith("# "):
            heading, lines = lines[0][2:].strip(), lines[1:]
        result.append(Block(heading=mark_safe(heading), lines=[mark_safe(line) for line in lines]))
    return result


def render_letter_html(template: LetterTemplate, context: dict[str, str]) -> str:
    """The letter as an HTML page in the template's language (escaped values; the district's text escaped too)."""
    with translation.override(template.language):
        return render_to_string("meetings/letter.html", {
            "language": template.language,
            "title": mark_safe(fill(template.title, context)),
            "blocks": blocks(fill(template.body, context)),
            "context": context,
            # The invitation carries the "Preparing for the PPT" questions as a page to fill in on paper.
            "prep_form": prep_questions.printable() if template.kind == LetterKind.PPT_INVITATION else None,
        })


def render_pdf(html: str) -> bytes:
    """A tagged PDF (structure for screen readers) of the letter page."""
    pdf = HTML(string=html).write_pdf(pdf_tags=True)
    assert pdf is not None
    return pdf


@transaction.atomic
def letter_render(*, letter_id: int) -> Letter:
    """Make the PDF of a pending letter and file it as the family's document; safe to run twice."""
    letter = Letter.objects.select_for_update().get(pk=letter_id)
    if letter.status == LetterStatus.READY:
        return letter
    template = template_for(letter.district_id, letter.kind, letter.language)
    if template is None:
        letter.status, letter.error = LetterStatus.FAILED, f"no {letter.kind} template in {letter.language}"
        letter.save(update_fields=["status", "error"])
        return letter
    html = render_letter_html(template, letter.context)
    pdf = render_pdf(html)
    title = PLACEHOLDER.sub(lambda m: letter.context.get(m.group(1), ""), template.title)[:255]
    document = FamilyDocument(
        district_id=letter.district_id, title=title, kind=DOCUMENT_KIND[LetterKind(letter.kind)],
        language=letter.language, student_id=letter.student_id, created_by=letter.created_by,
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    document.file.save(f"{letter.kind}-{letter.pk}-{letter.language}-{stamp}.pdf", ContentFile(pdf), save=False)
    document.save()
    document.guardians.set(letter.guardians.all())
    letter.document, letter.status, letter.error = document, LetterStatus.READY, ""
    letter.save(update_fields=["document", "status", "error"])
    return letter
