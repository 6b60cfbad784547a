"""District-edited guidance (glossary terms, expectations, resources): reads and writes for the staff editor.

Shipped rows have no district. A district's save writes its own rows for that key, one per language, which the
portal and the public pages then prefer (selectors._in_language); deleting them brings the shipped wording back.
Languages are stored by their primary subtag ("pt", "zh"), as the portal reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from homeroom.portal.models import GlossaryTerm, GuideEntry
from homeroom.roster.models import District


def stored_language(code: str) -> str:
    return code.split("-")[0].lower()


@dataclass(frozen=True)
class Text:
    title: str
    body: str


def glossary_keys(district: District) -> list[tuple[str, str, bool]]:
    """(key, English term, the district has its own wording) for every shipped or district term."""
    rows = GlossaryTerm.objects.filter(Q(district=None) | Q(district=district)).order_by("term")
    found: dict[str, tuple[str, bool]] = {}
    for row in rows:
        term, own = found.get(row.key, ("", False))
        if row.language == "en" and (not term or row.district_id):
            term = row.term
        found[row.key] = (term or row.term, own or row.district_id is not None)
    return sorted(((key, term, own) for key, (term, own) in found.items()), key=lambda t: t[1].casefold())


def glossary_texts(district: District, key: str) -> dict[str, Text]:
    """language → the wording in force for this key (the district's, else the shipped one)."""
    texts: dict[str, Text] = {}
    for row in GlossaryTerm.objects.filter(Q(district=None) | Q(district=district), key=key).order_by("district"):
        texts[row.language] = Text(row.term, row.definition)  # the district's rows come last and win
    return texts


@transaction.atomic
def glossary_save(*, district: District, key: str, texts: dict[str, Text]) -> None:
    GlossaryTerm.objects.filter(district=district, key=key).delete()
    GlossaryTerm.objects.bulk_create([
        GlossaryTerm(district=district, key=key, language=stored_language(language), term=text.title,
                     definition=text.body)
        for language, text in texts.items() if text.title.strip()])


def guide_keys(district: District, kind: str) -> list[tuple[str, str, bool]]:
    rows = GuideEntry.objects.filter(Q(district=None) | Q(district=district), kind=kind).order_by("position")
    found: dict[str, tuple[str, bool]] = {}
    for row in rows:
        title, own = found.get(row.key, ("", False))
        if row.language == "en" and (not title or row.district_id):
            title = row.title
        found[row.key] = (title or row.title, own or row.district_id is not None)
    return [(key, title, own) for key, (title, own) in found.items()]


def guide_texts(district: District, kind: str, key: str) -> tuple[dict[str, Text], str, str]:
    """(language → wording in force, link, topic) for one entry."""
    texts: dict[str, Text] = {}
    url = topic = ""
    for row in GuideEntry.objects.filter(Q(district=None) | Q(district=district), kind=kind, key=key).order_by(
            "district"):
        texts[row.language] = Text(row.title, row.body)
        url, topic = row.url or url, row.topic or topic
    return texts, url, topic


@transaction.atomic
def guide_save(*, district: District, kind: str, key: str, texts: dict[str, Text], url: str, topic: str) -> None:
    shipped = GuideEntry.objects.filter(district=None, kind=kind, key=key).values_list("position", flat=True).first()
    GuideEntry.objects.filter(district=district, kind=kind, key=key).delete()
    GuideEntry.objects.bulk_create([
        GuideEntry(district=district, kind=kind, key=key, language=stored_language(language), title=text.title,
                   body=text.body, url=url, topic=topic, position=shipped if shipped is not None else 1000)
        for language, text in texts.items() if text.title.strip()])


def restore_shipped(*, district: District, kind: str, key: str) -> None:
    """Drop the district's own wording of a glossary term (kind "glossary") or guide entry."""
    if kind == "glossary":
        GlossaryTerm.objects.filter(district=district, key=key).delete()
    else:
        GuideEntry.objects.filter(district=district, kind=kind, key=key).delete()
