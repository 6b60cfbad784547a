"""Which interface strings families read: the definition every family-facing catalogue is held to.

Staff pages may stay English and Spanish; everything a parent or guardian sees (the portal, sign-in, error
pages, the texts, emails and calls they receive, letters, survey pages, the school self-assessments a family
member of a team rates, attendance notices, the calendar items shown to them, and the words that stand for codes
on those pages) must exist in every shipped language.

A string is family-facing when one of its `.po` references (`#: path:line`) matches `FAMILY_SOURCES` for its
app, or when it is listed in `FAMILY_MSGIDS` (strings that live in a file mostly read by staff, such as the
choices of a model that the portal shows through `core.words`). `family_msgids()` reads the catalogues, so it
follows the code as `makemessages` refreshes the references; `tests/test_translations.py` checks every shipped
language against it and `homeroom family_msgids` prints it.

The catalogues are also parsed here (a small reader of the subset of the PO format `makemessages` writes),
so neither the tests nor the command need a PO library.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the homeroom package

# Paths are relative to the app's folder (homeroom/<app>/); shell-style patterns.
FAMILY_SOURCES: dict[str, tuple[str, ...]] = {
    "core": (
        "templates/base.html",  # header, navigation, language picker, footer: every page
        "templates/403.html", "templates/403_csrf.html", "templates/404.html", "templates/500.html",
        "templates/account/login.html", "templates/account/request_login_code.html",
        "templates/account/confirm_login_code.html",
        "templates/account/email/login_code_*.txt",  # the family sign-in code by email
        "templates/allauth/layouts/*", "templates/core/includes/field.html",
        "sms.py",  # the family sign-in code by text
        "words.py",  # language names and "Text message, sent"
        "errors.py", "views.py",  # the refused-form page, the web manifest
    ),
    "access": (
        "templates/access/welcome.html",
        "forms.py",  # the sign-in form (address or mobile number, the code)
    ),
    "portal": (  # all of it but the teachers' class notes and the staff's view of a family's words
        "templates/portal/[!s_]*", "templates/portal/_nav.html", "templates/portal/_child_nav.html",
        "forms.py", "models.py", "templatetags/*",
        "views/attendance.py", "views/children.py", "views/family.py", "views/messages.py",
    ),
    "messaging": (
        "conversations/inbound.py",  # STOP, HELP and START answers
        "rendering.py",  # the call-back line on every email, text and call
        "policy.py",  # what a STOP leaves in place ("attendance notices"), said in the STOP answer
        "channels/*",  # email footers and call scripts
        "webhooks.py",  # unsubscribe and signed-link reply pages
        "conversations/replies.py", "conversations/answers.py", "conversations/threads.py", "family_start.py",
    ),
    "languages": (
        "notices.py",  # "translated automatically, you can reply in your language"
    ),
    "meetings": (
        "templates/meetings/family_*.html", "templates/meetings/prep_form.html",
        "templates/meetings/letter.html", "templates/meetings/_slot_button.html",
        "templates/meetings/conferences.html",  # booking by signed link, without an account
        "templates/meetings/*.txt",  # invitations and reminders
        "family_views.py", "conference_views.py", "conferences.py", "texts.py", "prep_questions.py", "notice.py",
    ),
    "surveys": (
        "templates/surveys/answer.html", "templates/surveys/family_list.html",
        "views/family.py", "answers.py", "links.py",
        # School self-assessments: a partnership team's family members rate them in the portal (its "My teams"
        # link), see the team's agreement, write its reflection and read the action plan.
        "templates/surveys/teams.html", "templates/surveys/team.html", "templates/surveys/assessment.html",
        "templates/surveys/consensus.html", "templates/surveys/plan.html",
        "views/assessments.py", "assessments.py", "templatetags/surveys.py",
    ),
    "attendance": (
        "notices.py",  # attendance notices sent to families
        "labels.py",  # the portal attendance page's words
    ),
    "schoolcalendar": (
        "days.py", "selectors.py",  # none yet: closures reach families as messages, in the sender's words
    ),
    "roster": (
        "templates/roster/_consent_history.html",  # shown on the portal's preferences page
    ),
    "programs": (
        "templates/programs/family/*",  # events and RSVP (portal and signed link), team pages, invitations
        "family_views.py", "family_forms.py", "events.py",  # RSVP answers, the .ics, invitations, reminders
    ),
    "contacts": (),
    "website": (  # the public school and district pages (the district's editor is staff's)
        "templates/website/public_base.html", "templates/website/page.html", "templates/website/community.html",
        "templates/website/_resource.html", "sources.py",
    ),
}

# Single strings in files that are otherwise for staff.
FAMILY_MSGIDS: dict[str, frozenset[str]] = {
    "roster": frozenset({
        # Choices the portal's preferences page and consent history show (roster.models).
        "Email", "Text message", "Phone call", "Family portal",
        "Urgent (closure, early release, safety, health)", "Attendance (unexcused absence)",
        "Reminder (days off, report cards, conferences, events)",
        "News (announcements, achievements, opportunities)", "Other (only families who gave consent)",
        "Answer to a family who wrote to the school",
        "Only when needed", "Weekly", "Every two weeks", "Monthly",
        "Parent", "Mother", "Father", "Guardian", "Stepparent", "Grandparent", "Foster parent", "Relative",
        "Other", "Yes", "No", "No answer yet",
        "Text message (STOP)", "Text message (START)", "School staff, during a contact",
        "Student information system import", "Unsubscribe link in an email",
    }),
    "meetings": frozenset(),
    "schoolcalendar": frozenset(),
    # The action plan's fields (surveys.models.ActionItem), which a team's family members read and fill in.
    "surveys": frozenset({
        "what we will do", "owner", "by when", "how we will know it worked", "review at the next assessment",
    }),
    # The team roles a family member reads on the team's page (programs.models).
    "programs": frozenset({"Chair", "Co-chair", "Secretary", "Grade representative", "Member"}),
    "website": frozenset({
        # website.models choices the public pages show: kinds of community resource, files, published figures.
        "Child guidance clinics", "Parenting programs", "Recreation", "Homework help", "Special education support",
        "Health", "Food and housing", "Computers and internet", "Other", "Handbook", "District policy",
        "All families", "By home language", "By grade", "English learners", "Special education",
    }),
}


# Strings families see that live in files otherwise read by staff (model choices, services' texts, the
# portal attendance page's parts), found while translating the catalogues.
FAMILY_MSGIDS_SEEN: dict[str, frozenset[str]] = {
    "attendance": frozenset({
        'Which absence?',
        'Your note to the school',
        'For example: why your child was absent, and anything the school can help with.',
        'Accept',
        'Early dismissal',
        'Waiting for staff',
        'Accepted',
        'Not accepted',
        'This school year',
        'Days in school',
        '%(present)s of %(enrolled)s school days',
        'Excused absences',
        'Unexcused absences',
        'Absences for a suspension',
        'Late arrivals',
        'Early dismissals',
        'Absent %(percent)s%% of school days so far. Missing 10%% or more of the school year makes learning much harder; the school would like to help.',  # noqa: E501
        'Absent %(percent)s%% of school days so far. Missing 10%% of the days so far (%(days)s days) counts as chronically absent.',  # noqa: E501
        'No attendance has been recorded this school year yet.',
        'Notes still needed',
        'Absence on %(day)s: a note is needed by %(due)s.',
        'Absences',
        'Absences this school year, newest first',
        'Date',
        'Excused?',
        'Reason',
        'Why',
        'No absences this school year.',
    }),
    "meetings": frozenset({
        'Purpose',
        'Date',
        'Time',
        'Place',
        'Parent',
        'Initial referral',
        'Planning an evaluation',
        'Eligibility',
        'Annual review',
        'Three-year reevaluation',
        "Interim meeting at the parent's request",
        "Interim meeting at the school's request",
        'Transition planning',
        'Parent or guardian',
        'General education teacher',
        'Special education teacher or provider',
        'District representative',
        'Someone who can interpret evaluation results',
        'The student',
        'Other',
        'I will come in person',
        'I will join by video',
        'I will join by phone',
        'I cannot come at this time: please offer another',
        'Referral for a special education evaluation',
        'Request for an interim PPT',
        'PPT invitation',
        'Referral for evaluation',
        'Welcome Parent Packet',
        'In person',
        'Phone call',
        'Video call',
        'Invitation to a PPT meeting for %(name)s',
        'The PPT meeting for %(name)s is cancelled',
        'The PPT meeting about %(name)s on %(date)s at %(time)s will not take place. The school will contact you about a new date.',  # noqa: E501
        'Choose how you will take part.',
        'Tell the school what you are asking for.',
        'Who is invited',
        'Invitation',
    }),
    "messaging": frozenset({
        'Sent by text message',
        'Sent by email',
        'Sent by phone call',
    }),
    "portal": frozenset({
        'What helps',
        '%(n)s unread',
    }),
    "roster": frozenset({
        'Consent on file',
        'Text messages',
        'Automated phone calls',
        'Stopped',
        'Not stopped',
        'No consent on file',
        'All messages',
        '%(channel)s · %(category)s: %(state)s',
        'You',
        'Exempt',
        'Graded',
        'Not submitted',
        'Partly graded',
        'Submitted',
        'Grade',
        'School',
        'Phone',
    }),
    "surveys": frozenset({
        'Reminder: %(title)s',
        'We have not heard from your family yet, and your view matters to us.',
        'Please tell us what you think. Your answers help the school work better with families.',
        'Answer here (no password needed): %(url)s',
        'This survey is closed.',
        'Your family has already answered this survey. Thank you!',
        'Answered',
    }),
}


@dataclass
class Entry:
    msgid: str
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural:
            return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]
        return [self.msgstr]


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def _unquote(literal: str) -> str:
    value = ast.literal_eval(literal)
    assert isinstance(value, str)
    return value


def read_po(path: Path) -> list[Entry]:
    """The entries of a catalogue, the header (msgid "") first; obsolete (#~) entries are marked."""
    entries: list[Entry] = []
    current: Entry | None = None
    last: str | None = None
    pending_flags: set[str] = set()
    pending_refs: list[str] = []

    def finish() -> None:
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            last = None
            continue
        if line.startswith("#,"):
            finish()
            pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#:"):
            finish()
            pending_refs += line[2:].split()
            continue
        if line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, literal = match.groups()
            text = _unquote(literal)
            if keyword in ("msgctxt", "msgid") and (current is None or last not in (None, "msgctxt")):
                finish()
            if current is None:
                current = Entry(msgid="", flags=pending_flags, references=pending_refs, obsolete=obsolete)
                pending_flags, pending_refs = set(), []
            if keyword == "msgctxt":
                current.msgctxt = text
            elif keyword == "msgid":
                current.msgid = text
            elif keyword == "msgid_plural":
                current.msgid_plural = text
            elif index is not None:
                current.msgstr_plural[int(index)] = text
                keyword = f"msgstr[{index}]"
            else:
                current.msgstr = text
            last = keyword
            continue
        if line.startswith('"') and current is not None and last is not None:
            text = _unquote(line)
            if last == "msgctxt":
                current.msgctxt = (current.msgctxt or "") + text
            elif last == "msgid":
                current.msgid += text
            elif last == "msgid_plural":
                current.msgid_plural += text
            elif last.startswith("msgstr["):
                index_ = int(last[7:-1])
                current.msgstr_plural[index_] += text
            else:
                current.msgstr += text
    finish()
    return entries


def header(entries: Iterable[Entry]) -> dict[str, str]:
    for entry in entries:
        if entry.msgid == "" and entry.msgctxt is None:
            fields = {}
            for line in entry.msgstr.splitlines():
                name, _sep, value = line.partition(":")
                fields[name.strip()] = value.strip()
            return fields
    return {}


def nplurals(entries: Iterable[Entry]) -> int | None:
    match = re.search(r"nplurals\s*=\s*(\d+)", header(entries).get("Plural-Forms", ""))
    return int(match.group(1)) if match else None


def _relative(reference: str, app: str) -> str:
    path = reference.rsplit(":", 1)[0] if re.search(r":\d+$", reference) else reference
    prefix = f"homeroom/{app}/"
    return path[len(prefix):] if path.startswith(prefix) else path


def is_family_facing(app: str, entry: Entry) -> bool:
    if entry.msgid in FAMILY_MSGIDS.get(app, frozenset()) or entry.msgid in FAMILY_MSGIDS_SEEN.get(app, frozenset()):
        return True
    patterns = FAMILY_SOURCES.get(app, ())
    return any(fnmatch.fnmatchcase(_relative(ref, app), pattern) for ref in entry.references for pattern in patterns)


def apps_with_catalogues() -> list[str]:
    return sorted({path.parents[3].name for path in ROOT.glob("*/locale/*/LC_MESSAGES/django.po")})


def _source_catalogue(app: str) -> Path | None:
    """The app's catalogue made last by makemessages (its POT-Creation-Date): the best record of the source.

    Older catalogues may carry strings the code no longer has, or lack new ones; the tests hold every
    catalogue to this one, so run `homeroom makemessages -a` after changing family-facing strings."""
    paths = sorted((ROOT / app / "locale").glob("*/LC_MESSAGES/django.po"))
    if not paths:
        return None
    return max(paths, key=lambda p: (_created(p), p.parent.parent.name == "es"))


def _created(path: Path) -> datetime:
    try:
        return datetime.strptime(header(read_po(path)).get("POT-Creation-Date", ""), "%Y-%m-%d %H:%M%z")
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


Key = tuple[str | None, str]  # (msgctxt, msgid)


def family_entries(app: str) -> list[Entry]:
    """The app's family-facing source entries (msgid, plural, context), in catalogue order."""
    path = _source_catalogue(app)
    if path is None:
        return []
    found: dict[Key, Entry] = {}
    for entry in read_po(path):
        if entry.obsolete or (entry.msgid == "" and entry.msgctxt is None):
            continue
        key = (entry.msgctxt, entry.msgid)
        if key not in found and is_family_facing(app, entry):
            found[key] = Entry(msgid=entry.msgid, msgid_plural=entry.msgid_plural, msgctxt=entry.msgctxt,
                               references=entry.references)
    return list(found.values())


def family_msgids() -> dict[str, list[Entry]]:
    """{app: family-facing entries} for every app with catalogues (apps without any are left out)."""
    result = {app: family_entries(app) for app in apps_with_catalogues()}
    return {app: entries for app, entries in result.items() if entries}


def catalogue_path(app: str, locale: str) -> Path:
    return ROOT / app / "locale" / locale / "LC_MESSAGES" / "django.po"
