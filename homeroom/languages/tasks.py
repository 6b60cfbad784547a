"""Background translation of what families write, so staff pages find it ready. Arguments are ids."""

from __future__ import annotations

from django_tasks import task


@task()
def translate_reply_task(entry_id: int) -> int:
    """Translate a family's conversation entry into each staff language (kept in the cache); returns how many."""
    from homeroom.languages.staff import STAFF_LANGUAGES, entry_language, for_staff
    from homeroom.messaging.models import ConversationEntry

    entry = ConversationEntry.objects.select_related("conversation__guardian").filter(pk=entry_id).first()
    if entry is None or not entry.from_guardian:
        return 0
    source = entry_language(entry)
    return sum(1 for target in STAFF_LANGUAGES if for_staff(entry.body, source, target=target))
