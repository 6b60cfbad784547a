"""Messages, their per-language content, one Delivery per guardian × channel, conversations and opt-outs."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

# Category and Suppression live in the roster app, beside the guardians that roster.reachability reads.
from homeroom.roster.models import Category, Channel
from homeroom.roster.models import Suppression as Suppression


class AudienceKind(models.TextChoices):
    DISTRICT = "district", _("The whole district")
    SCHOOLS = "schools", _("Schools")
    GRADES = "grades", _("Grades at a school")
    SECTIONS = "sections", _("Classes")
    CASELOAD = "caseload", _("My caseload")
    LIST = "list", _("A saved list")
    FAMILY = "family", _("One family")


class Message(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sender = models.ForeignKey("roster.Staff", on_delete=models.PROTECT, related_name="messages_sent")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    audience = models.JSONField(default=dict, blank=True)
    audience_label = models.CharField(max_length=255, blank=True, default="")
    callback_name = models.CharField(_("call-back name"), max_length=120)
    callback_phone = models.CharField(_("call-back number"), max_length=32)
    scheduled_for = models.DateTimeField(_("send at"), null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    planned_at = models.DateTimeField(null=True, blank=True)
    # Staff's files (compose.staff_attachments): private storage names; families get signed links to them.
    attachments = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        content = self.contents.order_by("id").first()
        return content.subject if content else f"Message {self.pk}"

    @property
    def is_emergency(self) -> bool:
        return self.category in {Category.URGENT, Category.ATTENDANCE}


class MessageContent(models.Model):
    """What staff wrote in one language; machine drafts are flagged until a person saves them."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="contents")
    language = models.CharField(_("language"), max_length=35)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    machine_translated = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "language"], name="messagecontent_unique")]

    def __str__(self) -> str:
        return f"{self.language}: {self.subject}"


class DeliveryState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    READ = "read", _("Read")
    FAILED = "failed", _("Failed")
    BOUNCED = "bounced", _("Bounced")
    SKIPPED = "skipped", _("Not sent")


class SkipReason(models.TextChoices):
    NONE = "", ""
    OPTED_OUT = "opted_out", _("Opted out")
    NO_CONSENT = "no_consent", _("No consent on file")
    NO_ADDRESS = "no_address", _("No contact details")
    BAD_ADDRESS = "bad_address", _("Contact details marked bad")
    SUPPRESSED = "suppressed", _("Email address suppressed after bounce or complaint")
    NO_CHANNEL = "no_channel", _("No channel the family can be reached on")
    CANCELLED = "cancelled", _("Cancelled before sending")


class Delivery(models.Model):
    """One message to one guardian on one channel; moves through DeliveryState once per step."""

    # No single-column indexes: the composite indexes below lead with these columns and cover their lookups,
    # and every extra index slows the bulk insert of a fan-out.
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries", db_index=False)
    guardian = models.ForeignKey(
        "roster.Guardian", on_delete=models.CASCADE, related_name="message_deliveries", db_index=False
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    address = models.CharField(max_length=320, blank=True, default="")
    language = models.CharField(max_length=35)
    content_language = models.CharField(max_length=35)
    student_ids = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=16, choices=DeliveryState.choices, default=DeliveryState.PLANNED)
    reason = models.CharField(max_length=16, choices=SkipReason.choices, blank=True, default="")
    # Unique and indexed through Meta, not `unique=True` / `db_index=True`: on PostgreSQL those add a second,
    # LIKE-only index (varchar_pattern_ops) to each column, which nothing queries and every claim and record of
    # a send rewrote (see Meta).
    idempotency_key = models.CharField(max_length=80)
    batch = models.PositiveIntegerField(default=0)
    not_before = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=120, blank=True, default="")
    error = models.CharField(max_length=255, blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    fallback_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # A claim or a record of a send changes `state`, so PostgreSQL writes the row's new version into every
        # index of the table: each index here costs every delivery twice during a send.
        indexes = [
            models.Index(fields=["message", "state"]),
            models.Index(fields=["message", "batch"]),
            models.Index(fields=["guardian", "created_at"]),
            models.Index(fields=["provider_id"], name="delivery_provider_id"),  # status callbacks find rows by it
        ]
        constraints = [models.UniqueConstraint(fields=["idempotency_key"], name="delivery_idempotency_key_unique")]

    def __str__(self) -> str:
        return self.idempotency_key


class DeliveryAttempt(models.Model):
    """Each time a delivery was handed to its provider (or tried to be), and what came back: the answer to
    "why did this family not get it". Written by dispatch with the outcome it records on the delivery.

    On a channel that cannot be asked afterwards whether it took a message (SMTP, an ESP), the `sent` row is
    written on its own right after the hand-over, before the next message leaves: after a crash, a row still
    `sending` that has one went out and is recorded, not sent again (at most the one in flight is repeated).
    """

    class Outcome(models.TextChoices):
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        RETRY = "retry", _("Will be tried again")
        THROTTLED = "throttled", _("Provider asked to slow down")
        AMBIGUOUS = "ambiguous", _("No answer from the provider")
        PAUSED = "paused", _("Provider paused")

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_rows")
    at = models.DateTimeField()
    channel = models.CharField(max_length=10)
    provider_id = models.CharField(max_length=120, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    error_code = models.CharField(max_length=20, blank=True)
    error = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.outcome} at {self.at:%Y-%m-%d %H:%M:%S}"


class ProviderPause(models.Model):
    """A provider the district set up wrong (a wrong token, a closed account): its deliveries wait, queued,
    until a probe of the provider succeeds. One row per provider; `paused_at` is empty while it sends."""

    provider = models.CharField(max_length=32, unique=True)
    error = models.CharField(max_length=255, blank=True, default="")
    paused_at = models.DateTimeField(null=True, blank=True)
    probed_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    resumed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.provider} {'paused' if self.paused_at else 'sending'}"


class SmsOptOut(models.Model):
    """A keyword a family texted back (STOP, START, HELP); the record behind the guardian's opt-out date."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(max_length=20, db_index=True)
    keyword = models.CharField(max_length=40)
    opted_out = models.BooleanField()
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.phone} {self.keyword}"


class InboundText(models.Model):
    """A text a family sent us, by Twilio's MessageSid: a webhook Twilio retries is handled once."""

    sid = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.sid


class RateBucket(models.Model):
    """A token bucket per sending number, kept in the database so every worker shares it."""

    key = models.CharField(max_length=64, unique=True)
    tokens = models.FloatField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key


class SavedList(models.Model):
    owner = models.ForeignKey("roster.Staff", on_delete=models.CASCADE, related_name="saved_lists")
    name = models.CharField(_("name"), max_length=120)
    students = models.ManyToManyField("roster.Student", related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Conversation(models.Model):
    """A thread between one guardian and a school about one message (or started by the family)."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    guardian = models.ForeignKey("roster.Guardian", on_delete=models.CASCADE, related_name="conversations")
    staff = models.ForeignKey("roster.Staff", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The child a family-started conversation is about (the portal asks; a text is routed by the family's child).
    student = models.ForeignKey("roster.Student", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    started_by_family = models.BooleanField(default=False)
    subject = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    last_entry_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-last_entry_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["guardian", "message"], condition=models.Q(message__isnull=False), name="conversation_unique"
            )
        ]

    def __str__(self) -> str:
        return self.subject


class ConversationRead(models.Model):
    """How far one staff user has read a conversation: each person's inbox has its own unread count."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "conversation"], name="conversationread_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.conversation_id}"


# How a school message reached the family, as the portal copy of it says.
SENT_BY = {
    "sms": _("Sent by text message"),
    "email": _("Sent by email"),
    "voice": _("Sent by phone call"),
}


class ConversationEntry(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="entries")
    from_guardian = models.BooleanField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    body = models.TextField()
    attachments = models.JSONField(default=list, blank=True)
    delivery = models.ForeignKey(Delivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The inbound email's Message-ID, so a webhook the provider retries adds the reply only once.
    source_id = models.CharField(max_length=255, blank=True, default="", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"entry {self.pk}"

    @property
    def sender_name(self) -> str:
        """For the family: the staff member who wrote a school entry (the message's sender when no one signed it).

        Staff names only, never an account's email address; "" for the family's own entries or when unknown.
        """
        if self.from_guardian:
            return ""
        staff = None
        if self.author_id:
            try:
                staff = self.author.staff  # type: ignore[union-attr]
            except ObjectDoesNotExist:
                staff = None
        if staff is None:
            thread = self.conversation
            staff = thread.message.sender if thread.message_id else thread.staff  # type: ignore[union-attr]
        return str(staff) if staff is not None else ""

    @property
    def sent_by(self) -> str:
        """For the family: how the school's entry reached them, when it was not the portal itself."""
        return "" if self.from_guardian else str(SENT_BY.get(self.channel, ""))

    @property
    def went_by(self) -> str:
        """The channel this entry really went by (the family's own, or the school's delivery of it)."""
        label = str(Channel(self.channel).label) if self.channel in Channel.values else self.channel
        delivery = self.delivery if self.delivery_id else None
        if delivery is not None and delivery.state in (DeliveryState.FAILED, DeliveryState.BOUNCED):
            return str(_("%(channel)s, not delivered (in the family portal only)") % {"channel": label})
        if delivery is not None and delivery.state in (DeliveryState.PLANNED, DeliveryState.QUEUED,
                                                       DeliveryState.SENDING):
            return str(_("%(channel)s, being sent") % {"channel": label})
        return label


class DistrictMessagingPolicy(models.Model):
    """A district's own fallback rule; a district without one follows settings.MESSAGING_FALLBACK."""

    district = models.OneToOneField("roster.District", on_delete=models.CASCADE, related_name="+")
    sms_to_voice = models.BooleanField(_("call when a text cannot be delivered"), default=True)
    email_to_sms = models.BooleanField(_("text when an email bounces"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    def __str__(self) -> str:
        return f"messaging policy of district {self.district_id}"

    def fallback(self) -> dict[str, str]:
        """The channel to try next after each channel fails for good."""
        pairs = {"sms": ("voice", self.sms_to_voice), "email": ("sms", self.email_to_sms)}
        return {channel: then for channel, (then, on) in pairs.items() if on}
