from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "homeroom.roster"
    label = "roster"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from homeroom.access.i18n import forget_district_languages
        from homeroom.core import words
        from homeroom.roster.models import Channel, District, Relationship

        # The language picker reads a district's family_languages at most once a minute; a change shows at once.
        post_save.connect(forget_district_languages, sender=District, dispatch_uid="roster.district_languages")
        post_delete.connect(forget_district_languages, sender=District, dispatch_uid="roster.district_languages_gone")

        words.register("channel", lambda: Channel.choices)
        words.register("method", lambda: Channel.choices)  # messages on a family's timeline name their channel
        words.register("relationship", lambda: Relationship.choices)
