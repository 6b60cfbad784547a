"""Where each section of the public school and district pages comes from: one function per section.

Everything here is already in Homeroom (roster, calendar, conferences, surveys, reach, portal guidance) or is
district-edited public content (website.models); nothing is typed twice. No function reads a student or a
guardian, and none takes a user: these pages are the same for every reader.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from homeroom.core.words import language_name
from homeroom.meetings.models import ConferenceSlot
from homeroom.portal import selectors as portal
from homeroom.portal.models import GlossaryTerm, GuideEntry, SectionNote
from homeroom.programs.public import PublicEvent, upcoming_district_events, upcoming_public_events
from homeroom.reach import selectors as reach
from homeroom.roster.models import District, School, StaffRole
from homeroom.schoolcalendar.models import Closure
from homeroom.surveys.links import public_url
from homeroom.surveys.models import ActionItem, ActionPlan, Survey
from homeroom.website.models import (
    Announcement,
    CommunityResource,
    PublicationSettings,
    PublicFile,
    ReachFigure,
    ResourceCategory,
)

EVENT_DAYS = 90
NOTE_DAYS = 14
SPECIAL_EDUCATION_RESOURCES = ("cpac", "sde-special-education")
RTI_GLOSSARY = ("srbi",)
RTI_GUIDE = ("struggling",)
EXPECTATION_GUIDE = ("grade-level",)
HOMEWORK_GUIDE = ("homework",)


@dataclass
class Event:
    on: dt.date
    title: str
    time: str = ""
    place: str = ""
    body: str = ""


@dataclass
class Figure:
    label: str
    families: int
    percent: float | None  # None: fewer than reach.MIN_GROUP families, not shown


@dataclass
class FigureTable:
    title: str
    rows: list[Figure] = field(default_factory=list)


def publication_settings(district: District) -> PublicationSettings:
    return PublicationSettings.objects.filter(district=district).first() or PublicationSettings(district=district)


def contacts(district: District, school: School | None) -> dict[str, Any]:
    """The school's number from the roster and the central office as the district keeps it."""
    office = publication_settings(district)
    return {"school": school, "office": office}


def upcoming_events(district: District, school: School | None, *, language: str,
                    today: dt.date | None = None, limit: int = 20) -> list[Event]:
    """Partnership events open to the public (programs.public), announcements the district or school posted,
    days without school (the calendar's closures) and parent-teacher conference days (teachers' open slots)."""
    today = today or timezone.localdate()
    until = today + dt.timedelta(days=EVENT_DAYS)
    fallback = district.fallback_language or "en"
    where = Q(school=None) if school is None else Q(school=None) | Q(school=school)
    events = [Event(a.starts_on, a.title(language, fallback), a.time, a.place, a.body(language, fallback))
              for a in Announcement.objects.filter(where, district=district, starts_on__gte=today,
                                                   starts_on__lte=until)]
    public = (upcoming_public_events(school, limit=limit) if school is not None
              else upcoming_district_events(district.pk, limit=limit))
    events += [_program_event(e) for e in public if timezone.localdate(e.starts_at) <= until]
    for closure in Closure.objects.filter(where, district=district, end_date__gte=today, start_date__lte=until):
        events.append(Event(max(closure.start_date, today), _("No school"), body=closure.reason))
    slots = ConferenceSlot.objects.filter(district=district, is_active=True,
                                          starts_at__date__gte=today, starts_at__date__lte=until)
    if school is not None:
        teachers = StaffRole.objects.filter(school=school, is_active=True).values("staff_id")
        slots = slots.filter(teacher_id__in=teachers)
    for day in sorted({timezone.localtime(at).date() for at in slots.values_list("starts_at", flat=True)[:500]}):
        events.append(Event(day, _("Parent-teacher conferences"),
                            body=_("Book a time with your child's teacher in the family portal.")))
    return sorted(events, key=lambda e: e.on)[:limit]


def _program_event(event: PublicEvent) -> Event:
    starts = timezone.localtime(event.starts_at)
    offers = [_("Interpreters available on request") if event.interpreters else "",
              _("Childcare available on request") if event.childcare else ""]
    body = " ".join(part for part in [event.kind_label + ".", event.description, *offers] if part)
    return Event(starts.date(), event.title, time=date_format(starts, "TIME_FORMAT"),
                 place=event.place or event.video_link, body=body)


def improvement_plan(school: School | None) -> list[ActionItem]:
    """The school's newest action plan (from its team's self-assessment): what, by when, how we will know."""
    if school is None:
        return []
    plan = ActionPlan.objects.filter(school=school).order_by("-year").first()
    if plan is None:
        return []
    return list(plan.items.exclude(action="").order_by("due", "pk"))


def reach_figures(district: District, school: School | None) -> list[FigureTable]:
    """Only what the district chose to publish; groups under reach.MIN_GROUP families show no figure."""
    chosen = [name for name in publication_settings(district).reach_figures if name in reach.PUBLISHABLE]
    if not chosen:
        return []
    counts = reach.published_counts(district_id=district.pk, school_id=school.pk if school else None)
    labels: dict[str, Any] = {
        "overall": lambda _key: _("All families"),
        "language": lambda key: language_name(key) if key else _("Not recorded"),
        "grade": _grade_label,
        "english_learner": lambda key: _("English learners") if key else _("Not English learners"),
        "special_education": lambda key: _("Students with an IEP") if key else _("Students without an IEP"),
    }
    tables = []
    for name in ReachFigure.values:
        if name not in chosen:
            continue
        rows = [Figure(labels[name](key), group.families, group.percent)
                for key, group in counts[name].items() if group.families]
        if rows:
            tables.append(FigureTable(str(ReachFigure(name).label), rows))
    return tables


def _grade_label(grade: str) -> str:
    if not grade:
        return _("Not recorded")
    if grade.upper() in ("KG", "K"):
        return _("Kindergarten")
    if grade.upper() in ("PK", "PRE-K"):
        return _("Pre-kindergarten")
    return _("Grade %(grade)s") % {"grade": grade.lstrip("0") or grade}


def files(district: District, school: School | None, *, language: str) -> list[PublicFile]:
    """Handbooks and policies: one per key, in the reader's language when uploaded, else the district's."""
    where = Q(school=None) if school is None else Q(school=None) | Q(school=school)
    rows = PublicFile.objects.filter(where, district=district)
    best: dict[str, PublicFile] = {}
    fallback = district.fallback_language or "en"
    for row in rows:
        rank = (row.language == language, row.language == fallback)
        current = best.get(row.key)
        if current is None or rank > (current.language == language, current.language == fallback):
            best[row.key] = row
    return sorted(best.values(), key=lambda f: (f.kind, f.title))


def rti_practices(district: District, *, language: str) -> list[GlossaryTerm | GuideEntry]:
    """How the school helps a child who struggles (Connecticut's SRBI, its RTI)."""
    return [*portal.district_glossary_terms(district.pk, language=language, keys=RTI_GLOSSARY),
            *portal.district_guide_entries(district.pk, kind="expectation", language=language, keys=RTI_GUIDE)]


def grade_expectations(district: District, *, language: str) -> list[GuideEntry]:
    return portal.district_guide_entries(district.pk, kind="expectation", language=language, keys=EXPECTATION_GUIDE)


def class_notes(school: School | None, *, today: dt.date | None = None) -> list[SectionNote]:
    """Teachers' "this week we're working on…" notes that they chose to share publicly, the last two weeks."""
    if school is None:
        return []
    since = (today or timezone.localdate()) - dt.timedelta(days=NOTE_DAYS)
    return list(SectionNote.objects.filter(section__school=school, section__is_active=True, public=True,
                                           week_of__gte=since).select_related("section", "author")
                .order_by("section__title", "-week_of")[:50])


def homework_help(district: District, *, language: str) -> tuple[list[GuideEntry], list[CommunityResource]]:
    guide = portal.district_guide_entries(district.pk, kind="expectation", language=language, keys=HOMEWORK_GUIDE)
    return guide, community_resources(district, category=ResourceCategory.HOMEWORK_HELP)


def special_education(district: District, *, language: str) -> tuple[list[GuideEntry], list[CommunityResource]]:
    guide = portal.district_guide_entries(district.pk, kind="resource", language=language,
                                          keys=SPECIAL_EDUCATION_RESOURCES)
    places = community_resources(district, category=ResourceCategory.SPECIAL_EDUCATION)
    return guide, places + community_resources(district, category=ResourceCategory.CHILD_GUIDANCE)


def community_resources(district: District, *, category: str = "", language: str = "") -> list[CommunityResource]:
    """The district's community resources, narrowed to a category and to those serving a language."""
    rows = CommunityResource.objects.filter(district=district)
    if category:
        rows = rows.filter(category=category)
    found = list(rows)
    if language:
        wanted = language.split("-")[0].lower()
        found = [r for r in found if any(str(code).split("-")[0].lower() == wanted for code in r.languages)]
    return found


def computer_places(district: District) -> list[CommunityResource]:
    """Where a family without internet can use a computer: libraries, school labs (a district-edited list)."""
    return community_resources(district, category=ResourceCategory.COMPUTER_ACCESS)


def feedback_links(district: District, school: School | None) -> list[tuple[str, str]]:
    """(title, link) of open surveys with a public link for this school, or district-wide ones."""
    where = Q(school=None) if school is None else Q(school=None) | Q(school=school)
    rows = Survey.objects.filter(where, district=district, is_open=True, public_link=True).order_by("-created_at")
    return [(survey.title, public_url(survey.public_token)) for survey in rows[:3]]


def last_changed(district: District, school: School | None) -> dt.datetime | None:
    """The newest edit of the district-edited content, for Last-Modified (the other sources change daily)."""
    stamps = [model.objects.filter(district=district).order_by("-updated_at").values_list("updated_at", flat=True)
              .first() for model in (Announcement, CommunityResource, PublicFile, PublicationSettings)]
    dates = [stamp for stamp in stamps if stamp is not None]
    return max(dates) if dates else None


