from django.apps import AppConfig


class LanguagesConfig(AppConfig):
    name = "homeroom.languages"
    label = "languages"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from homeroom.messaging.models import ConversationEntry

        post_save.connect(_family_entry_saved, sender=ConversationEntry, dispatch_uid="languages-family-entry")


def _family_entry_saved(sender: object, instance: object, created: bool, **kwargs: object) -> None:
    """A family wrote (portal, text, email): translate it for staff in the background once it is committed."""
    if not created or not getattr(instance, "from_guardian", False):
        return
    from django.db import transaction

    from homeroom.languages.providers import get_translator

    if get_translator() is None:
        return
    from homeroom.languages.tasks import translate_reply_task

    entry_id = instance.pk  # type: ignore[attr-defined]
    transaction.on_commit(lambda: translate_reply_task.enqueue(entry_id))
