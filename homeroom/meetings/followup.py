"""After a PPT: the hook through which the post-PPT family survey goes out.

HOMEROOM_POST_PPT_SURVEY is the dotted path of a function `send(*, meeting_id: int) -> bool` that sends the short
feedback survey to the meeting's family; by default the surveys app's `homeroom.surveys.post_ppt.send`. Set it
empty and nothing is sent (the meeting page says so). A setting rather than an import keeps the dependency
pointing from surveys to meetings, never back.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from homeroom.meetings.models import Ppt

logger = logging.getLogger(__name__)


def survey_sender_configured() -> bool:
    return bool(getattr(settings, "HOMEROOM_POST_PPT_SURVEY", ""))


def post_ppt_survey_request(*, meeting_id: int) -> bool:
    """Ask the surveys app to send the post-PPT survey (once); False when no surveys app is set up."""
    path = getattr(settings, "HOMEROOM_POST_PPT_SURVEY", "")
    if not path:
        return False
    if Ppt.objects.filter(pk=meeting_id, survey_requested_at__isnull=False).exists():
        return True
    sent = bool(import_string(path)(meeting_id=meeting_id))
    if sent:
        Ppt.objects.filter(pk=meeting_id).update(survey_requested_at=timezone.now())
    else:
        logger.warning("post-PPT survey not sent for meeting %s", meeting_id)
    return sent
