"""Settings come from the environment, and every variable they read is documented."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_environment_variable_is_documented_in_operations():
    source = (ROOT / "homeroom" / "settings.py").read_text()
    names = set(re.findall(r"""(?:environ\.get|env_bool|env_list|environ\[)\(?\s*["']([A-Z][A-Z0-9_]+)["']""", source))
    assert "DATABASE_URL" in names
    docs = (ROOT / "docs" / "operations.md").read_text()
    missing = sorted(name for name in names if name not in docs)
    assert not missing, f"document these in docs/operations.md: {missing}"


def test_an_extra_language_needs_no_code():
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='homeroom.settings'; django.setup();"
        "from django.test import Client; r = Client().get('/');"
        "print(r.status_code, 'Kreyòl ayisyen' in r.content.decode())"
    )
    env = {**os.environ, "HOMEROOM_EXTRA_LANGUAGES": "ht:Kreyòl ayisyen", "DATABASE_URL": "sqlite://:memory:"}
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=60, check=False)
    assert out.stdout.strip().endswith("200 True"), out.stderr[-2000:]
