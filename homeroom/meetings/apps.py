from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "homeroom.meetings"
    label = "meetings"

    def ready(self) -> None:
        # Meetings depends on contacts, never the other way: it hands contacts its timeline entries.
        from homeroom.contacts import timeline
        from homeroom.core import words
        from homeroom.meetings import selectors
        from homeroom.meetings.models import MEMBER_TITLES, MemberRole

        timeline.register_provider(selectors.timeline_items)
        words.register("ppt_role", lambda: MemberRole.choices)
        words.register_titles("ppt_role", MEMBER_TITLES)
