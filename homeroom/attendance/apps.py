from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "homeroom.attendance"
    label = "attendance"

    def ready(self) -> None:
        # Attendance depends on contacts, never the other way: it hands contacts its "My week" section and its
        # timeline entries through contacts' registries.
        from homeroom.attendance import selectors
        from homeroom.contacts import timeline, week

        week.register_section(selectors.week_section)
        timeline.register_provider(selectors.timeline_items)
