from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "homeroom.meetings"
    label = "meetings"

    def ready(self) -> None:
        # Meetings depends on contacts, never the other way: it hands contacts its timeline entries.
        from homeroom.contacts import timeline
        from homeroom.meetings import selectors

        timeline.register_provider(selectors.timeline_items)
