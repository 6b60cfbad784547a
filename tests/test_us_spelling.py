"""English text is in US spelling ("Behavior", not "Behaviour"): every user-facing string is a msgid somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted((ROOT / "homeroom").glob("*/locale/es/LC_MESSAGES/django.po"))
BRITISH = re.compile(
    r"\b\w*(behaviour|colour|favour|honour|labour|neighbour|centre|programme|enrolment|licence|catalogue|"
    r"organis|recognis|authoris|prioritis|summaris|categoris|apologis|realis)\w*", re.IGNORECASE)
MSGID = re.compile(r'^msgid(?:_plural)? "(.*)"$', re.MULTILINE)


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.parents[3].name)
def test_english_strings_use_us_spelling(catalogue):
    found = [m.group(0) for msgid in MSGID.findall(catalogue.read_text(encoding="utf-8"))
             for m in BRITISH.finditer(msgid)]
    assert not found, found


def test_templates_use_us_spelling():
    found = [f"{path.relative_to(ROOT)}: {m.group(0)}" for path in (ROOT / "homeroom").glob("*/templates/**/*.*")
             for m in BRITISH.finditer(path.read_text(encoding="utf-8", errors="replace"))]
    assert not found, found
