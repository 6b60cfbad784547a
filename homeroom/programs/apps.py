from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "homeroom.programs"
    label = "programs"

    def ready(self) -> None:
        # Programs depends on contacts, never the other way: it hands "My week" its section.
        from homeroom.contacts import week
        from homeroom.core import words
        from homeroom.programs.models import TEAM_TITLES, TeamRole
        from homeroom.programs.week import week_section

        week.register_section(week_section)
        words.register("team_role", lambda: TeamRole.choices)
        words.register_titles("team_role", TEAM_TITLES)
