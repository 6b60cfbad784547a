"""The portal's Spanish catalogue is complete: every interface string has a real translation."""

from __future__ import annotations

import re
from pathlib import Path

import homeroom.portal

PO = Path(homeroom.portal.__file__).parent / "locale" / "es" / "LC_MESSAGES" / "django.po"


def _entries() -> list[str]:
    return [block for block in PO.read_text(encoding="utf-8").split("\n\n") if 'msgid ""\nmsgstr ""' not in block]


def test_no_spanish_translation_is_empty():
    empty = [b for b in _entries() if re.search(r'^msgstr(\[\d\])? ""$', b, re.M) and not re.search(
        r'^msgstr(\[\d\])? ""\n"', b, re.M)]
    assert not empty, "\n\n".join(empty[:3])


def test_no_spanish_translation_is_fuzzy():
    assert not [b for b in _entries() if "#, fuzzy" in b]


def test_catalogue_covers_the_portal_templates():
    text = PO.read_text(encoding="utf-8")
    assert 'msgid "Getting to Know My Child"' in text
    assert 'msgstr "Conociendo a mi hijo o hija"' in text
