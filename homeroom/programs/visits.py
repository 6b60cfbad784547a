"""Relational home visits: trained staff visit in pairs, at the family's invitation and with its consent.

The visit note is kept on the visit, never on the contact: the contact on the family's timeline says only that
a home visit took place, so the note's own rule holds (the two visitors and the student's case managers read
it; the school's other staff only when the family agrees, `note_shared`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeroom.contacts.models import ContactLog, Method, Purpose
from homeroom.contacts.services import ContactInput, contact_log_create
from homeroom.programs.models import HomeVisit, HomeVisitTraining
from homeroom.roster.models import Guardian, Staff, Student


class VisitError(ValueError):
    """The visit cannot be recorded as asked; the text says why."""


def training_record(*, staff: Staff, completed_on: dt.date, provider: str = "") -> HomeVisitTraining:
    training, _created = HomeVisitTraining.objects.update_or_create(
        staff=staff, defaults={"completed_on": completed_on, "provider": provider.strip()})
    return training


def is_trained(staff: Staff) -> bool:
    return HomeVisitTraining.objects.filter(staff=staff).exists()


@dataclass(frozen=True)
class VisitInput:
    student: Student
    guardian: Guardian
    visitor_one: Staff
    visitor_two: Staff
    invited_on: dt.date
    consent: bool
    scheduled_for: dt.datetime
    language: str = ""


def visit_schedule(*, data: VisitInput, user: Any) -> HomeVisit:
    if not data.consent:
        raise VisitError(_("A visit needs the family's consent."))
    if data.visitor_one.pk == data.visitor_two.pk:
        raise VisitError(_("Home visits are made in pairs: choose a second visitor."))
    untrained = [str(s) for s in (data.visitor_one, data.visitor_two) if not is_trained(s)]
    if untrained:
        raise VisitError(_("Not trained for home visits yet: %(names)s.") % {"names": ", ".join(untrained)})
    if data.student.school_id is None:
        raise VisitError(_("This student has no school on the roster."))
    if data.invited_on > timezone.localdate():
        raise VisitError(_("Record the visit once the family has invited you."))
    return HomeVisit.objects.create(
        district_id=data.student.district_id, school_id=data.student.school_id, student=data.student,
        guardian=data.guardian, visitor_one=data.visitor_one, visitor_two=data.visitor_two,
        invited_on=data.invited_on, consent_recorded_at=timezone.now(), scheduled_for=data.scheduled_for,
        language=data.language, created_by=user)


@transaction.atomic
def visit_complete(*, visit: HomeVisit, note: str, note_shared: bool, user: Any) -> HomeVisit:
    """Keep the note and put the visit on the family's timeline (once)."""
    visit = HomeVisit.objects.select_for_update().get(pk=visit.pk)
    visit.note, visit.note_shared = note.strip(), note_shared
    if visit.completed_at is None:
        visit.completed_at = timezone.now()
        contact = contact_log_create(staff=visit.visitor_one, created_by=user, data=ContactInput(
            occurred_at=visit.scheduled_for, method=Method.HOME_VISIT, purpose=Purpose.GENERAL,
            students=[visit.student], guardians=[visit.guardian], language=visit.language,
            notes=_("Relational home visit with %(other)s") % {"other": visit.visitor_two}))
        ContactLog.objects.filter(pk=contact.pk).update(source_key=f"programs-visit-{visit.pk}")
        visit.contact = contact
    visit.save(update_fields=["note", "note_shared", "completed_at", "contact"])
    return visit
