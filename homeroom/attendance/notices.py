"""The day-of notice: a warm note to the family through the messaging engine (category "attendance"), written
in every interface language so the engine can give each guardian their own."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from homeroom.attendance.models import AttendanceNotice
from homeroom.core.models import Role
from homeroom.messaging.models import AudienceKind, Category
from homeroom.messaging.services import ContentInput, MessageError, message_create, message_send
from homeroom.roster.models import Staff, Student

logger = logging.getLogger(__name__)
BATCH = 200


def notice_contents(student: Student, day: date) -> list[ContentInput]:
    """Our own wording, in each language of the interface: the child was missed, and the school can help."""
    name = student.preferred_name or student.given_name
    school = student.school
    contents = []
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            when = formats.date_format(day, "DATE_FORMAT")
            subject = _("We missed %(name)s today") % {"name": name}
            body = _(
                "We missed %(name)s at %(school)s on %(date)s and hope everything is all right. If %(name)s was "
                "sick or something came up, let us know by answering this message or through the family portal. "
                "If anything is making it hard to get to school, we would like to help."
            ) % {"name": name, "school": school.name if school else _("school"), "date": when}
        contents.append(ContentInput(language=language, subject=subject, body=body))
    return contents


def _sender(student: Student) -> Staff | None:
    """The school's principal sends it (they reach every family of the school), else a district administrator."""
    staff = Staff.objects.filter(
        is_active=True, user__isnull=False, roles__is_active=True, roles__role=Role.PRINCIPAL,
        roles__school_id=student.school_id or 0,
    ).select_related("user").order_by("pk").first()
    if staff is None:
        staff = Staff.objects.filter(
            is_active=True, user__isnull=False, district_id=student.district_id, roles__is_active=True,
            roles__role=Role.DISTRICT_ADMIN,
        ).select_related("user").order_by("pk").first()
    return staff


def notices_send(*, district_id: int) -> int:
    """Send every notice of the district still waiting; each is claimed and sent once."""
    sent = 0
    while True:
        with transaction.atomic():
            notices = list(AttendanceNotice.objects.select_for_update(skip_locked=True).filter(
                district_id=district_id, sent_at__isnull=True, skipped="").order_by("pk")[:BATCH])
            if not notices:
                return sent
            students = Student.objects.select_related("school").in_bulk([n.student_id for n in notices])
            for notice in notices:
                _send_one(notice, students[notice.student_id])
                sent += notice.message_id is not None


def _send_one(notice: AttendanceNotice, student: Student) -> None:
    sender = _sender(student)
    notice.sent_at = timezone.now()
    if sender is None:
        notice.skipped = "no_sender"
        notice.save(update_fields=["sent_at", "skipped"])
        logger.warning("Attendance notice %s: no principal or district administrator can send it", notice.pk)
        return
    school = student.school
    try:
        with transaction.atomic():
            message = message_create(
                user=sender.user, category=Category.ATTENDANCE,
                audience={"kind": AudienceKind.FAMILY, "students": [student.pk]},
                audience_label=str(student), callback_name=school.name if school else "",
                callback_phone=school.phone if school else "", contents=notice_contents(student, notice.day),
            )
            message_send(message=message, user=sender.user)
    except MessageError as exc:
        notice.skipped = str(exc)[:64]
        notice.save(update_fields=["sent_at", "skipped"])
        return
    notice.message = message
    notice.save(update_fields=["sent_at", "message"])
