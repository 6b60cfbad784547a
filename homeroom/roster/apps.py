from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "homeroom.roster"
    label = "roster"

    def ready(self) -> None:
        from homeroom.core import words
        from homeroom.roster.models import Channel, Relationship

        words.register("channel", lambda: Channel.choices)
        words.register("method", lambda: Channel.choices)  # messages on a family's timeline name their channel
        words.register("relationship", lambda: Relationship.choices)
