"""What the public school page may show of programs: upcoming public events, and nothing about any person.

For the website app (`upcoming_public_events`): it returns plain records holding only the event's own public
fields (title, kind, when, where or a video link, languages, interpreter and childcare offers, seats left).
No RSVP, attendance, guardian, student or staff field is read, so none can reach a page built from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from homeroom.programs.models import Event
from homeroom.roster.models import School


@dataclass(frozen=True)
class PublicEvent:
    title: str
    kind: str
    kind_label: str
    description: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    video_link: str
    languages: tuple[str, ...]
    interpreters: bool
    childcare: bool
    seats_left: int | None


def upcoming_public_events(school: School, *, limit: int = 10) -> list[PublicEvent]:
    """The school's (and its district's district-wide) public events not yet over, soonest first."""
    return _public_events(Q(school=school) | Q(school__isnull=True, district_id=school.district_id), limit=limit)


def upcoming_district_events(district_id: int, *, limit: int = 10) -> list[PublicEvent]:
    """The district-wide public events (no school of their own) not yet over, for the district's public page."""
    return _public_events(Q(school__isnull=True, district_id=district_id), limit=limit)


def _public_events(where: Q, *, limit: int) -> list[PublicEvent]:
    fields = ("title", "kind", "description", "starts_at", "ends_at", "place", "video_link", "languages",
              "interpreters", "childcare", "capacity", "seats_taken")
    events = Event.objects.filter(where, is_public=True, cancelled_at__isnull=True, ends_at__gte=timezone.now()
                                  ).order_by("starts_at").only(*fields)[:limit]
    return [PublicEvent(title=e.title, kind=e.kind, kind_label=str(e.get_kind_display()), description=e.description,
                        starts_at=e.starts_at, ends_at=e.ends_at, place=e.place, video_link=e.video_link,
                        languages=tuple(e.languages or ()), interpreters=e.interpreters, childcare=e.childcare,
                        seats_left=e.seats_left) for e in events]
