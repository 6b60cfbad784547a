"""Every app's Spanish catalogue is complete: no empty and no fuzzy entries."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted((ROOT / "homeroom").glob("*/locale/es/LC_MESSAGES/django.po"))


def test_every_app_with_templates_has_a_spanish_catalogue():
    apps_with_templates = {p.parent.name for p in (ROOT / "homeroom").glob("*/templates")}
    apps_with_catalogue = {p.parents[3].name for p in CATALOGUES}
    assert apps_with_templates <= apps_with_catalogue, apps_with_templates - apps_with_catalogue


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.parents[3].name)
def test_spanish_catalogue_is_complete(catalogue):
    out = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalogue)],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert "untranslated" not in out.stderr and "fuzzy" not in out.stderr, out.stderr
