"""Every shipped language covers what families read; Spanish covers everything.

The languages come from settings.LANGUAGES and "what families read" from homeroom/core/family_text.py, so a
language added to settings (with its catalogues) is held to the same rules without touching this file.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from homeroom.core import family_text
from homeroom.core.sms import login_code_text
from homeroom.messaging.conversations.inbound import sms_inbound
from homeroom.messaging.models import Message, MessageContent
from homeroom.messaging.rendering import render

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted((ROOT / "homeroom").glob("*/locale/es/LC_MESSAGES/django.po"))



def _languages(with_english: bool = False) -> list:
    params = []
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE and not with_english:
            continue
        params.append(pytest.param(code, id=code))
    return params


FAMILY = family_text.family_msgids()
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdif]|\{\w*\}")


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


def _catalogue(code: str, app: str) -> list[family_text.Entry]:
    path = family_text.catalogue_path(app, translation.to_locale(code))
    assert path.exists(), f"{app} has family-facing strings but no {translation.to_locale(code)} catalogue"
    return family_text.read_po(path)


def _translated(code: str, app: str, msgid: str, context: str | None = None) -> str:
    """The catalogue's translation of one family-facing string (the test fails if it has none)."""
    for entry in _catalogue(code, app):
        if entry.msgid == msgid and entry.msgctxt == context:
            assert entry.msgstr, f"{code} {app}: {msgid!r} is not translated"
            return entry.msgstr
    raise AssertionError(f"{code} {app}: {msgid!r} is not in the catalogue")


# --- Spanish: every string, staff pages included ------------------------------------------------------------

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


# --- Every shipped language: every family-facing string -------------------------------------------------

def test_the_definition_of_family_facing_text_finds_what_families_read():
    """A guard on core.family_text itself: it must keep naming the sign-in code, STOP, the portal and more."""
    ids = {app: {e.msgid for e in entries} for app, entries in FAMILY.items()}
    assert "Your Homeroom sign-in code is %(code)s. It expires in %(minutes)s minutes." in ids["core"]
    assert "Questions? Call %(name)s at %(phone)s." in ids["messaging"]
    assert any(m.startswith("You will get no more texts from %(sender)s") for m in ids["messaging"])
    assert {"My family", "Your preferences are saved."} <= ids["portal"]
    assert "We missed %(name)s today" in ids["attendance"]
    assert "Preparing for the PPT" in ids["meetings"] and "Send my answers" in ids["surveys"]
    assert "Family feedback" not in ids["portal"]  # a staff page
    assert sum(len(v) for v in ids.values()) > 300


@pytest.mark.parametrize("code", _languages())
def test_every_family_facing_string_is_translated_with_its_placeholders(code):
    problems = []
    for app, wanted in FAMILY.items():
        entries = _catalogue(code, app)
        nplurals = family_text.nplurals(entries)
        if nplurals is None:
            problems.append(f"{app}: the header has no Plural-Forms")
        if "fuzzy" in entries[0].flags:
            problems.append(f"{app}: the header is fuzzy")
        by_key = {(e.msgctxt, e.msgid): e for e in entries if not e.obsolete}
        for source in wanted:
            entry = by_key.get((source.msgctxt, source.msgid))
            name = f"{app}: {source.msgid[:60]!r}"
            if entry is None:
                problems.append(f"{name} is missing")
                continue
            if "fuzzy" in entry.flags:
                problems.append(f"{name} is fuzzy")
            forms = entry.translations
            if entry.msgid_plural and len(forms) != nplurals:
                problems.append(f"{name} has {len(forms)} plural forms, the header says {nplurals}")
            expected = _placeholders(entry.msgid_plural or entry.msgid)
            for form in forms:
                if not form.strip():
                    problems.append(f"{name} is not translated")
                elif _placeholders(form) != expected:
                    problems.append(f"{name}: placeholders {sorted(_placeholders(form))} ≠ {sorted(expected)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", _languages())
def test_catalogues_compile_without_errors(code):
    for app in FAMILY:
        path = family_text.catalogue_path(app, translation.to_locale(code))
        assert path.exists(), path
        out = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True,
                             check=False)
        assert out.returncode == 0, out.stderr


# --- Rendered in each language, never silently English --------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("code", _languages())
def test_the_portal_home_page_is_in_the_family_language(world, client_for, code):
    user = world.user("ana")
    user.language = code
    user.save(update_fields=["language"])
    body = client_for("ana").get(reverse("portal:home")).content.decode()
    rtl = ' dir="rtl"' if translation.get_language_info(code)["bidi"] else ""
    assert f'<html lang="{code}"{rtl}>' in body
    for msgid in ("My family", "Preferences"):
        assert _translated(code, "portal", msgid) in body
    assert _translated(code, "core", "Sign out") in body and ">Sign out<" not in body


@pytest.mark.parametrize("code", _languages())
def test_the_sign_in_code_text_is_in_the_family_language(code):
    text = login_code_text("482913", code)
    english = login_code_text("482913", "en")
    msgstr = _translated(code, "core", "Your Homeroom sign-in code is %(code)s. It expires in %(minutes)s minutes.")
    assert "482913" in text and text != english
    assert text == msgstr % {"code": "482913", "minutes": 15} or text.startswith(msgstr.split("%(")[0])


@pytest.mark.django_db
@pytest.mark.parametrize("code", _languages())
def test_the_stop_answer_is_in_the_family_language(world, code):
    world.paul.language = code
    world.paul.save(update_fields=["language"])
    reply = sms_inbound(from_number=world.paul.mobile_phone, body="STOP").reply
    with translation.override(code):
        stopped = translation.gettext("urgent alerts")
    assert stopped != "urgent alerts" and stopped in reply
    assert "START" in reply and "Calls and email are not affected" not in reply


@pytest.mark.parametrize("code", _languages())
def test_the_call_script_is_in_the_family_language(code):
    message = Message(callback_name="Lincoln School", callback_phone="+12035550100", category="news", audience={})
    content = MessageContent(language=code, subject="—", body="…")
    twiml = render(message, content, "voice", code).twiml
    call_back = _translated(code, "messaging", "Questions? Call %(name)s at %(phone)s.")
    assert (call_back % {"name": "Lincoln School", "phone": "+12035550100"}) in twiml
    assert "Questions? Call" not in twiml


# --- Letters (meetings/data/letters.json): each shipped language has each letter, with its placeholders --------

@pytest.mark.parametrize("code", _languages())
def test_every_shipped_letter_exists_in_each_language(code):
    import json

    from homeroom.meetings.letters import DEFAULTS_FILE, PLACEHOLDER

    letters = json.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))
    for kind, languages in letters.items():
        assert code in languages, f"no {kind} letter in {code}"
        for part in ("title", "body"):
            english, text = languages["en"][part], languages[code][part]
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(english)), (kind, part)
            assert text != english
        assert languages[code]["body"].count("\n# ") == languages["en"]["body"].count("\n# "), kind


@pytest.mark.django_db
def test_an_arabic_letter_becomes_a_pdf():
    from homeroom.meetings.letters import render_letter_html, render_pdf, template_for

    template = template_for(0, "ppt_invitation", "ar")
    assert template is not None  # shipped by the migration
    html = render_letter_html(template, {"student_name": "سارة", "school_name": "Lincoln", "parent_names": "ليلى"})
    assert 'dir="rtl"' in html and "سارة" in html
    assert render_pdf(html).startswith(b"%PDF")


def _cjk_font_installed() -> bool:
    fc_list = shutil.which("fc-list")
    return bool(fc_list and subprocess.run([fc_list, ":lang=zh"], capture_output=True, text=True).stdout.strip())


@pytest.mark.django_db
@pytest.mark.parametrize("code, student", [("zh-hans", "王小明"), ("vi", "Nguyễn Thị Lan"), ("pl", "Zofia Wójcik")])
def test_a_letter_in_chinese_vietnamese_and_polish_is_a_pdf_with_its_own_words(code, student):
    import io

    from pypdf import PdfReader

    from homeroom.meetings.letters import fill, render_letter_html, render_pdf, template_for

    if code == "zh-hans" and not _cjk_font_installed():
        pytest.skip("no CJK font on this machine (fc-list :lang=zh is empty): Chinese would print as boxes")
    template = template_for(0, "ppt_invitation", code)
    assert template is not None  # shipped by the migration
    pdf = render_pdf(render_letter_html(template, {"student_name": student, "school_name": "Lincoln"}))
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/Lang"] == code
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert " ".join(fill(template.title, {"student_name": student}).split()) in text
