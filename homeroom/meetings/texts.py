"""The strings a letter or message about a meeting is filled with, made in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from homeroom.access.i18n import interface_language
from homeroom.core import words
from homeroom.meetings.models import FamilyRequest, Ppt
from homeroom.roster.models import Guardian, Student


def supported_language(code: str, available: Iterable[str]) -> str | None:
    """`code` itself, or the language it reads among `available` (core.i18n: 'es-MX' → 'es', 'pt' → 'pt-br')."""
    pool = set(available)
    if code in pool:
        return code
    return interface_language(code, pool)


def interface_languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def guardian_name(guardian: Guardian) -> str:
    return f"{guardian.given_name} {guardian.family_name}".strip()


def common_context(student: Student, guardians: list[Guardian], language: str) -> dict[str, str]:
    school = student.school
    with translation.override(language):
        return {
            "district_name": student.district.name,
            "school_name": school.name if school else "",
            "school_phone": school.phone if school else "",
            "student_name": str(student),
            "parent_names": ", ".join(guardian_name(g) for g in guardians),
            "today": date_format(timezone.localdate(), "DATE_FORMAT"),
        }


def where_text(meeting: Ppt) -> str:
    if meeting.place and meeting.video_link:
        return _("%(place)s, or by video: %(link)s") % {"place": meeting.place, "link": meeting.video_link}
    if meeting.video_link:
        return _("By video: %(link)s") % {"link": meeting.video_link}
    return meeting.place


def invitation_context(meeting: Ppt, guardians: list[Guardian], language: str, organizer: str) -> dict[str, str]:
    context = common_context(meeting.student, guardians, language)
    local = timezone.localtime(meeting.starts_at)
    with translation.override(language):
        members = [f"{member.name}: {words.person_title(member.role, member.staff, 'ppt_role')}"
                   for member in meeting.members.select_related("staff")]
        interpreter = ""
        if meeting.interpreter_needed:
            interpreter = _("An interpreter will be at the meeting, at no cost to you.")
        context.update(
            purpose=meeting.get_purpose_display(),
            meeting_date=date_format(local.date(), "DATE_FORMAT"),
            meeting_time=time_format(local.time(), "TIME_FORMAT"),
            where=where_text(meeting),
            members="\n".join(members),
            interpreter=interpreter,
            prep_form_url=settings.SITE_URL.rstrip("/") + reverse("meetings:prep_form", args=[meeting.pk]),
            organizer_name=organizer,
        )
    return context


def request_context(request: FamilyRequest, language: str) -> dict[str, str]:
    context = common_context(request.student, [request.guardian], language)
    with translation.override(language):
        context.update(
            reason=request.reason,
            received_date=date_format(timezone.localdate(request.received_at), "DATE_FORMAT"),
        )
    return context
