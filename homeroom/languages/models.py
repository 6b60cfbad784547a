"""Language access records: the machine-translation cache, machine-translated message texts, the sender's
"send in English anyway" acknowledgements, and staff answers translated for the family."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Translation(models.Model):
    """One text translated once: the same source text, languages and provider are never sent twice.

    The source is kept only as its SHA-256 (the cache key); the translation is what staff or families read.
    """

    provider = models.CharField(max_length=32)
    source_language = models.CharField(max_length=35)
    target_language = models.CharField(max_length=35)
    source_hash = models.CharField(max_length=64)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source_hash", "source_language", "target_language", "provider"],
                                    name="translation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.source_language}→{self.target_language}"


class MachineContent(models.Model):
    """Marks a message's text as machine-translated (not written by staff) and holds the notices the family
    reads with it, in their language: a short one for texts and calls, a full one for email and the portal."""

    content = models.OneToOneField("messaging.MessageContent", on_delete=models.CASCADE,
                                   related_name="auto_translation")
    source_language = models.CharField(max_length=35)
    provider = models.CharField(max_length=32)
    notice_short = models.CharField(max_length=300)
    notice_long = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"machine translation of content {self.content_id}"


class FallbackAcknowledgement(models.Model):
    """A sender's explicit "send in English to N families who read X", recorded on the message."""

    message = models.ForeignKey("messaging.Message", on_delete=models.CASCADE, related_name="fallback_acks")
    language = models.CharField(max_length=35)  # the families' home language
    sent_in = models.CharField(max_length=35)  # the language they were sent instead
    families = models.PositiveIntegerField()
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "language"], name="fallbackack_unique")]
        ordering = ["language"]

    def __str__(self) -> str:
        return f"message {self.message_id}: {self.language} in {self.sent_in}"


class AnswerTranslation(models.Model):
    """A staff answer sent to a family in their language by machine translation; the entry holds what the
    family got, this row what staff wrote."""

    entry = models.OneToOneField("messaging.ConversationEntry", on_delete=models.CASCADE,
                                 related_name="answer_translation")
    original = models.TextField()
    original_language = models.CharField(max_length=35)
    language = models.CharField(max_length=35)
    provider = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"answer {self.entry_id} {self.original_language}→{self.language}"
