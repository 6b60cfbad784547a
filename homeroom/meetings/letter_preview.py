"""A letter template previewed as families get it: the district's real school, a fictional family, no student."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from homeroom.meetings import letters
from homeroom.meetings.models import LetterTemplate, MemberRole, Purpose
from homeroom.roster.models import District, School

# Fictional people: a preview never reads a real student or guardian.
SAMPLE_STUDENT = "Alex Sample"
SAMPLE_PARENTS = "Jordan Sample, Sam Sample"
SAMPLE_ORGANIZER = "Casey Sample"


def sample_context(district: District, language: str) -> dict[str, str]:
    """Every placeholder filled: the district's first school by name, a fictional family, a meeting next week."""
    school = School.objects.filter(district=district).order_by("name").first()
    when = timezone.localtime() + dt.timedelta(days=7)
    with translation.override(language):
        return {
            "district_name": district.name,
            "school_name": school.name if school else "",
            "school_phone": school.phone if school else "",
            "student_name": SAMPLE_STUDENT,
            "parent_names": SAMPLE_PARENTS,
            "today": date_format(timezone.localdate(), "DATE_FORMAT"),
            "purpose": str(Purpose.ANNUAL_REVIEW.label),
            "meeting_date": date_format(when.date(), "DATE_FORMAT"),
            "meeting_time": time_format(dt.time(15, 30), "TIME_FORMAT"),
            "where": school.name if school else "",
            "members": "\n".join(str(role.label) for role in (MemberRole.PARENT, MemberRole.GENERAL_EDUCATION,
                                                               MemberRole.SPECIAL_EDUCATION)),
            "interpreter": _("An interpreter will be at the meeting, at no cost to you."),
            "prep_form_url": settings.SITE_URL.rstrip("/") + reverse("meetings:family"),
            "organizer_name": SAMPLE_ORGANIZER,
            "reason": str(Purpose.INTERIM_PARENT.label),
            "received_date": date_format(timezone.localdate(), "DATE_FORMAT"),
        }


def letter_body(html: str) -> str:
    """The letter page's <body> content, to show inside a staff page (the page's own styles, no inline CSS)."""
    start = html.index(">", html.index("<body")) + 1
    return html[start:html.rindex("</body>")]


def preview_html(district: District, kind: str, language: str, title: str, body: str) -> str:
    """The unsaved wording rendered with the same function the letters use (not saved anywhere)."""
    template = LetterTemplate(district=district, kind=kind, language=language, title=title, body=body)
    return letters.render_letter_html(template, sample_context(district, language))
