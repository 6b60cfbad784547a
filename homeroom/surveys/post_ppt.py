"""The post-PPT family survey, sent when a PPT is marked held (the meetings app's HOMEROOM_POST_PPT_SURVEY hook).

This module lives in surveys and imports meetings, never the reverse: meetings only knows the dotted path.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied

from homeroom.meetings.models import Ppt
from homeroom.surveys.services import Callback, SurveyError, send_post_meeting_survey

logger = logging.getLogger(__name__)


def send(*, meeting_id: int) -> bool:
    """Send the meeting's family the post-PPT feedback survey; True when a family was sent its link.

    Sent as the staff member who scheduled the meeting (the family's replies go to the school), through the
    messaging engine, so only parents with rights who may receive information get it, each in their language.
    """
    meeting = Ppt.objects.select_related("school", "student", "created_by").get(pk=meeting_id)
    try:
        survey = send_post_meeting_survey(user=meeting.created_by, students=[meeting.student],
                                          callback=Callback(name=meeting.school.name, phone=meeting.school.phone))
    except (SurveyError, PermissionDenied):
        logger.exception("post-PPT survey for meeting %s could not be created", meeting_id)
        return False
    return survey.invitations.filter(times_sent__gt=0).exists()
