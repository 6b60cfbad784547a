"""URL × role rules for the meetings app (walked by tests/test_url_access.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from homeroom.meetings import conferences
from homeroom.meetings.letters import letter_render
from homeroom.meetings.models import FamilyRequest, LetterKind
from homeroom.meetings.services import letters_request
from homeroom.meetings.texts import common_context
from tests.access import Rule, expect_all, staff_only
from tests.actors import World
from tests.contacts.helpers import log_contact
from tests.meetings.helpers import schedule

# PPTs are read by any staff member who may see the student, and managed by case managers, principals,
# social workers and district administrators; Mr. Baker (another school) does not see Mateo or Sofia at all.
SEES_MATEO = staff_only(200, other_teacher=404)
MANAGES_MATEO = staff_only(302, teacher=403, other_teacher=403)
MANAGES_MATEO_PAGE = staff_only(200, teacher=403, other_teacher=403)
FAMILY_PAGE = expect_all(403, anonymous=302, ana=200, luis=200, paul=200)
SOFIAS_PAGE = expect_all(403, anonymous=302, ana=200, luis=404, paul=404)
ADMIN_ONLY = expect_all(403, anonymous=302, admin=200)


def _mateos_ppt(w: World) -> dict[str, Any]:
    return {"pk": schedule(w).pk}


def _sofias_invited_ppt(w: World) -> dict[str, Any]:
    meeting = schedule(w, student=w.sofia, by=w.principal)
    meeting.invitation_sent_at = timezone.now()
    meeting.save(update_fields=["invitation_sent_at"])
    return {"pk": meeting.pk}


def _mateo_contact(w: World) -> dict[str, Any]:
    return {"contact": log_contact(w.case_manager, students=[w.mateo], guardians=[w.rosa]).pk}


def _anas_request(w: World) -> dict[str, Any]:
    request = FamilyRequest.objects.create(kind="referral", district=w.district, school=w.lincoln, student=w.sofia,
                                           guardian=w.ana, reason="Reading", language="es")
    return {"pk": request.pk}


def _sofias_letter(w: World) -> dict[str, Any]:
    [letter] = letters_request(kind=LetterKind.PARENT_PACKET, district=w.district, student=w.sofia,
                               guardians=[w.ana], user=w.principal.user,
                               context_for=lambda group, language: common_context(w.sofia, group, language))
    letter_render(letter_id=letter.pk)
    return {"pk": letter.pk}


def _booking(w: World, student: Any) -> Any:
    [slot] = conferences.slots_publish(teacher=w.teacher, series=conferences.SlotSeries(
        day=timezone.localdate() + dt.timedelta(days=7), first=dt.time(16, 0), count=1, minutes=15,
        format="in_person"))
    return conferences.booking_create(slot=slot, student=student, guardian=None)


def _sofias_booking(w: World) -> dict[str, Any]:
    return {"pk": _booking(w, w.sofia).pk}


def _mateos_link_booking(w: World) -> dict[str, Any]:
    return {"token": conferences.link_token(w.mateo), "pk": _booking(w, w.mateo).pk}


def _post_to_mateos_ppt(**data: Any) -> Rule:
    return Rule(method="post", kwargs=_mateos_ppt, data=lambda w: data, expect=MANAGES_MATEO)


RULES = {
    "meetings:index": Rule(expect=staff_only(200)),
    "meetings:student": Rule(kwargs=lambda w: {"student_pk": w.mateo.pk}, expect=SEES_MATEO),
    "meetings:ppt_create": Rule(kwargs=lambda w: {"student_pk": w.mateo.pk}, expect=MANAGES_MATEO_PAGE),
    "meetings:packet_send": Rule(method="post", kwargs=lambda w: {"student_pk": w.mateo.pk}, expect=MANAGES_MATEO),
    "meetings:ppt_detail": Rule(kwargs=_mateos_ppt, expect=SEES_MATEO),
    "meetings:ppt_invite": _post_to_mateos_ppt(),
    "meetings:ppt_early_notice": _post_to_mateos_ppt(),
    "meetings:ppt_attempt": Rule(method="post", kwargs=_mateos_ppt, data=_mateo_contact, expect=MANAGES_MATEO),
    "meetings:ppt_safeguards": _post_to_mateos_ppt(),
    "meetings:ppt_prep_paper": _post_to_mateos_ppt(),
    "meetings:ppt_held": _post_to_mateos_ppt(),
    "meetings:ppt_iep_sent": _post_to_mateos_ppt(),
    "meetings:ppt_follow_up": _post_to_mateos_ppt(),
    "meetings:ppt_cancel": _post_to_mateos_ppt(),
    "meetings:requests": Rule(expect=staff_only(200)),
    # Sofia's family request: her teacher sees it but may not act on it; Mr. Chen does not see Sofia.
    "meetings:request_acknowledge": Rule(
        method="post", kwargs=_anas_request,
        expect=staff_only(302, teacher=403, other_teacher=403, case_manager=404),
    ),
    "meetings:letter_download": Rule(kwargs=_sofias_letter,
                                     expect=staff_only(200, other_teacher=404, case_manager=404)),
    "meetings:letter_templates": Rule(expect=ADMIN_ONLY),
    "meetings:letter_template_edit": Rule(kwargs=lambda w: {"kind": "ppt_invitation", "language": "es"},
                                          expect=ADMIN_ONLY),
    "meetings:family": Rule(expect=FAMILY_PAGE),
    "meetings:conference_slots": Rule(expect=staff_only(200)),
    # Only the teacher whose time it is records attendance or invites their own class.
    "meetings:conference_attendance": Rule(method="post", kwargs=_sofias_booking, data=lambda w: {"attended": "yes"},
                                           expect=staff_only(404, teacher=302)),
    "meetings:conference_invite_section": Rule(method="post", kwargs=lambda w: {"pk": w.section_5a.pk},
                                               expect=staff_only(404, teacher=302)),
    "meetings:conferences": Rule(expect=FAMILY_PAGE),
    "meetings:conference_ics": Rule(kwargs=_sofias_booking, expect=SOFIAS_PAGE),
    # The signed link is the key: whoever holds it sees that one child's booking page, signed in or not.
    "meetings:conference_link": Rule(kwargs=lambda w: {"token": conferences.link_token(w.mateo)},
                                     expect=expect_all(200)),
    "meetings:conference_link_ics": Rule(kwargs=_mateos_link_booking, expect=expect_all(200)),
    "meetings:prep_form": Rule(kwargs=_sofias_invited_ppt, expect=SOFIAS_PAGE),
    "meetings:family_request": Rule(kwargs=lambda w: {"student_pk": w.sofia.pk, "kind": "referral"},
                                    expect=SOFIAS_PAGE),
}
